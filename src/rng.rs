//! Random streams. Every draw in a replication comes from a stream named by
//! (master seed, replication, purpose, index), so a result depends on the seed
//! alone, never on thread count or on the order in which work is scheduled.
//!
//! The generator is xoshiro256++ seeded through SplitMix64, written here so the
//! bit stream is fixed by this crate and cannot change under a dependency update.

use core::convert::Infallible;

use rand::TryRng;

/// What a stream is for. Changing one purpose's draws never shifts another's.
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Purpose {
    /// Arrival instants of the replication.
    Arrivals = 1,
    /// The key of the replication's [`PersonStream`]s.
    Person = 2,
}

/// SplitMix64 step: a bijective mixer used to derive seeds.
#[inline]
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform draw in [0, 1) with 53 random bits from any generator.
#[inline]
pub fn uniform<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A short stream for one person's attributes: SplitMix64 started at a point
/// derived from (seed, replication, person). Seeding costs one mix, which
/// matters because every arrival gets its own stream.
#[derive(Clone, Debug)]
pub struct PersonStream {
    state: u64,
}

/// The key from which the person streams of one replication are derived.
pub fn person_key(seed: u64, replication: u64) -> u64 {
    let mut k = Stream::new(seed, replication, Purpose::Person, 0);
    k.next()
}

/// A random attribute of a person. Each has a sub-stream of its own, so a
/// change to how one is drawn (a distribution family that takes more or fewer
/// draws) leaves every other attribute of every person as it was. Service and
/// hand-off times have one sub-stream per route step:
/// [`PersonStream::service`], [`PersonStream::handoff`].
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Attr {
    CaseType = 1,
    Green,
    Outside,
    Patience,
    NeverLeave,
    Problem,
    Fixed,
    AcceptMissing,
    PreReview,
    Catch,
    Absent,
    Balk,
    Return,
    Site,
    ChooseShortest,
    FixTime,
    AcceptMissingTime,
    FollowUpTime,
    GuideTime,
    NoShow,
    Lateness,
}

/// Sub-stream numbers of the route steps' service and hand-off times.
const SERVICE_BASE: u64 = 64;
const HANDOFF_BASE: u64 = 128;

/// Distance between the starts of two attributes' sub-streams, in SplitMix64
/// steps: an attribute may take up to 2^32 draws before reaching the next.
const SUB_STREAM_STEPS: u64 = 1 << 32;

impl PersonStream {
    /// The stream of person number `person` under a replication's `key`.
    #[inline]
    pub fn new(key: u64, person: u64) -> Self {
        let mut st = key ^ person.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        PersonStream { state: splitmix64(&mut st) }
    }

    /// The sub-stream of one attribute: SplitMix64 is a counter, so starting
    /// `SUB_STREAM_STEPS` steps apart per attribute gives disjoint sequences
    /// at the cost of one multiplication.
    #[inline]
    pub fn attribute(&self, attr: Attr) -> Self {
        self.sub(attr as u64)
    }

    /// The sub-stream of route step `step`'s service time.
    #[inline]
    pub fn service(&self, step: usize) -> Self {
        self.sub(SERVICE_BASE + step as u64)
    }

    /// The sub-stream of the hand-off before route step `step`.
    #[inline]
    pub fn handoff(&self, step: usize) -> Self {
        self.sub(HANDOFF_BASE + step as u64)
    }

    #[inline]
    fn sub(&self, index: u64) -> Self {
        let steps = index.wrapping_mul(SUB_STREAM_STEPS);
        PersonStream { state: self.state.wrapping_add(steps.wrapping_mul(0x9E37_79B9_7F4A_7C15)) }
    }
}

impl TryRng for PersonStream {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((splitmix64(&mut self.state) >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(splitmix64(&mut self.state))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = splitmix64(&mut self.state).to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// xoshiro256++ (Blackman and Vigna, 2019).
#[derive(Clone, Debug)]
pub struct Stream {
    s: [u64; 4],
}

impl Stream {
    /// The stream for `purpose` number `index` of replication `replication` under `seed`.
    #[inline]
    pub fn new(seed: u64, replication: u64, purpose: Purpose, index: u64) -> Self {
        let mut k = seed;
        let mut k = splitmix64(&mut k) ^ replication.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut k = splitmix64(&mut k) ^ (purpose as u64).wrapping_mul(0xAEF1_7502_108E_F2D9);
        let mut st = splitmix64(&mut k) ^ index;
        Self::from_seed_u64(splitmix64(&mut st))
    }

    /// Seeds the four state words from one `u64` through SplitMix64.
    #[inline]
    pub fn from_seed_u64(seed: u64) -> Self {
        let mut st = seed;
        let s = [splitmix64(&mut st), splitmix64(&mut st), splitmix64(&mut st), splitmix64(&mut st)];
        Self { s }
    }

    #[inline]
    fn next(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
}

impl TryRng for Stream {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn xoshiro_matches_reference_output() {
        // xoshiro256plusplus.c with state {1, 2, 3, 4}; both values worked by hand.
        let mut r = Stream { s: [1, 2, 3, 4] };
        let expected = [41_943_041u64, 58_720_359];
        for e in expected {
            assert_eq!(r.next(), e);
        }
    }

    #[test]
    fn streams_differ_by_every_coordinate() {
        let base = Stream::new(7, 0, Purpose::Person, 0).next();
        assert_ne!(base, Stream::new(8, 0, Purpose::Person, 0).next());
        assert_ne!(base, Stream::new(7, 1, Purpose::Person, 0).next());
        assert_ne!(base, Stream::new(7, 0, Purpose::Arrivals, 0).next());
        assert_ne!(base, Stream::new(7, 0, Purpose::Person, 1).next());
        assert_eq!(base, Stream::new(7, 0, Purpose::Person, 0).next());
    }

    #[test]
    fn person_streams_differ_and_repeat() {
        let key = person_key(5, 0);
        let a: Vec<u64> = (0..3).map(|i| PersonStream::new(key, i).next_u64()).collect();
        assert!(a[0] != a[1] && a[1] != a[2]);
        assert_eq!(PersonStream::new(key, 1).next_u64(), a[1]);
        assert_ne!(person_key(5, 1), key);
    }

    #[test]
    fn attribute_streams_are_disjoint_and_independent_of_order() {
        let base = PersonStream::new(person_key(5, 0), 7);
        let first: Vec<u64> = (0..32).map(|i| base.service(i).next_u64()).collect();
        let mut seen = first.clone();
        seen.extend([Attr::CaseType, Attr::Patience, Attr::Lateness].map(|a| base.attribute(a).next_u64()));
        seen.extend((0..8).map(|i| base.handoff(i).next_u64()));
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), n, "two sub-streams start alike");
        // Drawing more from one sub-stream does not move another.
        let mut s0 = base.service(0);
        for _ in 0..1000 {
            s0.next_u64();
        }
        assert_eq!(base.service(1).next_u64(), first[1]);
    }

    #[test]
    fn uniform_is_in_unit_interval() {
        let mut r = Stream::from_seed_u64(3);
        for _ in 0..10_000 {
            let u = uniform(&mut r);
            assert!((0.0..1.0).contains(&u));
        }
    }
}

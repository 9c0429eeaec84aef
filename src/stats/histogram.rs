//! A fixed-size log-linear histogram of durations (minutes) for quantiles.
//!
//! Buckets split each power of two into 128 equal parts, so a quantile read
//! from it is within 0.4% of the true sample quantile, from 1/1024 minute (less
//! is counted as 0) to 2^20 minutes. Its size never depends on how many values
//! it holds: memory stays flat however long a run is.

const SUB_BITS: u32 = 7;
const MIN_EXP: i32 = -10;
const MAX_EXP: i32 = 20;
const BUCKETS: usize = ((MAX_EXP - MIN_EXP) as usize) << SUB_BITS;
/// Bit pattern of 2^MIN_EXP shifted to bucket resolution.
const BASE: u64 = ((1023 + MIN_EXP) as u64) << SUB_BITS;

#[derive(Clone)]
pub struct LogHistogram {
    /// The zero bucket (values below 2^MIN_EXP) first, then the buckets:
    /// one array, so a value's place is found without a branch.
    counts: Box<[u64; BUCKETS + 1]>,
    count: u64,
}

impl std::fmt::Debug for LogHistogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogHistogram")
            .field("zero", &self.zero())
            .field("buckets", &self.buckets())
            .field("count", &self.count)
            .finish()
    }
}

impl Default for LogHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LogHistogram {
    pub fn new() -> Self {
        LogHistogram { counts: Box::new([0; BUCKETS + 1]), count: 0 }
    }

    fn zero(&self) -> u64 {
        self.counts[0]
    }

    fn buckets(&self) -> &[u64] {
        &self.counts[1..]
    }

    /// Records a value, minutes (>= 0).
    ///
    /// Without a branch: many values are 0 (no wait) and many are not, in no
    /// order a branch predictor could learn. Values below 2^MIN_EXP have a
    /// key below `BASE` and land at 0, the zero bucket; the others at their
    /// bucket + 1, the last bucket holding everything above it.
    #[inline]
    pub fn record(&mut self, v: f64) {
        debug_assert!(v >= 0.0, "a histogram records durations >= 0, got {v}");
        self.count += 1;
        // Adding 0 turns -0 into +0, whose key is 0.
        let key = (v + 0.0).to_bits() >> (52 - SUB_BITS);
        let i = (key.saturating_sub(BASE - 1) as usize).min(BUCKETS);
        self.counts[i] += 1;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds another histogram's counts to this one.
    pub fn merge(&mut self, other: &LogHistogram) {
        self.count += other.count;
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a += b;
        }
    }

    /// The counts as (zero count, [(bucket, count)] of non-empty buckets), for storage.
    pub fn to_sparse(&self) -> (u64, Vec<(u32, u64)>) {
        let buckets = self.buckets().iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (i as u32, *n)).collect();
        (self.zero(), buckets)
    }

    /// The histogram stored by [`LogHistogram::to_sparse`]; None if a bucket is out of range.
    pub fn from_sparse(zero: u64, buckets: &[(u32, u64)]) -> Option<Self> {
        let mut h = LogHistogram::new();
        h.counts[0] = zero;
        h.count = zero;
        for &(i, n) in buckets {
            *h.counts[1..].get_mut(i as usize)? += n;
            h.count += n;
        }
        Some(h)
    }

    /// Lower and upper edge of bucket `i`, minutes.
    fn edges(i: usize) -> (f64, f64) {
        let lo = f64::from_bits((BASE + i as u64) << (52 - SUB_BITS));
        let hi = f64::from_bits((BASE + i as u64 + 1) << (52 - SUB_BITS));
        (lo, hi)
    }

    /// The `q` quantile (nearest rank), minutes: the midpoint of the bucket
    /// that holds it, or 0 for the zero bucket. NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        if rank <= self.zero() {
            return 0.0;
        }
        let mut seen = self.zero();
        for (i, &n) in self.buckets().iter().enumerate() {
            seen += n;
            if seen >= rank {
                let (lo, hi) = Self::edges(i);
                return (lo + hi) / 2.0;
            }
        }
        Self::edges(BUCKETS - 1).1
    }

    /// Share of values <= `x` minutes, counting a bucket as in when its upper
    /// edge is <= `x`. NaN when empty.
    pub fn share_at_most(&self, x: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let mut n = self.zero();
        for (i, &c) in self.buckets().iter().enumerate() {
            if Self::edges(i).1 > x {
                break;
            }
            n += c;
        }
        n as f64 / self.count as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_bucket_precision() {
        let mut h = LogHistogram::new();
        for i in 1..=10_000 {
            h.record(i as f64 / 100.0);
        }
        for (q, exact) in [(0.5, 50.0), (0.9, 90.0), (0.95, 95.0), (1.0, 100.0)] {
            let got = h.quantile(q);
            assert!((got / exact - 1.0).abs() < 1.0 / 256.0 + 1e-12, "q{q}: {got} vs {exact}");
        }
    }

    #[test]
    fn zeros_and_tiny_values_share_the_zero_bucket() {
        let mut h = LogHistogram::new();
        for _ in 0..6 {
            h.record(0.0);
        }
        for _ in 0..4 {
            h.record(10.0);
        }
        assert_eq!(h.quantile(0.5), 0.0);
        assert_eq!(h.quantile(0.6), 0.0);
        assert!((h.quantile(0.7) - 10.0).abs() < 0.04);
        assert_eq!(h.share_at_most(5.0), 0.6);
    }

    #[test]
    fn the_zero_bucket_ends_at_the_first_edge() {
        let edge: f64 = 1.0 / 1024.0;
        let mut h = LogHistogram::new();
        for v in [-0.0, 0.0, edge.next_down(), edge, edge.next_up()] {
            h.record(v);
        }
        assert_eq!(h.zero(), 3);
        assert_eq!(h.to_sparse().1, vec![(0, 2)]);
        assert_eq!(LogHistogram::edges(0).0, edge);
    }

    #[test]
    fn huge_values_land_in_the_last_bucket_and_merge_adds_counts() {
        let mut a = LogHistogram::new();
        a.record(1e12);
        let mut b = LogHistogram::new();
        b.record(1.0);
        a.merge(&b);
        assert_eq!(a.count(), 2);
        assert!(a.quantile(1.0) > 1e6);
        assert!(h_close(a.quantile(0.5), 1.0));
    }

    #[test]
    fn sparse_round_trip() {
        let mut h = LogHistogram::new();
        for v in [0.0, 0.5, 3.0, 3.0, 700.0] {
            h.record(v);
        }
        let (zero, b) = h.to_sparse();
        let back = LogHistogram::from_sparse(zero, &b).unwrap();
        assert_eq!(back.to_sparse(), (zero, b));
        assert_eq!(back.count(), 5);
        assert!(LogHistogram::from_sparse(0, &[(u32::MAX, 1)]).is_none());
    }

    fn h_close(a: f64, b: f64) -> bool {
        (a / b - 1.0).abs() < 0.005
    }
}

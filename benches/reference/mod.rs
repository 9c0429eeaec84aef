//! The hand-tight reference the engine is measured against: a tandem of
//! M/M/c stations (one station is the M/M/c benchmark) as a binary heap of
//! timed events, FIFO queues of arrival times and inline exponential draws,
//! recording only the mean wait. Same random-number generator as the engine,
//! so the ratio measures the engine's bookkeeping, not its RNG.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use hallsim::rng::{Purpose, Stream};
use rand_distr::{Distribution, Exp1};

/// One station: servers and mean service, minutes.
pub struct Station {
    pub servers: u32,
    pub mean: f64,
}

/// A benchmark system: its scenario file (which sets the arrivals) and the
/// same system as reference stations.
pub struct System {
    pub name: &'static str,
    pub file: &'static str,
    /// Arrivals per minute.
    pub rate: f64,
    pub stations: Vec<Station>,
}

/// The two benchmark systems of `scenarios/benchmark/`.
pub fn systems() -> [System; 2] {
    [
        System {
            name: "mmc",
            file: "scenarios/benchmark/mmc.toml",
            rate: 9.0,
            stations: vec![Station { servers: 10, mean: 1.0 }],
        },
        System {
            name: "hall3",
            file: "scenarios/benchmark/hall.toml",
            rate: 2.0,
            stations: vec![
                Station { servers: 8, mean: 3.5 },
                Station { servers: 9, mean: 4.0 },
                Station { servers: 3, mean: 1.2 },
            ],
        },
    ]
}

/// Events handled (arrivals plus service ends) and the mean wait over all
/// stations, minutes.
pub fn tandem(rate: f64, stations: &[Station], arrivals: u64, seed: u64) -> (u64, f64) {
    let mut rng = Stream::new(seed, 0, Purpose::Arrivals, 0);
    let mut draw = |mean: f64| -> f64 {
        let e: f64 = Exp1.sample(&mut rng);
        e * mean
    };
    // (time as bits, sequence, station; u32::MAX is an arrival). Positive
    // floats order as their bits.
    let mut heap: BinaryHeap<Reverse<(u64, u64, u32)>> = BinaryHeap::with_capacity(1024);
    let mut queues: Vec<VecDeque<f64>> = stations.iter().map(|_| VecDeque::new()).collect();
    let mut free: Vec<u32> = stations.iter().map(|s| s.servers).collect();
    let (mut seq, mut issued, mut events, mut waited, mut waits) = (0u64, 0u64, 0u64, 0.0, 0u64);
    let arrival = u32::MAX;
    heap.push(Reverse((draw(1.0 / rate).to_bits(), seq, arrival)));
    while let Some(Reverse((bits, _, at))) = heap.pop() {
        let now = f64::from_bits(bits);
        events += 1;
        let next = if at == arrival {
            issued += 1;
            if issued < arrivals {
                seq += 1;
                heap.push(Reverse(((now + draw(1.0 / rate)).to_bits(), seq, arrival)));
            }
            Some(0)
        } else {
            let k = at as usize;
            match queues[k].pop_front() {
                Some(since) => {
                    waited += now - since;
                    waits += 1;
                    seq += 1;
                    heap.push(Reverse(((now + draw(stations[k].mean)).to_bits(), seq, at)));
                }
                None => free[k] += 1,
            }
            (k + 1 < stations.len()).then_some(k + 1)
        };
        if let Some(k) = next {
            if free[k] > 0 {
                free[k] -= 1;
                waits += 1;
                seq += 1;
                heap.push(Reverse(((now + draw(stations[k].mean)).to_bits(), seq, k as u32)));
            } else {
                queues[k].push_back(now);
            }
        }
    }
    (events, waited / waits as f64)
}

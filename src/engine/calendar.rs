//! The future-event list: a binary heap keyed on (time, insertion sequence).
//!
//! Events at the same instant come out in the order they were scheduled, so a
//! run never depends on how the heap breaks ties. Times are finite minutes;
//! the engine never schedules NaN (every duration comes from a checked [`Dist`]).
//!
//! [`Dist`]: crate::dist::Dist

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    time: f64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that the max-heap pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.total_cmp(&self.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

pub struct Calendar<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Calendar<E> {
    pub fn with_capacity(n: usize) -> Self {
        Calendar { heap: BinaryHeap::with_capacity(n), next_seq: 0 }
    }

    /// Schedules `event` at `time` minutes.
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        debug_assert!(time.is_finite(), "event time must be finite, got {time}");
        self.heap.push(Entry { time, seq: self.next_seq, event });
        self.next_seq += 1;
    }

    /// The earliest event, with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_in_insertion_order() {
        let mut c = Calendar::with_capacity(4);
        c.schedule(5.0, 'c');
        c.schedule(1.0, 'a');
        c.schedule(5.0, 'd');
        c.schedule(1.0, 'b');
        c.schedule(0.5, 'z');
        let order: Vec<char> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['z', 'a', 'b', 'c', 'd']);
    }
}

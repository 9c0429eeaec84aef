//! The future-event list: a binary heap keyed on (time, insertion sequence).
//!
//! Events at the same instant come out in the order they were scheduled, so a
//! run never depends on how the heap breaks ties. Times are finite and not
//! negative (every duration comes from a checked [`Dist`]), which lets the key
//! compare the bit patterns of the times as integers.
//!
//! One event kind recurs with exactly one instance pending at a time (the next
//! arrival); it waits in a slot beside the heap, which halves the heap work of
//! an arrival, and is ordered with the heap's events by the same key.
//!
//! [`Dist`]: crate::dist::Dist

use std::collections::BinaryHeap;

/// Time bits above, sequence below: ordered like (time, sequence) for
/// times >= 0, in one integer comparison.
type Key = u128;

struct Entry<E> {
    key: Key,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that the max-heap pops the smallest key first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.key.cmp(&self.key)
    }
}

pub struct Calendar<E> {
    heap: BinaryHeap<Entry<E>>,
    /// The pending instance of the recurring event, if any.
    slot: Option<(Key, E)>,
    next_seq: u64,
}

impl<E> Calendar<E> {
    pub fn with_capacity(n: usize) -> Self {
        Calendar { heap: BinaryHeap::with_capacity(n), slot: None, next_seq: 0 }
    }

    #[inline]
    fn key(&mut self, time: f64) -> Key {
        // Checked in release too: the key orders times by their bits, which is
        // right only for finite times >= 0. Adding 0 turns -0 into +0; then
        // exactly the finite times >= 0 have bits below those of infinity
        // (a sign bit or a NaN's bits are above), one comparison per event.
        let time = time + 0.0;
        assert!(time.to_bits() < f64::INFINITY.to_bits(), "event time must be finite and >= 0, got {time}");
        let seq = self.next_seq;
        self.next_seq += 1;
        (u128::from(time.to_bits()) << 64) | u128::from(seq)
    }

    /// Schedules `event` at `time` minutes.
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        let key = self.key(time);
        self.heap.push(Entry { key, event });
    }

    /// Schedules the recurring event at `time` minutes; at most one may be pending.
    #[inline]
    pub fn schedule_recurring(&mut self, time: f64, event: E) {
        debug_assert!(self.slot.is_none(), "a recurring event is already pending");
        let key = self.key(time);
        self.slot = Some((key, event));
    }

    /// The earliest event, with its time.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let slot_first = match (&self.slot, self.heap.peek()) {
            (Some((k, _)), Some(top)) => *k < top.key,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let (key, event) = if slot_first {
            self.slot.take()?
        } else {
            let e = self.heap.pop()?;
            (e.key, e.event)
        };
        Some((f64::from_bits((key >> 64) as u64), event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "event time must be finite")]
    fn a_nan_time_is_refused_in_release_too() {
        Calendar::with_capacity(1).schedule(f64::NAN, ());
    }

    #[test]
    fn earliest_first_and_ties_in_insertion_order() {
        let mut c = Calendar::with_capacity(4);
        c.schedule(5.0, 'c');
        c.schedule(1.0, 'a');
        c.schedule_recurring(5.0, 'd');
        c.schedule(1.0, 'b');
        c.schedule(5.0, 'e');
        c.schedule(0.5, 'z');
        let mut order = Vec::new();
        while let Some((t, e)) = c.pop() {
            order.push(e);
            if e == 'd' {
                c.schedule_recurring(t + 0.25, 'r');
            }
        }
        assert_eq!(order, vec!['z', 'a', 'b', 'c', 'd', 'e', 'r']);
    }
}

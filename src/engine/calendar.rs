//! The future-event list: a 4-ary min-heap keyed on (time, insertion sequence).
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

/// Time bits above, sequence below: ordered like (time, sequence) for
/// times >= 0, in one integer comparison.
type Key = u128;

#[derive(Clone, Copy)]
struct Entry<E> {
    key: Key,
    event: E,
}

/// Children per node of the heap: four halve its depth against two, and the
/// least of four is found with comparisons that do not depend on each other.
const ARITY: usize = 4;

pub struct Calendar<E> {
    /// A 4-ary min-heap on `key`: every entry's key is below its children's.
    heap: Vec<Entry<E>>,
    /// The pending instance of the recurring event, if any.
    slot: Option<(Key, E)>,
    next_seq: u64,
}

impl<E: Copy> Calendar<E> {
    pub fn with_capacity(n: usize) -> Self {
        Calendar { heap: Vec::with_capacity(n), slot: None, next_seq: 0 }
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
        let entry = Entry { key: self.key(time), event };
        let mut hole = self.heap.len();
        self.heap.push(entry);
        while hole > 0 {
            let parent = (hole - 1) / ARITY;
            if self.heap[parent].key < entry.key {
                break;
            }
            self.heap[hole] = self.heap[parent];
            hole = parent;
        }
        self.heap[hole] = entry;
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
        let slot_first = match (&self.slot, self.heap.first()) {
            (Some((k, _)), Some(top)) => *k < top.key,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let (key, event) = if slot_first {
            self.slot.take()?
        } else {
            let e = self.pop_heap()?;
            (e.key, e.event)
        };
        Some((f64::from_bits((key >> 64) as u64), event))
    }

    /// Takes the root of the heap: the last entry fills its place and sinks
    /// below every child of a smaller key.
    #[inline]
    fn pop_heap(&mut self) -> Option<Entry<E>> {
        let last = self.heap.pop()?;
        let Some(&root) = self.heap.first() else { return Some(last) };
        let heap = &mut self.heap[..];
        let mut hole = 0;
        loop {
            let first = hole * ARITY + 1;
            // A full set of children as an array: indexed without bounds checks.
            let children = heap.get(first..first + ARITY).and_then(|c| <&[Entry<E>; ARITY]>::try_from(c).ok());
            let least = if let Some(c) = children {
                let pair = |a: usize| if c[a + 1].key < c[a].key { a + 1 } else { a };
                let (x, y) = (pair(0), pair(2));
                first + if c[y].key < c[x].key { y } else { x }
            } else if first < heap.len() {
                (first + 1..heap.len()).fold(first, |m, c| if heap[c].key < heap[m].key { c } else { m })
            } else {
                break;
            };
            let child = heap[least];
            if last.key < child.key {
                break;
            }
            heap[hole] = child;
            hole = least;
        }
        heap[hole] = last;
        Some(root)
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

    #[test]
    fn pops_in_key_order_whatever_the_heap_size() {
        // Pushes and pops interleaved so the heap grows and shrinks through
        // every count of children under a node; checked against a sorted set.
        let mut c = Calendar::with_capacity(1);
        let mut expected = std::collections::BTreeSet::new();
        let mut x: u64 = 1;
        for round in 0..4000u32 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            // Few distinct times, so ties are common.
            let time = f64::from((x >> 58) as u32);
            let pushes = if round % 500 < 300 { 2 } else { 1 };
            for _ in 0..pushes {
                expected.insert((time.to_bits(), c.next_seq));
                c.schedule(time, c.next_seq);
            }
            let (t, seq) = c.pop().unwrap();
            assert_eq!(expected.pop_first(), Some((t.to_bits(), seq)));
        }
        while let Some((t, seq)) = c.pop() {
            assert_eq!(expected.pop_first(), Some((t.to_bits(), seq)));
        }
        assert!(expected.is_empty());
    }
}

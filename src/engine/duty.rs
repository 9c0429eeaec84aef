//! Duty changes: the number of staff on duty in a pool follows its day's
//! schedule; newcomers call at once, those going off duty finish the case in
//! hand first.

use super::sim::{Event, Sim};
use crate::scenario::model::DAY;

impl<const PLAIN: bool> Sim<'_, PLAIN> {
    /// The schedule changes the number on duty: new arrivals on duty call at
    /// once; those going off duty finish the case in hand first.
    pub(super) fn on_duty_change(&mut self, pool: usize) {
        let (day, i) = self.next_duty[pool];
        let changes = &self.m.duty_changes[pool];
        let n = changes[i].1;
        let (day, i) = if i + 1 == changes.len() { (day + 1, 0) } else { (day, i + 1) };
        self.next_duty[pool] = (day, i);
        if day < self.m.scenario.days() {
            self.calendar.schedule(f64::from(day) * DAY + changes[i].0, Event::Duty { pool: pool as u16 });
        }
        let delta = i64::from(n) - i64::from(self.on_duty[pool]);
        self.on_duty[pool] = n;
        self.set_free(pool, self.free[pool] + delta);
        self.rec.duty_change(self.now, pool, delta);
        while self.free[pool] > 0 && self.call_next(pool) {}
    }

    #[inline]
    pub(super) fn set_free(&mut self, pool: usize, free: i64) {
        if self.free[pool] >= 0 && free >= 0 {
            // No server busy beyond those on duty, before or after.
            self.free[pool] = free;
            return;
        }
        let (before, after) = ((-self.free[pool]).max(0), (-free).max(0));
        if before != after {
            self.rec.excess_change(self.now, pool, after - before);
        }
        self.free[pool] = free;
    }
}

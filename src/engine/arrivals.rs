//! Arrival instants: a piecewise-constant Poisson process (or a renewal
//! process) over each day's segments, drawn from the replication's arrival
//! stream; and booked tickets, scheduled a day at a time.

use rand_distr::{Distribution, Exp1};

use super::sim::{Event, Sim};
use crate::rng::{Attr, PersonStream, Stream, uniform};
use crate::scenario::model::{Appointments, ArrivalProcess, DAY, Horizon, Scenario};

/// Generates arrival instants.
pub(super) struct ArrivalClock {
    stream: Stream,
    day: u32,
    segment: usize,
    /// The current segment of a Poisson process on the current day: start
    /// and end (cut at the horizon), minutes, and rate, people per minute;
    /// worked out when the segment begins rather than at every arrival.
    span: (f64, f64, f64),
    t: f64,
    pub(super) issued: u64,
}

impl ArrivalClock {
    /// The clock at the start of a run, drawing from `stream`.
    pub(super) fn new(stream: Stream, s: &Scenario, horizon_end: f64) -> Self {
        let mut clock = ArrivalClock { stream, day: 0, segment: 0, span: (0.0, 0.0, 0.0), t: 0.0, issued: 0 };
        clock.enter_segment(s, horizon_end);
        clock
    }

    fn enter_segment(&mut self, s: &Scenario, horizon_end: f64) {
        if let ArrivalProcess::Poisson { segments } = &s.arrivals.process {
            let offset = f64::from(self.day) * DAY;
            let seg = &segments[self.segment];
            self.span = (offset + seg.start, (offset + seg.end).min(horizon_end), seg.rate * s.day_factor(self.day));
        }
    }
}

/// Person-stream numbers of booked tickets start here, apart from walk-ins'.
pub(super) const BOOKED_BASE: u64 = 1 << 48;

/// Booked tickets a day: at most 1,441 slots (one a minute) of at most
/// 10,000 people, as validation allows, so the product fits in 32 bits.
pub(super) fn booked_per_day(a: &Appointments) -> u32 {
    let slots = ((a.last_slot - a.first_slot) / a.every).floor() as u32 + 1;
    slots * a.per_slot
}

/// The person-stream number of booked ticket `k` of `day`, counted in 64 bits.
pub(super) fn booked_number(day: u32, k: u32, per_day: u32) -> u64 {
    BOOKED_BASE + u64::from(day) * u64::from(per_day) + u64::from(k)
}

impl<const PLAIN: bool> Sim<'_, PLAIN> {
    /// The next arrival instant, or None when arrivals are over.
    pub(super) fn next_arrival(&mut self) -> Option<f64> {
        let s = &self.m.scenario;
        if s.max_arrivals.is_some_and(|n| self.arrivals.issued >= n) {
            return None;
        }
        let (days, hours) = match s.horizon {
            Horizon::Days { days, hours } => (days, Some(hours)),
            Horizon::Continuous { .. } => (1, None),
        };
        let a = &mut self.arrivals;
        let t = match &s.arrivals.process {
            ArrivalProcess::Poisson { segments } => {
                let mut e: f64 = Exp1.sample(&mut a.stream);
                loop {
                    if a.day >= days {
                        return None;
                    }
                    let (seg_start, end, rate) = a.span;
                    // Instants are never NaN: a comparison, not f64::max.
                    let start = if a.t > seg_start { a.t } else { seg_start };
                    if rate > 0.0 && end > start {
                        let room = (end - start) * rate;
                        if e < room {
                            a.t = start + e / rate;
                            break a.t;
                        }
                        e -= room;
                    }
                    a.t = end;
                    a.segment += 1;
                    if a.segment == segments.len() {
                        a.segment = 0;
                        a.day += 1;
                    }
                    if a.day < days {
                        a.enter_segment(s, self.horizon_end);
                    }
                }
            }
            ArrivalProcess::Renewal { interarrival } => loop {
                if a.day >= days {
                    return None;
                }
                let offset = f64::from(a.day) * DAY;
                let (open, close) = match hours {
                    Some(h) => (offset + h.opens, offset + h.last_ticket),
                    None => (0.0, self.horizon_end),
                };
                let t = a.t.max(open) + interarrival.sample(&mut a.stream);
                if t < close {
                    a.t = t;
                    break t;
                }
                a.day += 1;
                a.t = 0.0;
            },
        };
        if t >= self.horizon_end {
            return None;
        }
        self.arrivals.issued += 1;
        Some(t)
    }

    pub(super) fn on_arrival(&mut self) {
        self.admit(self.arrivals.issued - 1, false);
        match self.next_arrival() {
            Some(t) => self.calendar.schedule_recurring(t, Event::Arrival),
            None => {
                if matches!(self.m.scenario.horizon, Horizon::Continuous { .. }) {
                    self.rec.close_window(self.now);
                }
            }
        }
    }

    /// Schedules the booked tickets of `day` (those who come), and the next day's bookings.
    pub(super) fn on_bookings(&mut self, day: u32) {
        let Some(a) = &self.m.scenario.appointments else { return };
        let per_day = booked_per_day(a);
        for k in 0..per_day {
            let person = PersonStream::new(self.person_key, booked_number(day, k, per_day));
            if uniform(&mut person.attribute(Attr::NoShow)) < a.no_show_share {
                continue;
            }
            let slot = a.first_slot + f64::from(k / a.per_slot) * a.every;
            let late = a.lateness.sample(&mut person.attribute(Attr::Lateness));
            let t = f64::from(day) * DAY + (slot - a.early + late).max(0.0);
            self.calendar.schedule(t.max(self.now), Event::Booked { day, k });
        }
        if day + 1 < self.m.scenario.days() {
            self.calendar.schedule(f64::from(day + 1) * DAY, Event::Bookings { day: day + 1 });
        }
    }
}

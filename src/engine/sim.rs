//! The event loop and what it keeps: the calendar, the store of people, the
//! queues, the servers free per pool; it hands each event to the module of
//! its concern (see the module documentation of [`crate::engine`]) and
//! settles cases and visits into the [`Recorder`].

use std::collections::VecDeque;

use super::arrivals::{ArrivalClock, booked_number, booked_per_day};
use super::calendar::Calendar;
use super::model::Model;
use super::person::{Person, Phase};
use super::trace::{Outcome, Trace, VisitRecord};
use crate::rng::{Purpose, Stream, person_key};
use crate::scenario::model::{Closing, Horizon};
use crate::stats::recorder::{Recorder, VisitEnd};

/// What happens at an instant of the calendar.
#[derive(Clone, Copy, Debug)]
pub(super) enum Event {
    /// The next walk-in takes a ticket.
    Arrival,
    ServiceEnd {
        pool: u16,
        case: u32,
    },
    /// The number on duty in a pool changes (its schedule).
    Duty {
        pool: u16,
    },
    /// A person's (or task's) hand-off into the next stage is over.
    HandoffEnd {
        case: u32,
    },
    /// A person's patience runs out, unless called by then (or the slot
    /// now holds another person: `generation` tells).
    PatienceEnd {
        case: u32,
        generation: u32,
    },
    /// A person sent home comes back.
    Return {
        case: u32,
    },
    /// Work left for a later day enters its queue.
    Deferred {
        case: u32,
    },
    /// Staff's end of a day under a hard close.
    Close,
    /// A day's booked tickets are scheduled.
    Bookings {
        day: u32,
    },
    /// Booked ticket `k` of day `day` arrives.
    Booked {
        day: u32,
        k: u32,
    },
}

/// The raw record of one replication; see [`crate::stats::kpi`] for what is reported from it.
#[derive(Clone, Debug)]
pub struct Replication {
    pub index: u64,
    pub record: Recorder,
}

/// One replication under way: the state every event handler works on.
///
/// `PLAIN`: the scenario is a plain route ([`Model::plain`]) and no visit
/// records are kept, so every person is on their route, in their one hall,
/// from ticket to completion; the tests for what such a run never meets
/// (practices, tasks, hand-offs, patience, the trace) compile away. The
/// general loop gives the same results on such a scenario, and is checked to.
pub(super) struct Sim<'m, const PLAIN: bool> {
    pub(super) m: &'m Model,
    pub(super) person_key: u64,
    pub(super) now: f64,
    pub(super) calendar: Calendar<Event>,
    pub(super) people: Vec<Person>,
    pub(super) free_slots: Vec<u32>,
    /// People in each hall now (waiting, in service or in a hand-off).
    pub(super) in_hall: Vec<u32>,
    pub(super) queues: Vec<VecDeque<u32>>,
    /// People (and tasks) waiting per (site, stage).
    pub(super) waiting: Vec<u32>,
    /// Servers free to call, per pool; negative when more are busy than on
    /// duty (they leave as they finish).
    pub(super) free: Vec<i64>,
    /// Staff on duty per pool.
    pub(super) on_duty: Vec<u32>,
    /// Per pool: the (day, index) of its next duty change.
    pub(super) next_duty: Vec<(u32, usize)>,
    pub(super) queued_seq: u64,
    pub(super) arrivals: ArrivalClock,
    pub(super) horizon_end: f64,
    pub(super) rec: Recorder,
    /// Visit records, when asked for.
    pub(super) trace: Option<Trace>,
}

/// Runs replication `replication` of `model` under master seed `seed`.
///
/// Pure: the result depends on the three arguments alone.
pub fn simulate(model: &Model, seed: u64, replication: u64) -> Replication {
    run(model, seed, replication, None).0
}

/// As [`simulate`], with the replication's visit records, in the order the
/// rows ended. The records do not change what is simulated.
pub fn simulate_traced(model: &Model, seed: u64, replication: u64) -> (Replication, Vec<VisitRecord>) {
    let (r, trace) = run(model, seed, replication, Some(Trace::default()));
    (r, trace.map_or(Vec::new(), |t| t.records))
}

pub(super) fn run(model: &Model, seed: u64, replication: u64, trace: Option<Trace>) -> (Replication, Option<Trace>) {
    let (record, trace) = if model.plain && trace.is_none() {
        Sim::<true>::new(model, seed, replication, None).run()
    } else {
        Sim::<false>::new(model, seed, replication, trace).run()
    };
    (Replication { index: replication, record }, trace)
}

impl<'m, const PLAIN: bool> Sim<'m, PLAIN> {
    /// Replication `replication` of `model` under master seed `seed`, before its first event.
    fn new(model: &'m Model, seed: u64, replication: u64, trace: Option<Trace>) -> Self {
        let s = &model.scenario;
        let (days, count_from, window, horizon_end) = match s.horizon {
            Horizon::Days { days, .. } => (days as usize, 0.0, (0.0, f64::INFINITY), f64::INFINITY),
            Horizon::Continuous { minutes, warmup } => (1, warmup, (warmup, minutes), minutes),
        };
        let n_queues = model.stage_type_pools.len() * model.n_classes;
        Sim {
            m: model,
            person_key: person_key(seed, replication),
            now: 0.0,
            calendar: Calendar::with_capacity(64),
            people: Vec::new(),
            free_slots: Vec::new(),
            in_hall: vec![0; model.n_sites],
            queues: vec![VecDeque::new(); n_queues],
            waiting: vec![0; model.n_sites * s.stages.len()],
            free: model.initial_duty.iter().map(|&n| i64::from(n)).collect(),
            on_duty: model.initial_duty.clone(),
            next_duty: vec![(0, 0); s.pools.len()],
            queued_seq: 0,
            arrivals: ArrivalClock::new(Stream::new(seed, replication, Purpose::Arrivals, 0), s, horizon_end),
            horizon_end,
            rec: Recorder::new(
                Recorder::sizes(s),
                days,
                count_from,
                window,
                s.hours().map(|h| (h.opens, h.staff_until)),
                (s.completion_target, &s.wait_targets),
            ),
            trace,
        }
    }

    /// Runs the replication to its end: what it recorded, and its visit records if kept.
    pub(super) fn run(mut self) -> (Recorder, Option<Trace>) {
        let s = &self.m.scenario;
        for p in 0..s.pools.len() {
            self.rec.duty_change(0.0, p, i64::from(self.m.initial_duty[p]));
            if let Some(&(t, _)) = self.m.duty_changes[p].first() {
                self.calendar.schedule(t, Event::Duty { pool: p as u16 });
            }
        }
        if let (Closing::Hard, Some(h)) = (s.closing, s.hours()) {
            self.calendar.schedule(h.staff_until, Event::Close);
        }
        if s.appointments.is_some() {
            self.calendar.schedule(0.0, Event::Bookings { day: 0 });
        }
        if let Some(t) = self.next_arrival() {
            self.calendar.schedule_recurring(t, Event::Arrival);
        }
        while let Some((t, event)) = self.calendar.pop() {
            self.now = t;
            self.rec.events += 1;
            match event {
                Event::Arrival => self.on_arrival(),
                Event::ServiceEnd { pool, case } => self.on_service_end(pool as usize, case),
                Event::Duty { pool } => self.on_duty_change(pool as usize),
                Event::HandoffEnd { case } => self.join_queue(case),
                Event::PatienceEnd { case, generation } => self.on_patience_end(case, generation),
                Event::Return { case } => self.on_return(case),
                Event::Deferred { case } => self.enter_stage(case),
                Event::Close => self.on_close(),
                Event::Bookings { day } => self.on_bookings(day),
                Event::Booked { day, k } => {
                    let per_day = self.m.scenario.appointments.as_ref().map_or(0, booked_per_day);
                    self.admit(booked_number(day, k, per_day), true)
                }
            }
        }
        self.rec.finish(self.now);
        (self.rec, self.trace)
    }

    /// The case is over: its trips are recorded and its slot freed;
    /// `first_trip_on_time`: completed on the first visit within the target.
    pub(super) fn close_case(&mut self, id: u32, completed: bool, first_trip_on_time: bool) {
        let p = &self.people[id as usize];
        let eligible = self.m.scenario.case_types[p.ctype as usize].counts_toward_target;
        self.rec.case_closed(p.arrival, p.trips, completed, eligible, first_trip_on_time);
        self.rec.case_waited(p.arrival, p.waited);
        self.free_slots.push(id);
    }

    /// The person leaves the hall, and this visit ends as `end`.
    pub(super) fn end_visit(&mut self, id: u32, end: VisitEnd) {
        let p = &self.people[id as usize];
        let (ctype, site) = (p.ctype as usize, p.site as usize);
        let eligible = self.m.scenario.case_types[ctype].counts_toward_target;
        self.rec.visit_end(self.now, p.arrival, p.visit_start, ctype, eligible, end);
        self.rec.left(p.visit_start, self.now, site);
        self.in_hall[site] -= 1;
    }

    /// Adds a row to the visit records, when they are kept: person (or task)
    /// `id` at `stage`, served by `pool` (None: never called), ending now.
    pub(super) fn record(&mut self, id: u32, stage: usize, pool: Option<usize>, outcome: Outcome) {
        let Some(trace) = &mut self.trace else { return };
        let p = &self.people[id as usize];
        trace.records.push(VisitRecord {
            ticket: trace.tickets[id as usize],
            trip: p.trips,
            case_type: p.ctype,
            stage: stage as u16,
            task: p.phase == Phase::Task,
            ticket_time: p.ticket,
            queued: p.queued_at,
            called: pool.map(|_| p.service_start),
            finished: self.now,
            pool: pool.map(|q| q as u16),
            outcome,
        });
    }
}

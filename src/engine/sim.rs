//! The event loop: people arrive, queue for stages, are called by windows or
//! staff, and leave when their route is done.
//!
//! Rules, all deterministic:
//! - Each person's attributes (case type, a service time for every step) are
//!   drawn at arrival from the person's own stream, indexed by arrival number,
//!   so two scenarios run with one seed see the same people (common random
//!   numbers), whatever their staffing.
//! - A person entering a stage takes a free server of the first pool, in file
//!   order, that serves the stage; otherwise joins the stage's queue.
//! - A server that finishes calls the waiting ticket with the highest priority
//!   class, and among those the one that has waited longest (ties: the one
//!   queued first). It calls before the person it just served moves on, so that
//!   person joins the next queue behind those already waiting.
//! - In days mode everyone holding a ticket is served; work after `staff_until`
//!   is overtime.
//!
//! The loop allocates nothing per event once its stores have grown to the
//! largest number of people present at once.

use std::collections::VecDeque;

use rand_distr::{Distribution, Exp1};

use super::calendar::Calendar;
use super::rng::{PersonStream, Purpose, Stream, person_key, uniform};
use crate::scenario::model::{ArrivalProcess, DAY, Horizon, MAX_ROUTE, Scenario};
use crate::stats::recorder::Recorder;

/// A scenario prepared for the engine: queue layout and who serves what.
/// Built once and shared by every replication.
#[derive(Debug)]
pub struct Model {
    pub scenario: Scenario,
    n_types: usize,
    n_classes: usize,
    /// Cumulative case-type shares, for drawing a type.
    cumulative_share: Vec<f64>,
    /// Queues each pool calls from.
    pool_queues: Vec<Vec<u32>>,
    /// Pools that serve each (stage, type), in file order.
    stage_type_pools: Vec<Vec<u16>>,
}

impl Model {
    pub fn new(scenario: Scenario) -> Self {
        let n_stages = scenario.stages.len();
        let n_types = scenario.case_types.len();
        let top = scenario.case_types.iter().map(|t| t.priority as usize).max().unwrap_or(0);
        let green = scenario.arrivals.green_channel_share > 0.0;
        // The green channel is one class above every type's priority.
        let n_classes = top + 1 + usize::from(green);
        let mut acc = 0.0;
        let mut cumulative_share: Vec<f64> = scenario
            .case_types
            .iter()
            .map(|t| {
                acc += t.share;
                acc
            })
            .collect();
        if let Some(last) = cumulative_share.last_mut() {
            *last = f64::INFINITY;
        }
        let mut pool_queues = vec![Vec::new(); scenario.pools.len()];
        let mut stage_type_pools = vec![Vec::new(); n_stages * n_types];
        for (p, pool) in scenario.pools.iter().enumerate() {
            for &s in &pool.stages {
                for &t in &pool.case_types {
                    let ct = &scenario.case_types[t];
                    if ct.route.iter().any(|step| step.stage == s) {
                        stage_type_pools[s * n_types + t].push(p as u16);
                        let base = (s * n_types + t) * n_classes;
                        pool_queues[p].push((base + ct.priority as usize) as u32);
                        if green {
                            pool_queues[p].push((base + n_classes - 1) as u32);
                        }
                    }
                }
            }
        }
        Model { scenario, n_types, n_classes, cumulative_share, pool_queues, stage_type_pools }
    }

    fn queue_index(&self, stage: usize, ctype: usize, class: usize) -> usize {
        (stage * self.n_types + ctype) * self.n_classes + class
    }
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Arrival,
    ServiceEnd {
        pool: u16,
        case: u32,
    },
    /// The number on duty in a pool changes (its schedule).
    Duty {
        pool: u16,
    },
    /// A person's hand-off into the next stage is over.
    HandoffEnd {
        case: u32,
    },
    /// A person's patience runs out, unless called by then (or the slot
    /// now holds another person: `generation` tells).
    PatienceEnd {
        case: u32,
        generation: u32,
    },
}

#[derive(Clone, Copy, Debug)]
struct Person {
    arrival: f64,
    /// When the person's current stage began (hand-off included), minutes.
    stage_enter: f64,
    /// When the person joined the current stage's queue, minutes.
    queued_at: f64,
    /// When the current stage's service started, minutes.
    service_start: f64,
    /// Order of joining a queue, for ties between queues.
    queued_seq: u64,
    service: [f64; MAX_ROUTE],
    /// Hand-off before each step, minutes (0 where there is none).
    handoff: [f64; MAX_ROUTE],
    ctype: u16,
    step: u8,
    /// Priority class (the green channel is the top class).
    class: u8,
    /// Counts the people who have held this slot, so a stale event is known.
    generation: u32,
    called: bool,
    day: u32,
}

impl Person {
    const EMPTY: Person = Person {
        arrival: 0.0,
        stage_enter: 0.0,
        queued_at: 0.0,
        service_start: 0.0,
        queued_seq: 0,
        service: [0.0; MAX_ROUTE],
        handoff: [0.0; MAX_ROUTE],
        ctype: 0,
        step: 0,
        class: 0,
        generation: 0,
        called: false,
        day: 0,
    };
}

/// Generates arrival instants.
struct ArrivalClock {
    stream: Stream,
    day: u32,
    segment: usize,
    t: f64,
    issued: u64,
}

/// The raw record of one replication; see [`crate::stats::kpi`] for what is reported from it.
#[derive(Clone, Debug)]
pub struct Replication {
    pub index: u64,
    pub record: Recorder,
}

struct Sim<'m> {
    m: &'m Model,
    person_key: u64,
    now: f64,
    calendar: Calendar<Event>,
    people: Vec<Person>,
    free_slots: Vec<u32>,
    /// People in the hall now (waiting, in service or in a hand-off).
    in_hall: u32,
    queues: Vec<VecDeque<u32>>,
    /// Servers free to call, per pool; negative when more are busy than on
    /// duty (they leave as they finish).
    free: Vec<i64>,
    /// Staff on duty per pool.
    on_duty: Vec<u32>,
    /// Per pool: its day's duty changes, and the (day, index) of the next one.
    duty_changes: Vec<Vec<(f64, u32)>>,
    next_duty: Vec<(u32, usize)>,
    queued_seq: u64,
    arrivals: ArrivalClock,
    horizon_end: f64,
    rec: Recorder,
}

/// Runs replication `replication` of `model` under master seed `seed`.
///
/// Pure: the result depends on the three arguments alone.
pub fn simulate(model: &Model, seed: u64, replication: u64) -> Replication {
    let s = &model.scenario;
    let (days, count_from, window, horizon_end) = match s.horizon {
        Horizon::Days { days, .. } => (days as usize, 0.0, (0.0, f64::INFINITY), f64::INFINITY),
        Horizon::Continuous { minutes, warmup } => (1, warmup, (warmup, minutes), minutes),
    };
    let n_queues = model.stage_type_pools.len() * model.n_classes;
    let mut sim = Sim {
        m: model,
        person_key: person_key(seed, replication),
        now: 0.0,
        calendar: Calendar::with_capacity(64),
        people: Vec::new(),
        free_slots: Vec::new(),
        in_hall: 0,
        queues: vec![VecDeque::new(); n_queues],
        free: s.pools.iter().map(|p| i64::from(p.count)).collect(),
        on_duty: s.pools.iter().map(|p| p.count).collect(),
        duty_changes: s.pools.iter().map(|p| p.changes()).collect(),
        next_duty: vec![(0, 0); s.pools.len()],
        queued_seq: 0,
        arrivals: ArrivalClock {
            stream: Stream::new(seed, replication, Purpose::Arrivals, 0),
            day: 0,
            segment: 0,
            t: 0.0,
            issued: 0,
        },
        horizon_end,
        rec: Recorder::new(
            (s.stages.len(), s.pools.len(), s.case_types.len()),
            days,
            count_from,
            window,
            s.hours().map(|h| (h.opens, h.staff_until)),
            s.completion_target,
        ),
    };
    sim.run();
    Replication { index: replication, record: sim.rec }
}

impl Sim<'_> {
    fn run(&mut self) {
        for (p, pool) in self.m.scenario.pools.iter().enumerate() {
            self.rec.duty_change(0.0, p, i64::from(pool.count));
            if let Some(&(t, _)) = self.duty_changes[p].first() {
                self.calendar.schedule(t, Event::Duty { pool: p as u16 });
            }
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
            }
        }
        self.rec.finish(self.now);
    }

    /// The next arrival instant, or None when arrivals are over.
    fn next_arrival(&mut self) -> Option<f64> {
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
                    let offset = f64::from(a.day) * DAY;
                    let seg = &segments[a.segment];
                    let start = (offset + seg.start).max(a.t);
                    let end = (offset + seg.end).min(self.horizon_end);
                    let rate = seg.rate * s.day_factor(a.day);
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

    fn on_arrival(&mut self) {
        let now = self.now;
        let m = self.m;
        let mut rng = PersonStream::new(self.person_key, self.arrivals.issued - 1);
        let ctype = if m.n_types == 1 {
            0
        } else {
            let u = uniform(&mut rng);
            m.cumulative_share.iter().position(|&c| u < c).unwrap_or(m.n_types - 1)
        };
        let ct = &m.scenario.case_types[ctype];
        // The person is drawn straight into a slot of the store.
        let id = match self.free_slots.pop() {
            Some(id) => id,
            None => {
                self.people.push(Person::EMPTY);
                (self.people.len() - 1) as u32
            }
        };
        let p = &mut self.people[id as usize];
        for (slot, step) in p.service.iter_mut().zip(&ct.route) {
            *slot = step.service.sample(&mut rng);
        }
        // Drawn after the service times, always, so that switching a practice
        // on or off leaves every other draw of every person as it was.
        let (green_u, outside_u) = (uniform(&mut rng), uniform(&mut rng));
        for (slot, step) in p.handoff.iter_mut().zip(&ct.route) {
            *slot = step.handoff.as_ref().map_or(0.0, |d| d.sample(&mut rng));
        }
        let patience = match &ct.patience {
            Some(d) => {
                let (wait, u) = (d.sample(&mut rng), uniform(&mut rng));
                (u >= ct.never_leave_share).then_some(wait)
            }
            None => None,
        };
        if outside_u < ct.outside_share {
            self.free_slots.push(id);
            self.rec.diversion(now);
        } else if m.scenario.hall_capacity.is_some_and(|cap| self.in_hall >= cap) {
            self.free_slots.push(id);
            self.rec.turned_away(now);
        } else {
            self.in_hall += 1;
            let green = green_u < m.scenario.arrivals.green_channel_share;
            p.class = if green { m.n_classes - 1 } else { ct.priority as usize } as u8;
            p.generation = p.generation.wrapping_add(1);
            p.arrival = now;
            p.stage_enter = now;
            p.ctype = ctype as u16;
            p.step = 0;
            p.called = false;
            p.day = (now / DAY) as u32;
            let generation = p.generation;
            self.rec.arrival(now);
            self.join_queue(id);
            if let Some(wait) = patience {
                self.calendar.schedule(now + wait, Event::PatienceEnd { case: id, generation });
            }
        }
        match self.next_arrival() {
            Some(t) => self.calendar.schedule_recurring(t, Event::Arrival),
            None => {
                if matches!(m.scenario.horizon, Horizon::Continuous { .. }) {
                    self.rec.close_window(now);
                }
            }
        }
    }

    /// A person whose patience ran out leaves, if still waiting for the first call.
    fn on_patience_end(&mut self, id: u32, generation: u32) {
        let p = &self.people[id as usize];
        if p.generation != generation || p.called {
            return;
        }
        let stage = self.stage_of(id);
        let (ctype, class, arrival) = (p.ctype as usize, p.class as usize, p.arrival);
        let q = self.m.queue_index(stage, ctype, class);
        if let Some(i) = self.queues[q].iter().position(|&x| x == id) {
            self.queues[q].remove(i);
            self.rec.queue_change(self.now, stage, -1);
            let eligible = self.m.scenario.case_types[ctype].counts_toward_target;
            self.rec.abandonment(arrival, eligible);
            self.people[id as usize].called = true;
            self.in_hall -= 1;
            self.free_slots.push(id);
        }
    }

    fn stage_of(&self, id: u32) -> usize {
        let p = &self.people[id as usize];
        self.m.scenario.case_types[p.ctype as usize].route[p.step as usize].stage
    }

    /// The person starts the stage at their current step: the hand-off, if
    /// any, then the queue.
    fn begin_stage(&mut self, id: u32) {
        let p = &mut self.people[id as usize];
        p.stage_enter = self.now;
        let handoff = p.handoff[p.step as usize];
        if handoff > 0.0 {
            self.calendar.schedule(self.now + handoff, Event::HandoffEnd { case: id });
        } else {
            self.join_queue(id);
        }
    }

    fn join_queue(&mut self, id: u32) {
        let stage = self.stage_of(id);
        let p = &mut self.people[id as usize];
        p.queued_at = self.now;
        let ctype = p.ctype as usize;
        let pools = &self.m.stage_type_pools[stage * self.m.n_types + ctype];
        if let Some(&pool) = pools.iter().find(|&&pool| self.free[pool as usize] > 0) {
            self.start_service(pool as usize, id);
        } else {
            p.queued_seq = self.queued_seq;
            self.queued_seq += 1;
            let q = self.m.queue_index(stage, ctype, p.class as usize);
            self.queues[q].push_back(id);
            self.rec.queue_change(self.now, stage, 1);
        }
    }

    fn start_service(&mut self, pool: usize, id: u32) {
        let now = self.now;
        self.free[pool] -= 1;
        let p = &mut self.people[id as usize];
        p.service_start = now;
        let duration = p.service[p.step as usize];
        let (arrival, first, ctype) = (p.arrival, !p.called, p.ctype as usize);
        let green = self.m.scenario.arrivals.green_channel_share > 0.0 && p.class as usize == self.m.n_classes - 1;
        p.called = true;
        if first {
            self.rec.first_call(arrival, ctype, green, now - arrival);
        }
        self.rec.busy_change(now, pool, 1);
        self.calendar.schedule(now + duration, Event::ServiceEnd { pool: pool as u16, case: id });
    }

    /// The schedule changes the number on duty: new arrivals on duty call at
    /// once; those going off duty finish the case in hand first.
    fn on_duty_change(&mut self, pool: usize) {
        let (day, i) = self.next_duty[pool];
        let changes = &self.duty_changes[pool];
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

    fn set_free(&mut self, pool: usize, free: i64) {
        let (before, after) = ((-self.free[pool]).max(0), (-free).max(0));
        if before != after {
            self.rec.excess_change(self.now, pool, after - before);
        }
        self.free[pool] = free;
    }

    fn on_service_end(&mut self, pool: usize, id: u32) {
        let stage = self.stage_of(id);
        let p = &self.people[id as usize];
        let (arrival, ctype, step, day) = (p.arrival, p.ctype as usize, p.step as usize, p.day);
        let budget = self.m.scenario.stages[stage].budget;
        let (wait, service, time) =
            (p.service_start - p.queued_at, self.now - p.service_start, self.now - p.stage_enter);
        self.rec.stage_done(arrival, stage, wait, service, time, budget);
        self.set_free(pool, self.free[pool] + 1);
        self.rec.busy_change(self.now, pool, -1);
        if self.free[pool] > 0 {
            self.call_next(pool);
        }
        let ct = &self.m.scenario.case_types[ctype];
        let next = step + 1;
        if next < ct.route.len() {
            self.people[id as usize].step = next as u8;
            self.begin_stage(id);
        } else {
            self.rec.completion(self.now, arrival, ctype, ct.counts_toward_target, day as usize);
            self.in_hall -= 1;
            self.free_slots.push(id);
        }
    }

    /// A server of `pool` became free: call the best waiting ticket, if any.
    /// Returns whether someone was called.
    fn call_next(&mut self, pool: usize) -> bool {
        let mut best: Option<(usize, u32, u64)> = None;
        for &q in &self.m.pool_queues[pool] {
            let q = q as usize;
            if let Some(&id) = self.queues[q].front() {
                let class = q % self.m.n_classes;
                let seq = self.people[id as usize].queued_seq;
                let better = match best {
                    None => true,
                    Some((bq, _, bseq)) => {
                        let bclass = bq % self.m.n_classes;
                        class > bclass || (class == bclass && seq < bseq)
                    }
                };
                if better {
                    best = Some((q, id, seq));
                }
            }
        }
        let Some((q, id, _)) = best else {
            return false;
        };
        self.queues[q].pop_front();
        let stage = q / (self.m.n_classes * self.m.n_types);
        self.rec.queue_change(self.now, stage, -1);
        self.start_service(pool, id);
        true
    }
}

//! The event loop: people arrive, queue for stages, are called by windows or
//! staff, and leave when their route is done.
//!
//! Rules, all deterministic:
//! - Each person's attributes (case type, a service time for every step,
//!   patience, each practice's draw) are drawn at arrival, each from its own
//!   sub-stream of the person's stream, indexed by arrival number: two
//!   scenarios run with one seed see the same people (common random numbers),
//!   whatever their staffing, and changing how one attribute is drawn leaves
//!   every other as it was.
//! - A person entering a stage takes a free server of the first pool, in file
//!   order, that serves the stage; otherwise joins the stage's queue.
//! - A server that finishes calls the waiting ticket with the highest priority
//!   class, and among those the one that has waited longest (ties: the one
//!   queued first). It calls before the person it just served moves on, so that
//!   person joins the next queue behind those already waiting.
//! - In days mode, with extended hours, everyone holding a ticket is served;
//!   work after `staff_until` is overtime. With a hard close, staff leave at
//!   `staff_until` and those still waiting for a window are sent home.
//! - A slot of the store holds a person (on their route, or with a guide
//!   before the ticket) or a task: back-office work without the person (a
//!   parallel branch, a follow-up for a missing paper). A person sent home
//!   keeps the slot until they come back on a later day or give up; later-day
//!   work keeps it until done.
//!
//! The loop allocates nothing per event once its stores have grown to the
//! largest number of people (and tasks) present at once.

use std::collections::VecDeque;

use rand_distr::{Distribution, Exp1};

use super::calendar::Calendar;
use super::rng::{Attr, PersonStream, Purpose, Stream, person_key, uniform};
use super::trace::{Outcome, Trace, VisitRecord};
use crate::scenario::model::{Appointments, ArrivalProcess, Closing, DAY, Horizon, MAX_ROUTE, Scenario};
use crate::stats::recorder::{Recorder, VisitEnd};

/// A scenario prepared for the engine: queue layout and who serves what.
/// Built once and shared by every replication.
#[derive(Debug)]
pub struct Model {
    pub(crate) scenario: Scenario,
    n_sites: usize,
    n_stages: usize,
    n_types: usize,
    n_classes: usize,
    /// Cumulative case-type shares, for drawing a type.
    cumulative_share: Vec<f64>,
    /// Cumulative shares of the halls, for drawing a home hall.
    cumulative_site_share: Vec<f64>,
    /// Queues each pool calls from.
    pool_queues: Vec<Vec<u32>>,
    /// Pools that serve each (site, stage, type), in file order.
    stage_type_pools: Vec<Vec<u16>>,
    /// Whether each stage needs the person at a window.
    present: Vec<bool>,
    /// Mean service time of each type's first step, minutes (the displayed wait).
    first_service_mean: Vec<f64>,
    /// Per pool: staff on duty at the first midnight, and its day's duty
    /// changes (minutes after midnight, count), each a real change.
    initial_duty: Vec<u32>,
    duty_changes: Vec<Vec<(f64, u32)>>,
    /// Whether any practice draws for a person (else those draws are skipped).
    practices: bool,
    /// The (site, stage) of each queue.
    queue_places: Vec<(u16, u16)>,
    /// Per (type, step), at `type * MAX_ROUTE + step`: the stage, and
    /// whether the step is parallel or later (the slow path of `begin_stage`).
    route_stage: Vec<u16>,
    step_special: Vec<bool>,
    /// The guides' stage (0 without pre-review).
    pre_stage: u16,
    /// Whether the top class holds the green channel or booked tickets.
    top_class_used: bool,
    hard_close: bool,
}

/// Running sums of shares, the last made infinite so that every uniform draw
/// finds its place despite rounding.
fn cumulative(shares: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    let mut out: Vec<f64> = shares
        .map(|x| {
            acc += x;
            acc
        })
        .collect();
    if let Some(last) = out.last_mut() {
        *last = f64::INFINITY;
    }
    out
}

/// A day's duty changes as one list of real changes, whatever way the file
/// wrote them: changes at one instant apply as one (the last wins), and a
/// change to the number already on duty is dropped. The day repeats, so the
/// number on duty at midnight is the one the day ends with; returns it too.
fn canonical_duty(count: u32, changes: Vec<(f64, u32)>) -> (u32, Vec<(f64, u32)>) {
    let mut merged: Vec<(f64, u32)> = Vec::with_capacity(changes.len());
    for (t, n) in changes {
        match merged.last_mut() {
            Some(last) if last.0 == t => last.1 = n,
            _ => merged.push((t, n)),
        }
    }
    let midnight = merged.last().map_or(count, |c| c.1);
    let mut level = midnight;
    merged.retain(|&(_, n)| std::mem::replace(&mut level, n) != n);
    (midnight, merged)
}

impl Model {
    /// The scenario this model runs (fixed when the model is built).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn new(scenario: Scenario) -> Self {
        let n_stages = scenario.stages.len();
        let n_types = scenario.case_types.len();
        let top = scenario.case_types.iter().map(|t| t.priority as usize).max().unwrap_or(0);
        let green = scenario.arrivals.green_channel_share > 0.0 || scenario.appointments.is_some();
        // The green channel (and booked tickets) is one class above every type's priority.
        let n_classes = top + 1 + usize::from(green);
        let cumulative_share = cumulative(scenario.case_types.iter().map(|t| t.share));
        let mut pool_queues = vec![Vec::new(); scenario.pools.len()];
        let n_sites = scenario.n_sites();
        let mut stage_type_pools = vec![Vec::new(); n_sites * n_stages * n_types];
        let cumulative_site_share = cumulative(scenario.sites.iter().map(|s| s.share));
        // Stages every type may visit besides its route: the guides', the follow-up's.
        let extra: Vec<usize> = scenario
            .pre_review
            .iter()
            .map(|p| p.stage)
            .chain(scenario.documents.iter().filter_map(|d| d.follow_up.as_ref().map(|f| f.0)))
            .collect();
        for (p, pool) in scenario.pools.iter().enumerate() {
            for &s in &pool.stages {
                for &t in &pool.case_types {
                    let ct = &scenario.case_types[t];
                    if ct.route.iter().any(|step| step.stage == s) || extra.contains(&s) {
                        let st = (pool.site * n_stages + s) * n_types + t;
                        stage_type_pools[st].push(p as u16);
                        let base = st * n_classes;
                        pool_queues[p].push((base + ct.priority as usize) as u32);
                        if green {
                            pool_queues[p].push((base + n_classes - 1) as u32);
                        }
                    }
                }
            }
        }
        let present = scenario.stages.iter().map(|s| s.present).collect();
        let first_service_mean = scenario.case_types.iter().map(|t| t.route[0].service.mean()).collect();
        let (initial_duty, duty_changes) = scenario
            .pools
            .iter()
            .map(|p| {
                let mut changes = p.changes();
                // A hard close sends staff home at their end and back at opening.
                if let (Closing::Hard, Some(h)) = (scenario.closing, scenario.hours()) {
                    changes.insert(0, (h.opens, p.count));
                    changes.push((h.staff_until, 0));
                }
                canonical_duty(p.count, changes)
            })
            .unzip();
        let c = &scenario.calling;
        let practices = scenario.documents.is_some()
            || scenario.pre_review.is_some()
            || scenario.closing == Closing::Hard
            || !scenario.sites.is_empty()
            || c.absent_share > 0.0
            || c.balk_above.is_some();
        let hard_close = scenario.closing == Closing::Hard;
        let (mut route_stage, mut step_special) = (vec![0; n_types * MAX_ROUTE], vec![false; n_types * MAX_ROUTE]);
        for (t, ct) in scenario.case_types.iter().enumerate() {
            for (i, step) in ct.route.iter().enumerate() {
                route_stage[t * MAX_ROUTE + i] = step.stage as u16;
                step_special[t * MAX_ROUTE + i] = step.parallel || step.later;
            }
        }
        let pre_stage = scenario.pre_review.as_ref().map_or(0, |pr| pr.stage as u16);
        Model {
            scenario,
            n_sites,
            n_stages,
            n_types,
            n_classes,
            cumulative_share,
            cumulative_site_share,
            pool_queues,
            stage_type_pools,
            present,
            first_service_mean,
            initial_duty,
            duty_changes,
            practices,
            queue_places: (0..n_sites * n_stages * n_types * n_classes)
                .map(|q| {
                    let st = q / (n_classes * n_types);
                    ((st / n_stages) as u16, (st % n_stages) as u16)
                })
                .collect(),
            top_class_used: green,
            route_stage,
            step_special,
            pre_stage,
            hard_close,
        }
    }

    /// (stages, pools, case types, halls, priority classes), for sizing a [`Recorder`].
    pub fn sizes(&self) -> (usize, usize, usize, usize, usize) {
        (self.n_stages, self.scenario.pools.len(), self.n_types, self.n_sites, self.n_classes)
    }

    fn queue_index(&self, site: usize, stage: usize, ctype: usize, class: usize) -> usize {
        ((site * self.n_stages + stage) * self.n_types + ctype) * self.n_classes + class
    }

    /// The (site, stage) of queue `q`.
    #[inline]
    fn queue_place(&self, q: usize) -> (usize, usize) {
        let (site, stage) = self.queue_places[q];
        (site as usize, stage as usize)
    }

    /// Index of (site, stage, type) in `stage_type_pools`.
    fn serving(&self, site: usize, stage: usize, ctype: usize) -> usize {
        (site * self.n_stages + stage) * self.n_types + ctype
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

/// What a slot of the store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// A person on their route.
    Route,
    /// A person with a guide, before the ticket.
    PreReview,
    /// Back-office work without the person: a parallel branch or a
    /// follow-up for a paper that came later.
    Task,
}

/// How a case's documents turn out at the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Papers {
    Complete,
    /// Accepted with a paper missing: a follow-up task.
    AcceptedMissing,
    /// Sent home for the paper (after the window's service).
    Rejected,
    /// Sent home by the guide, before the window.
    RejectedByGuide,
}

/// No slot: a task without a parent.
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Person {
    /// First ticket (or arrival at the guides), minutes: the cohort the
    /// person is counted in.
    arrival: f64,
    /// This visit's ticket, minutes: waits for a call run from it.
    ticket: f64,
    /// When this visit entered the hall (the guides' queue, or the ticket),
    /// minutes: times to completion run from it.
    visit_start: f64,
    /// When the person's current stage began (hand-off included), minutes.
    stage_enter: f64,
    /// When the person joined the current stage's queue, minutes.
    queued_at: f64,
    /// When the current stage's service started, minutes.
    service_start: f64,
    /// Order of joining a queue, for ties between queues.
    queued_seq: u64,
    /// Minutes waited in queues so far, all stages and visits (in the hall).
    waited: f64,
    service: [f64; MAX_ROUTE],
    /// Hand-off before each step, minutes (0 where there is none).
    handoff: [f64; MAX_ROUTE],
    /// Guide time (pre-review) or task time, minutes.
    extra: f64,
    /// Follow-up work for a paper that comes later, minutes.
    follow_up: f64,
    /// How long the person waits for a call before leaving, on each visit,
    /// minutes (infinite: never leaves).
    patience: f64,
    /// A task's parent slot, or NONE.
    parent: u32,
    /// Counts the people who have held this slot, so a stale event is known.
    generation: u32,
    /// The hall (site) of the current visit.
    site: u8,
    ctype: u16,
    /// A task's stage.
    task_stage: u16,
    step: u8,
    /// Priority class (the green channel and booked tickets are the top class).
    class: u8,
    /// Visits to the hall so far.
    trips: u8,
    /// Parallel branches not finished yet.
    pending: u8,
    phase: Phase,
    papers: Papers,
    called: bool,
    /// Waiting for a parallel branch before the next step.
    at_join: bool,
    /// Not in the hall: sent home, or gone while back-office work goes on.
    away: bool,
    /// Left unseen; the first call finds nobody.
    absent: bool,
    /// Comes back when sent home.
    returns: bool,
}

impl Person {
    const EMPTY: Person = Person {
        arrival: 0.0,
        ticket: 0.0,
        visit_start: 0.0,
        stage_enter: 0.0,
        queued_at: 0.0,
        service_start: 0.0,
        queued_seq: 0,
        waited: 0.0,
        service: [0.0; MAX_ROUTE],
        handoff: [0.0; MAX_ROUTE],
        extra: 0.0,
        follow_up: 0.0,
        patience: f64::INFINITY,
        parent: NONE,
        generation: 0,
        site: 0,
        ctype: 0,
        task_stage: 0,
        step: 0,
        class: 0,
        trips: 0,
        pending: 0,
        phase: Phase::Route,
        papers: Papers::Complete,
        called: false,
        at_join: false,
        away: false,
        absent: false,
        returns: false,
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
    /// People in each hall now (waiting, in service or in a hand-off).
    in_hall: Vec<u32>,
    queues: Vec<VecDeque<u32>>,
    /// People (and tasks) waiting per (site, stage).
    waiting: Vec<u32>,
    /// Servers free to call, per pool; negative when more are busy than on
    /// duty (they leave as they finish).
    free: Vec<i64>,
    /// Staff on duty per pool.
    on_duty: Vec<u32>,
    /// Per pool: the (day, index) of its next duty change.
    next_duty: Vec<(u32, usize)>,
    queued_seq: u64,
    arrivals: ArrivalClock,
    horizon_end: f64,
    rec: Recorder,
    /// Visit records, when asked for.
    trace: Option<Trace>,
}

/// Draws person `p`'s practices (type `ctype`), each from its own sub-stream
/// of `rng`. Returns the hall chosen and whether the person balks at its
/// displayed wait.
fn draw_practices(
    m: &Model,
    p: &mut Person,
    ctype: usize,
    rng: &PersonStream,
    waiting: &[u32],
    on_duty: &[u32],
) -> (usize, bool) {
    let s = &m.scenario;
    let ct = &s.case_types[ctype];
    let u = |attr| uniform(&mut rng.attribute(attr));
    let (problem_u, fixed_u, accept_u, pre_u, catch_u) =
        (u(Attr::Problem), u(Attr::Fixed), u(Attr::AcceptMissing), u(Attr::PreReview), u(Attr::Catch));
    let (absent_u, balk_u, return_u, site_u, choose_u) =
        (u(Attr::Absent), u(Attr::Balk), u(Attr::Return), u(Attr::Site), u(Attr::ChooseShortest));
    p.absent = absent_u < s.calling.absent_share;
    p.returns = return_u < s.returns.share;
    let mut site = 0;
    if m.n_sites > 1 {
        let home = m.cumulative_site_share.iter().position(|&c| site_u < c).unwrap_or(0);
        site = home;
        if choose_u < s.shortest_queue_share {
            let mut best = shown_wait(m, waiting, on_duty, home, ctype);
            for other in 0..m.n_sites {
                let w = shown_wait(m, waiting, on_duty, other, ctype);
                if w < best {
                    (site, best) = (other, w);
                }
            }
        }
    }
    let balks = s
        .calling
        .balk_above
        .is_some_and(|limit| shown_wait(m, waiting, on_duty, site, ctype) > limit && balk_u < s.calling.balk_share);
    let pre = s.pre_review.as_ref().filter(|pr| pre_u < pr.share);
    if let Some(pr) = pre {
        p.phase = Phase::PreReview;
        p.service[0] *= pr.window_time_factor;
    }
    if let Some(d) = &s.documents {
        let fix = d.fix_time.sample(&mut rng.attribute(Attr::FixTime));
        let accept_extra = d.accept_missing_time.sample(&mut rng.attribute(Attr::AcceptMissingTime));
        p.follow_up = d.follow_up.as_ref().map_or(0.0, |f| f.1.sample(&mut rng.attribute(Attr::FollowUpTime)));
        let caught = pre.is_some_and(|pr| catch_u < pr.catch_share);
        if problem_u < ct.problem_share {
            if fixed_u < d.fixed_share {
                if !caught {
                    p.service[0] += fix;
                }
            } else if d.accept_missing && accept_u < d.accept_missing_share {
                p.service[0] += accept_extra;
                p.papers = Papers::AcceptedMissing;
            } else {
                p.papers = if caught { Papers::RejectedByGuide } else { Papers::Rejected };
            }
        }
    }
    if let Some(pr) = pre {
        p.extra = pr.service.sample(&mut rng.attribute(Attr::GuideTime));
    }
    (site, balks)
}

/// The wait the ticket machine of `site` shows to a person of type `ctype`,
/// minutes: people waiting for the type's first stage times its mean service
/// time, over the staff on duty who serve it there.
fn shown_wait(m: &Model, waiting: &[u32], on_duty: &[u32], site: usize, ctype: usize) -> f64 {
    let stage = m.scenario.case_types[ctype].route[0].stage;
    let staff: u32 = m.stage_type_pools[m.serving(site, stage, ctype)].iter().map(|&q| on_duty[q as usize]).sum();
    if staff == 0 {
        return f64::INFINITY;
    }
    f64::from(waiting[site * m.n_stages + stage]) * m.first_service_mean[ctype] / f64::from(staff)
}

/// The day of a visit whose ticket was taken at `ticket` minutes.
fn visit_day(ticket: f64) -> u32 {
    (ticket / DAY) as u32
}

/// Person-stream numbers of booked tickets start here, apart from walk-ins'.
const BOOKED_BASE: u64 = 1 << 48;

/// Booked tickets a day: at most 1,441 slots (one a minute) of at most
/// 10,000 people, as validation allows, so the product fits in 32 bits.
fn booked_per_day(a: &Appointments) -> u32 {
    let slots = ((a.last_slot - a.first_slot) / a.every).floor() as u32 + 1;
    slots * a.per_slot
}

/// The person-stream number of booked ticket `k` of `day`, counted in 64 bits.
fn booked_number(day: u32, k: u32, per_day: u32) -> u64 {
    BOOKED_BASE + u64::from(day) * u64::from(per_day) + u64::from(k)
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

fn run(model: &Model, seed: u64, replication: u64, trace: Option<Trace>) -> (Replication, Option<Trace>) {
    let s = &model.scenario;
    let (days, count_from, window, horizon_end) = match s.horizon {
        Horizon::Days { days, .. } => (days as usize, 0.0, (0.0, f64::INFINITY), f64::INFINITY),
        Horizon::Continuous { minutes, warmup } => (1, warmup, (warmup, minutes), minutes),
    };
    let n_queues = model.stage_type_pools.len() * model.n_classes;
    let key = person_key(seed, replication);
    let mut sim = Sim {
        m: model,
        person_key: key,
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
        arrivals: ArrivalClock {
            stream: Stream::new(seed, replication, Purpose::Arrivals, 0),
            day: 0,
            segment: 0,
            t: 0.0,
            issued: 0,
        },
        horizon_end,
        rec: Recorder::new(
            model.sizes(),
            days,
            count_from,
            window,
            s.hours().map(|h| (h.opens, h.staff_until)),
            (s.completion_target, &s.wait_targets),
        ),
        trace,
    };
    sim.run();
    (Replication { index: replication, record: sim.rec }, sim.trace)
}

impl Sim<'_> {
    fn run(&mut self) {
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
    fn on_bookings(&mut self, day: u32) {
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

    fn new_slot(&mut self) -> u32 {
        match self.free_slots.pop() {
            Some(id) => id,
            None => {
                self.people.push(Person::EMPTY);
                (self.people.len() - 1) as u32
            }
        }
    }

    /// Person number `number` comes to the hall (a walk-in, or a booked ticket).
    fn admit(&mut self, number: u64, booked: bool) {
        let now = self.now;
        let m = self.m;
        let s = &m.scenario;
        let rng = PersonStream::new(self.person_key, number);
        let ctype = if m.n_types == 1 {
            0
        } else {
            let u = uniform(&mut rng.attribute(Attr::CaseType));
            m.cumulative_share.iter().position(|&c| u < c).unwrap_or(m.n_types - 1)
        };
        let ct = &s.case_types[ctype];
        // The person is drawn straight into a slot of the store.
        let id = self.new_slot();
        if let Some(trace) = &mut self.trace {
            trace.set_ticket(id, number);
        }
        let p = &mut self.people[id as usize];
        for (i, (slot, step)) in p.service.iter_mut().zip(&ct.route).enumerate() {
            *slot = step.service.sample(&mut rng.service(i));
        }
        let (green_u, outside_u) =
            (uniform(&mut rng.attribute(Attr::Green)), uniform(&mut rng.attribute(Attr::Outside)));
        for (i, (slot, step)) in p.handoff.iter_mut().zip(&ct.route).enumerate() {
            *slot = step.handoff.as_ref().map_or(0.0, |d| d.sample(&mut rng.handoff(i)));
        }
        let patience = ct.patience.as_ref().and_then(|d| {
            let never_leaves = uniform(&mut rng.attribute(Attr::NeverLeave)) < ct.never_leave_share;
            (!never_leaves).then(|| d.sample(&mut rng.attribute(Attr::Patience)))
        });
        p.papers = Papers::Complete;
        p.phase = Phase::Route;
        p.absent = false;
        p.returns = false;
        let (site, balks) =
            if m.practices { draw_practices(m, p, ctype, &rng, &self.waiting, &self.on_duty) } else { (0, false) };
        if outside_u < ct.outside_share {
            self.free_slots.push(id);
            self.rec.diversion(now);
            return;
        }
        let full = s.hall_capacity.is_some_and(|cap| self.in_hall[site] >= cap);
        if full || balks {
            self.free_slots.push(id);
            if full {
                self.rec.turned_away(now);
            } else {
                self.rec.balked(now);
            }
            let eligible = ct.counts_toward_target;
            self.rec.visit_end(now, now, now, ctype, eligible, VisitEnd::NotAdmitted);
            self.rec.case_closed(now, 1, false, eligible, false);
            return;
        }
        self.in_hall[site] += 1;
        p.site = site as u8;
        self.rec.site_arrival(now, site);
        let green = booked || green_u < s.arrivals.green_channel_share;
        p.class = if green { m.n_classes - 1 } else { ct.priority as usize } as u8;
        p.generation = p.generation.wrapping_add(1);
        p.arrival = now;
        p.ticket = now;
        p.visit_start = now;
        p.waited = 0.0;
        p.stage_enter = now;
        p.ctype = ctype as u16;
        p.step = 0;
        p.called = false;
        p.trips = 1;
        p.pending = 0;
        p.at_join = false;
        p.away = false;
        p.parent = NONE;
        p.patience = patience.unwrap_or(f64::INFINITY);
        let generation = p.generation;
        self.rec.arrival(now);
        self.rec.entered(now, site);
        self.join_queue(id);
        if let Some(wait) = patience {
            // Stale, and so ignored, if the person was sent home at once.
            self.calendar.schedule(now + wait, Event::PatienceEnd { case: id, generation });
        }
    }

    /// The person's patience starts running again (a return visit).
    fn start_patience(&mut self, id: u32) {
        let p = &self.people[id as usize];
        if p.patience.is_finite() && !p.away {
            let event = Event::PatienceEnd { case: id, generation: p.generation };
            self.calendar.schedule(self.now + p.patience, event);
        }
    }

    /// A person whose patience ran out leaves, if still waiting for the first call.
    fn on_patience_end(&mut self, id: u32, generation: u32) {
        let p = &self.people[id as usize];
        if p.generation != generation || p.called || p.away {
            return;
        }
        let (ctype, class, arrival, site) = (p.ctype as usize, p.class as usize, p.arrival, p.site as usize);
        let stage = self.stage_of(id);
        let q = self.m.queue_index(site, stage, ctype, class);
        if let Some(i) = self.queues[q].iter().position(|&x| x == id) {
            self.queues[q].remove(i);
            self.queue_change(true, site, stage, class, -1);
            let p = &mut self.people[id as usize];
            let wait = self.now - p.queued_at;
            p.waited += wait;
            let since_ticket = self.now - p.ticket;
            self.record(id, stage, None, Outcome::Left);
            self.rec.abandonment(arrival, wait);
            self.rec.left_queue(arrival, ctype, stage, Some(since_ticket));
            self.end_visit(id, VisitEnd::Unfinished);
            self.close_case(id, false, false);
        }
    }

    fn stage_of(&self, id: u32) -> usize {
        let p = &self.people[id as usize];
        (match p.phase {
            Phase::Route => self.m.route_stage[p.ctype as usize * MAX_ROUTE + p.step as usize],
            Phase::PreReview => self.m.pre_stage,
            Phase::Task => p.task_stage,
        }) as usize
    }

    #[inline]
    /// A person (or, `person` false, a task) joins (+1) or leaves (-1) a queue
    /// of `stage` at `site`, in priority `class`.
    fn queue_change(&mut self, person: bool, site: usize, stage: usize, class: usize, delta: i32) {
        let w = &mut self.waiting[site * self.m.n_stages + stage];
        *w = w.wrapping_add_signed(delta);
        self.rec.queue_change(self.now, stage, class, delta, person);
    }

    /// Whether staff have gone home (a hard close, between `staff_until` and opening).
    fn closed(&self) -> bool {
        match (self.m.scenario.closing, self.m.scenario.hours()) {
            (Closing::Hard, Some(h)) => {
                let minute = self.now - (self.now / DAY).floor() * DAY;
                minute >= h.staff_until || minute < h.opens
            }
            _ => false,
        }
    }

    /// The person starts the step they are at: parallel branches split off,
    /// later-day work waits for its day; then the hand-off, if any, and the queue.
    fn begin_stage(&mut self, id: u32) {
        let p = &self.people[id as usize];
        if p.phase != Phase::Route || !self.m.step_special[p.ctype as usize * MAX_ROUTE + p.step as usize] {
            self.enter_stage(id);
            return;
        }
        let step = &self.m.scenario.case_types[p.ctype as usize].route[p.step as usize];
        if p.phase == Phase::Route && step.parallel {
            let (stage, service, handoff) = (step.stage, p.service[p.step as usize], p.handoff[p.step as usize]);
            let task = self.spawn_task(id, true, stage, service, handoff);
            let p = &mut self.people[id as usize];
            p.pending += 1;
            p.step += 1;
            self.begin_stage(task);
            self.begin_stage(id);
            return;
        }
        if p.phase == Phase::Route && step.later && !p.away {
            // The person goes home; the work waits for the next day.
            self.leave_hall(id, VisitEnd::Unfinished);
            // The next day at the same hour: later-day work comes in as the cases did.
            let next_day = self.now + DAY;
            let s = &self.m.scenario;
            if s.hours().is_some() && next_day >= f64::from(s.days()) * DAY {
                // After the run's last day: done then, but not simulated.
                self.rec.completion_later(self.people[id as usize].arrival);
                self.close_case(id, true, false);
            } else {
                self.calendar.schedule(next_day, Event::Deferred { case: id });
            }
            return;
        }
        self.enter_stage(id);
    }

    /// The hand-off, if any, then the queue.
    fn enter_stage(&mut self, id: u32) {
        let p = &mut self.people[id as usize];
        p.stage_enter = self.now;
        let handoff = match p.phase {
            Phase::Route => p.handoff[p.step as usize],
            Phase::Task => p.handoff[0],
            Phase::PreReview => 0.0,
        };
        if handoff > 0.0 {
            self.calendar.schedule(self.now + handoff, Event::HandoffEnd { case: id });
        } else {
            self.join_queue(id);
        }
    }

    /// A slot for back-office work of case `case`; a parallel branch reports
    /// to the case when done, a follow-up (`branch` false) does not.
    fn spawn_task(&mut self, case: u32, branch: bool, stage: usize, service: f64, handoff: f64) -> u32 {
        let from = self.people[case as usize];
        let task = self.new_slot();
        let t = &mut self.people[task as usize];
        *t = Person {
            phase: Phase::Task,
            task_stage: stage as u16,
            extra: service,
            parent: if branch { case } else { NONE },
            called: true,
            pending: 0,
            at_join: false,
            generation: t.generation.wrapping_add(1),
            ..from
        };
        t.handoff[0] = handoff;
        if let Some(trace) = &mut self.trace {
            let ticket = trace.tickets[case as usize];
            trace.set_ticket(task, ticket);
        }
        task
    }

    fn join_queue(&mut self, id: u32) {
        let stage = self.stage_of(id);
        if self.m.hard_close
            && self.closed()
            && self.people[id as usize].phase != Phase::Task
            && !self.people[id as usize].away
        {
            if self.m.present[stage] {
                self.people[id as usize].queued_at = self.now;
                self.record(id, stage, None, Outcome::SentHome);
                self.send_home(id, false, VisitEnd::Unfinished);
                return;
            }
            self.leave_hall(id, VisitEnd::Unfinished);
        }
        let p = &mut self.people[id as usize];
        p.queued_at = self.now;
        let ctype = p.ctype as usize;
        let site = p.site as usize;
        let pools = &self.m.stage_type_pools[self.m.serving(site, stage, ctype)];
        if let Some(&pool) = pools.iter().find(|&&pool| self.free[pool as usize] > 0) {
            self.start_service(pool as usize, id);
        } else {
            p.queued_seq = self.queued_seq;
            self.queued_seq += 1;
            let class = p.class as usize;
            let q = self.m.queue_index(site, stage, ctype, class);
            let person = p.phase != Phase::Task;
            self.queues[q].push_back(id);
            self.queue_change(person, site, stage, class, 1);
        }
    }

    fn start_service(&mut self, pool: usize, id: u32) {
        let now = self.now;
        self.free[pool] -= 1;
        let n_classes = self.m.n_classes;
        let top_class_used = self.m.top_class_used;
        let absent_call = self.m.scenario.calling.absent_call;
        let p = &mut self.people[id as usize];
        p.service_start = now;
        if p.phase != Phase::Task && !p.away {
            p.waited += now - p.queued_at;
        }
        let duration = match p.phase {
            Phase::Route if p.absent && !p.called => absent_call,
            Phase::Route => p.service[p.step as usize],
            Phase::PreReview | Phase::Task => p.extra,
        };
        if p.phase == Phase::Route && !p.called {
            p.called = true;
            let green = top_class_used && p.class as usize == n_classes - 1;
            let (arrival, ctype, wait, site) = (p.arrival, p.ctype as usize, now - p.ticket, p.site as usize);
            self.rec.first_call(arrival, ctype, site, green, wait);
        }
        self.rec.busy_change(now, pool, 1);
        self.calendar.schedule(now + duration, Event::ServiceEnd { pool: pool as u16, case: id });
    }

    /// The schedule changes the number on duty: new arrivals on duty call at
    /// once; those going off duty finish the case in hand first.
    fn on_duty_change(&mut self, pool: usize) {
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
        let budget = self.m.scenario.stages[stage].budget;
        let (wait, service, time) =
            (p.service_start - p.queued_at, self.now - p.service_start, self.now - p.stage_enter);
        let (arrival, phase, step, papers, parent, pending) =
            (p.arrival, p.phase, p.step, p.papers, p.parent, p.pending);
        let absent = p.absent && phase == Phase::Route && step == 0;
        if self.trace.is_some() {
            self.record(id, stage, Some(pool), if absent { Outcome::Absent } else { Outcome::Served });
        }
        let p = &self.people[id as usize];
        self.rec.stage_done(arrival, p.ctype as usize, stage, (wait, service, time), budget);
        self.set_free(pool, self.free[pool] + 1);
        self.rec.busy_change(self.now, pool, -1);
        if self.free[pool] > 0 {
            self.call_next(pool);
        }
        match phase {
            Phase::Task => {
                self.free_slots.push(id);
                if parent != NONE {
                    let p = &mut self.people[parent as usize];
                    p.pending -= 1;
                    if p.pending == 0 && p.at_join {
                        p.at_join = false;
                        self.advance(parent);
                    }
                }
            }
            Phase::PreReview => {
                if papers == Papers::RejectedByGuide {
                    self.send_home(id, false, VisitEnd::Excluded);
                } else {
                    let p = &mut self.people[id as usize];
                    p.phase = Phase::Route;
                    p.ticket = self.now;
                    self.begin_stage(id);
                }
            }
            Phase::Route if absent => {
                self.rec.absent(arrival);
                self.end_visit(id, VisitEnd::Excluded);
                self.close_case(id, false, false);
            }
            Phase::Route => {
                if step == 0 {
                    match papers {
                        Papers::Rejected => {
                            self.send_home(id, false, VisitEnd::Excluded);
                            return;
                        }
                        Papers::AcceptedMissing => {
                            self.people[id as usize].papers = Papers::Complete;
                            if let Some((stage, _)) =
                                self.m.scenario.documents.as_ref().and_then(|d| d.follow_up.as_ref())
                            {
                                let follow_up = self.people[id as usize].follow_up;
                                let task = self.spawn_task(id, false, *stage, follow_up, 0.0);
                                self.rec.follow_up(arrival);
                                self.enter_stage(task);
                            }
                        }
                        _ => {}
                    }
                }
                if pending > 0 {
                    self.people[id as usize].at_join = true;
                } else {
                    self.advance(id);
                }
            }
        }
    }

    /// The person's current step is done (with its branches): on to the next
    /// step, home to come back for a window, or the case is complete.
    fn advance(&mut self, id: u32) {
        let p = &self.people[id as usize];
        let ct = &self.m.scenario.case_types[p.ctype as usize];
        let next = p.step as usize + 1;
        if next < ct.route.len() {
            let away = p.away;
            let present = self.m.present[ct.route[next].stage];
            self.people[id as usize].step = next as u8;
            if away && present {
                self.schedule_return(id);
            } else {
                self.begin_stage(id);
            }
            return;
        }
        let (arrival, start, ctype, away, trips) = (p.arrival, p.visit_start, p.ctype as usize, p.away, p.trips);
        if away {
            self.rec.completion_later(arrival);
            self.close_case(id, true, false);
        } else {
            self.rec.completion(self.now, arrival, start, ctype);
            self.end_visit(id, VisitEnd::Completed);
            let on_time = trips == 1 && self.now - start <= self.m.scenario.completion_target;
            self.close_case(id, true, on_time);
        }
    }

    /// The case is over: its trips are recorded and its slot freed;
    /// `first_trip_on_time`: completed on the first visit within the target.
    fn close_case(&mut self, id: u32, completed: bool, first_trip_on_time: bool) {
        let p = &self.people[id as usize];
        let eligible = self.m.scenario.case_types[p.ctype as usize].counts_toward_target;
        self.rec.case_closed(p.arrival, p.trips, completed, eligible, first_trip_on_time);
        self.rec.case_waited(p.arrival, p.waited);
        self.free_slots.push(id);
    }

    /// The person leaves the hall, and this visit ends as `end`.
    fn end_visit(&mut self, id: u32, end: VisitEnd) {
        let p = &self.people[id as usize];
        let (ctype, site) = (p.ctype as usize, p.site as usize);
        let eligible = self.m.scenario.case_types[ctype].counts_toward_target;
        self.rec.visit_end(self.now, p.arrival, p.visit_start, ctype, eligible, end);
        self.rec.left(p.visit_start, self.now, site);
        self.in_hall[site] -= 1;
    }

    /// The person leaves the hall (the visit ending as `end`) while their
    /// case goes on: in the back office, or on a later visit.
    fn leave_hall(&mut self, id: u32, end: VisitEnd) {
        self.end_visit(id, end);
        let p = &mut self.people[id as usize];
        p.away = true;
        p.generation = p.generation.wrapping_add(1);
    }

    /// The person is sent home from the step they are at, the visit ending as
    /// `end`; they come back on a later day, if they do, and start that step again.
    fn send_home(&mut self, id: u32, queued: bool, end: VisitEnd) {
        let p = &self.people[id as usize];
        self.rec.sent_home(p.arrival, if queued { self.now - p.queued_at } else { 0.0 });
        self.leave_hall(id, end);
        if self.people[id as usize].returns {
            self.schedule_return(id);
        } else {
            self.close_case(id, false, false);
        }
    }

    /// The person comes back `returns.after_days` days after the current
    /// visit, at the hour of their first ticket, or now if that is later; a
    /// return after the last day is a trip the run does not see.
    fn schedule_return(&mut self, id: u32) {
        let s = &self.m.scenario;
        let p = &self.people[id as usize];
        let later = f64::from(s.returns.after_days) * DAY;
        let t = match s.hours() {
            Some(_) => (f64::from(visit_day(p.ticket)) * DAY + later + p.arrival % DAY).max(self.now),
            None => self.now + later,
        };
        let last_day = s.days();
        if (s.hours().is_some() && (t / DAY) as u32 >= last_day) || t >= self.horizon_end {
            let p = &mut self.people[id as usize];
            p.trips = p.trips.saturating_add(1);
            self.close_case(id, false, false);
        } else {
            self.calendar.schedule(t, Event::Return { case: id });
        }
    }

    fn on_return(&mut self, id: u32) {
        let now = self.now;
        let p = &mut self.people[id as usize];
        p.away = false;
        p.trips = p.trips.saturating_add(1);
        p.ticket = now;
        p.visit_start = now;
        p.called = false;
        p.absent = false;
        if matches!(p.papers, Papers::Rejected | Papers::RejectedByGuide) {
            p.papers = Papers::Complete;
            p.phase = Phase::Route;
            p.step = 0;
        }
        self.in_hall[p.site as usize] += 1;
        self.rec.entered(now, p.site as usize);
        self.rec.returned(p.arrival);
        self.join_queue(id);
        self.start_patience(id);
    }

    /// Staff's end under a hard close: people waiting for a window go home;
    /// those waiting for the back office leave it their case.
    fn on_close(&mut self) {
        for q in 0..self.queues.len() {
            let (site, stage) = self.m.queue_place(q);
            if self.m.present[stage] {
                // Only people wait for a window: tasks are back-office work.
                while let Some(id) = self.queues[q].pop_front() {
                    self.queue_change(true, site, stage, q % self.m.n_classes, -1);
                    let p = &mut self.people[id as usize];
                    p.waited += self.now - p.queued_at;
                    let since_ticket = (!p.called).then_some(self.now - p.ticket);
                    self.rec.left_queue(p.arrival, p.ctype as usize, stage, since_ticket);
                    self.record(id, stage, None, Outcome::SentHome);
                    self.send_home(id, true, VisitEnd::Unfinished);
                }
            } else {
                for i in 0..self.queues[q].len() {
                    let id = self.queues[q][i];
                    let p = &self.people[id as usize];
                    if p.phase != Phase::Task && !p.away {
                        self.leave_hall(id, VisitEnd::Unfinished);
                    }
                }
            }
        }
        for id in 0..self.people.len() as u32 {
            let p = &self.people[id as usize];
            if p.at_join && !p.away {
                self.leave_hall(id, VisitEnd::Unfinished);
            }
        }
        let day = (self.now / DAY) as u32 + 1;
        if let (true, Some(h)) = (day < self.m.scenario.days(), self.m.scenario.hours()) {
            self.calendar.schedule(f64::from(day) * DAY + h.staff_until, Event::Close);
        }
    }

    /// Adds a row to the visit records, when they are kept: person (or task)
    /// `id` at `stage`, served by `pool` (None: never called), ending now.
    fn record(&mut self, id: u32, stage: usize, pool: Option<usize>, outcome: Outcome) {
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
        let (site, stage) = self.m.queue_place(q);
        let person = self.m.present[stage] || self.people[id as usize].phase != Phase::Task;
        self.queue_change(person, site, stage, q % self.m.n_classes, -1);
        self.start_service(pool, id);
        true
    }
}

//! The validated scenario: what the engine and the reports may trust.
//!
//! Every struct is `#[non_exhaustive]` and a [`Scenario`]'s fields are read
//! through methods, so outside this crate a scenario can only come from
//! [`super::parse`] or [`super::load`], which check every invariant stated in
//! the field docs, and cannot be changed after.

use crate::dist::Dist;

/// Minutes in a day.
pub const DAY: f64 = 1440.0;
/// Most stages on one route.
pub const MAX_ROUTE: usize = 8;
/// Highest priority class (classes are 0..=MAX_PRIORITY; higher is called first).
pub const MAX_PRIORITY: u8 = 9;

/// Index of a stage in [`Scenario::stages`].
pub type StageId = usize;

/// A validated scenario. Its fields are read through methods of the same
/// name, so nothing can break what validation checked:
///
/// ```compile_fail
/// let text = std::fs::read_to_string("scenarios/benchmark/mmc.toml").unwrap();
/// let mut s = hallsim::scenario::parse(&text, "mmc.toml", "mmc").unwrap();
/// s.pools.clear(); // private: a scenario with no pool never reaches the engine
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Scenario {
    /// Short name, used for the output folder; letters, digits, `_` and `-`.
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) horizon: Horizon,
    /// Arrivals stop after this many people, per replication.
    pub(crate) max_arrivals: Option<u64>,
    /// Replications when the command line does not say, >= 1.
    pub(crate) replications: u32,
    /// Master seed when the command line does not say.
    pub(crate) seed: u64,
    /// The headline completion target, minutes (> 0; 60 by default).
    pub(crate) completion_target: f64,
    /// Targets for the wait from ticket to call, minutes, ascending, each > 0.
    pub(crate) wait_targets: Vec<f64>,
    /// The shares the targets ask for, each in (0, 1].
    pub(crate) required: Required,
    /// Most people in the hall at once (seats, ticket limit); more are turned away.
    pub(crate) hall_capacity: Option<u32>,
    /// What happens to people still waiting when staff's day ends.
    pub(crate) closing: Closing,
    /// People sent home (a missing paper, a hard close) who come back.
    pub(crate) returns: Returns,
    pub(crate) arrivals: Arrivals,
    /// Booked tickets next to walk-ins; None: walk-ins only.
    pub(crate) appointments: Option<Appointments>,
    /// Called tickets whose holder is not there.
    pub(crate) calling: Calling,
    /// Problems with documents; None: every case arrives complete.
    pub(crate) documents: Option<Documents>,
    /// Guides who check documents before the ticket; None: no guides.
    pub(crate) pre_review: Option<PreReview>,
    /// At least one; names unique.
    pub(crate) stages: Vec<Stage>,
    /// At least one; every stage on a route is served by a pool with staff.
    pub(crate) pools: Vec<Pool>,
    /// At least one; shares sum to 1.
    pub(crate) case_types: Vec<CaseType>,
    /// The halls of a city (同城通办); empty: one hall. Shares sum to 1.
    pub(crate) sites: Vec<Site>,
    /// Share of people who go to the hall with the shortest displayed wait
    /// instead of their home hall, in [0, 1].
    pub(crate) shortest_queue_share: f64,
    /// Shift templates for `plan --shifts`; None: no `[[shift]]` entries.
    pub(crate) planning: Option<Planning>,
}

/// What a staffing plan by the hour may use: the planning interval and the
/// shifts staff can work.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Planning {
    /// Length of a planning interval, minutes (30 or 60); intervals start at `hall.opens`.
    pub interval: f64,
    /// At least one.
    pub shifts: Vec<ShiftTemplate>,
}

/// A kind of shift: when it may start, how long it lasts, when its lunch
/// may fall, what an hour of it costs, and which pools it staffs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ShiftTemplate {
    pub name: String,
    /// The pools this shift may staff (indices into `Scenario::pools`), each
    /// with the fewest and most staff it gives that pool.
    pub pools: Vec<(usize, u32, u32)>,
    /// Allowed starts, minutes after midnight, ascending, each on the planning grid.
    pub starts: Vec<f64>,
    /// Length including lunch, minutes (> 0); the shift ends by `hall.staff_until`.
    pub length: f64,
    /// Lunch break, minutes (0 or a whole number of intervals).
    pub lunch: f64,
    /// Earliest and latest start of lunch, minutes after midnight (on the grid).
    pub lunch_window: (f64, f64),
    /// Cost of an hour worked (lunch unpaid), in the file's unit of money (> 0).
    pub cost_per_hour: f64,
}

/// One hall of a city.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Site {
    pub name: String,
    /// What reports call it (its `label`, or the name).
    pub label: String,
    /// What Chinese reports call it (its `label_zh`, or `label`).
    pub label_zh: String,
    /// Share of arrivals whose home hall this is, in (0, 1].
    pub share: f64,
}

/// How long a replication runs.
#[derive(Clone, Debug)]
pub enum Horizon {
    /// Operating days; each day people arrive between `opens` and `last_ticket`
    /// and everyone holding a ticket is served.
    Days { days: u32, hours: HallHours },
    /// One continuous run for steady-state studies; statistics cover people who
    /// arrive in [warmup, minutes) and time in [warmup, minutes].
    Continuous { minutes: f64, warmup: f64 },
}

/// The end of the day, in days mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closing {
    /// Extended service: everyone holding a ticket at `staff_until` is served;
    /// work after it is overtime.
    Extended,
    /// Hard close: at `staff_until` staff leave (finishing the case in hand);
    /// people waiting for a window are sent home, and back-office work waits
    /// for the next morning.
    Hard,
}

#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Returns {
    /// Share of people sent home who come back, in [0, 1].
    pub share: f64,
    /// Days later they come back, >= 1; at the hour of their first ticket.
    pub after_days: u32,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Appointments {
    /// First and last slot of each day, minutes after midnight.
    pub first_slot: f64,
    pub last_slot: f64,
    /// Minutes between slots, > 0.
    pub every: f64,
    /// Booked people per slot, >= 1.
    pub per_slot: u32,
    /// Share of booked people who do not come, in [0, 1).
    pub no_show_share: f64,
    /// People arrive `early` minutes before their slot plus a draw of `lateness`.
    pub early: f64,
    pub lateness: Dist,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Calling {
    /// Share of people who leave unseen before their first call, in [0, 1).
    pub absent_share: f64,
    /// Window time lost calling an absent ticket, minutes (>= 0).
    pub absent_call: f64,
    /// People who see a displayed wait above this (minutes) may leave at once.
    pub balk_above: Option<f64>,
    /// Share of those who leave when the displayed wait is too long, in [0, 1].
    pub balk_share: f64,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Documents {
    /// Of the cases with a problem, the share fixed at the window, in [0, 1];
    /// the others lack a paper.
    pub fixed_share: f64,
    /// Extra window time to fix a problem, minutes.
    pub fix_time: Dist,
    /// Accept with missing documents (容缺受理).
    pub accept_missing: bool,
    /// With it, the share of missing-paper cases accepted, in [0, 1].
    pub accept_missing_share: f64,
    /// Extra window time to accept a case with a missing paper, minutes.
    pub accept_missing_time: Dist,
    /// The follow-up task when the paper arrives: its stage and its time.
    pub follow_up: Option<(StageId, Dist)>,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PreReview {
    /// The stage the guides serve; not on any route.
    pub stage: StageId,
    /// Share of arrivals who see a guide first, in [0, 1].
    pub share: f64,
    /// Guide time per person, minutes.
    pub service: Dist,
    /// Share of document problems the guide catches, in [0, 1].
    pub catch_share: f64,
    /// Factor on the first window's service time of a pre-reviewed case, in (0, 1].
    pub window_time_factor: f64,
}

/// Opening hours, minutes after midnight; opens < last_ticket <= staff_until <= 1440.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct HallHours {
    /// The ticket machine starts issuing tickets.
    pub opens: f64,
    /// The ticket machine stops issuing tickets.
    pub last_ticket: f64,
    /// Staff's scheduled end; work after it is overtime.
    pub staff_until: f64,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Arrivals {
    pub process: ArrivalProcess,
    /// Multipliers of the arrival rate for successive days, cycled; each > 0.
    /// Empty means 1 every day.
    pub day_factors: Vec<f64>,
    /// Share of arrivals in the green channel (the elderly, the ill, the
    /// disabled), in [0, 1): called before every priority class.
    pub green_channel_share: f64,
}

#[derive(Clone, Debug)]
pub enum ArrivalProcess {
    /// Poisson with a piecewise-constant rate; segments sorted, disjoint,
    /// minutes after midnight (days mode) or from the start (continuous mode).
    Poisson { segments: Vec<RateSegment> },
    /// Successive gaps drawn from a distribution, minutes (a renewal process).
    Renewal { interarrival: Dist },
}

#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct RateSegment {
    /// Minutes.
    pub start: f64,
    /// Minutes, > start.
    pub end: f64,
    /// People per minute, >= 0.
    pub rate: f64,
}

/// The shares the report judges the targets by.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Required {
    /// Of eligible visits, the share to complete within the completion target.
    pub completion: f64,
    /// Of the people through each stage, the share within its budget.
    pub stage_budget: f64,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Stage {
    pub name: String,
    /// What reports call it (its `label`, or the name).
    pub label: String,
    /// What Chinese reports call it (its `label_zh`, or `label`).
    pub label_zh: String,
    /// Time budget for the stage (queue plus service), minutes, > 0.
    pub budget: f64,
    /// Whether the person must be present (at a window) during the stage.
    pub present: bool,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Pool {
    pub name: String,
    /// What reports call it (its `label`, or the name).
    pub label: String,
    /// What Chinese reports call it (its `label_zh`, or `label`).
    pub label_zh: String,
    /// Windows or staff on duty, except inside `schedule` intervals.
    pub count: u32,
    /// Intervals of each day with another number on duty (lunch, peaks):
    /// (from, to, count), minutes after midnight, sorted, disjoint, inside
    /// the staffed hours.
    pub schedule: Vec<(f64, f64, u32)>,
    /// Stages this pool serves, without repeats.
    pub stages: Vec<StageId>,
    /// Case types this pool serves (indices into `case_types`); all when the
    /// file does not say (an integrated window).
    pub case_types: Vec<usize>,
    /// The hall it works in (index into `sites`; 0 when there is one hall).
    pub site: usize,
    /// Cost of an hour on duty (money/hour; 1 unless the file says).
    pub cost_per_hour: f64,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CaseType {
    pub name: String,
    /// What reports call it (its `label`, or the name).
    pub label: String,
    /// What Chinese reports call it (its `label_zh`, or `label`).
    pub label_zh: String,
    /// Share of arrivals, in (0, 1].
    pub share: f64,
    /// Whether the case counts toward the completion target.
    pub counts_toward_target: bool,
    /// Priority class, 0..=MAX_PRIORITY; higher is called first.
    pub priority: u8,
    /// Share of this type's demand handled outside the hall (bank branches,
    /// self-service machines), in [0, 1).
    pub outside_share: f64,
    /// How long a person waits for the first call before leaving, minutes;
    /// None: nobody leaves.
    pub patience: Option<Dist>,
    /// Share of people who never leave (bank staff, agents), in [0, 1]; they
    /// do not balk either.
    pub never_leave_share: f64,
    /// Share of cases that arrive with a document problem, in [0, 1].
    pub problem_share: f64,
    /// 1..=MAX_ROUTE steps.
    pub route: Vec<Step>,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Step {
    pub stage: StageId,
    /// Service time at this stage, minutes.
    pub service: Dist,
    /// Hand-off before the stage's queue (scanning, routing), minutes; never
    /// on the first step.
    pub handoff: Option<Dist>,
    /// Runs beside the next step (并联): a back-office step, not the last.
    pub parallel: bool,
    /// Done on a later day without the person: a back-office step, and every
    /// step after it is back office too.
    pub later: bool,
}

impl Pool {
    /// Staff on duty at `minute` after midnight.
    pub fn on_duty(&self, minute: f64) -> u32 {
        self.schedule.iter().find(|(a, b, _)| *a <= minute && minute < *b).map_or(self.count, |s| s.2)
    }

    /// Instants of a day (minutes after midnight) when the number on duty
    /// changes, with the new number, in time order.
    pub fn changes(&self) -> Vec<(f64, u32)> {
        let mut out = Vec::new();
        for &(a, b, c) in &self.schedule {
            out.push((a, c));
            out.push((b, self.count));
        }
        out
    }
}

/// Read access to every field of a validated scenario; only [`super::parse`]
/// and [`super::load`] make one, so what they checked stays true.
macro_rules! read_only {
    ($($field:ident: $ty:ty,)*) => {
        impl Scenario {
            $(
                #[doc = concat!("`", stringify!($field), "`, as validated (see the field's documentation in the source).")]
                pub fn $field(&self) -> &$ty {
                    &self.$field
                }
            )*
        }
    };
}

read_only! {
    name: String,
    description: String,
    horizon: Horizon,
    max_arrivals: Option<u64>,
    replications: u32,
    seed: u64,
    completion_target: f64,
    wait_targets: Vec<f64>,
    required: Required,
    hall_capacity: Option<u32>,
    closing: Closing,
    returns: Returns,
    arrivals: Arrivals,
    appointments: Option<Appointments>,
    calling: Calling,
    documents: Option<Documents>,
    pre_review: Option<PreReview>,
    stages: Vec<Stage>,
    pools: Vec<Pool>,
    case_types: Vec<CaseType>,
    sites: Vec<Site>,
    shortest_queue_share: f64,
    planning: Option<Planning>,
}

impl Scenario {
    /// Number of operating days (1 for a continuous run).
    pub fn days(&self) -> u32 {
        match self.horizon {
            Horizon::Days { days, .. } => days,
            Horizon::Continuous { .. } => 1,
        }
    }

    /// Opening hours, in days mode.
    pub fn hours(&self) -> Option<HallHours> {
        match self.horizon {
            Horizon::Days { hours, .. } => Some(hours),
            Horizon::Continuous { .. } => None,
        }
    }

    /// Whether the top priority class holds the green channel or booked
    /// tickets: one class above every case type's priority.
    pub fn has_top_class(&self) -> bool {
        self.arrivals.green_channel_share > 0.0 || self.appointments.is_some()
    }

    /// Priority classes: each case type's priority, and the top class when
    /// the scenario has one ([`Scenario::has_top_class`]).
    pub fn priority_classes(&self) -> usize {
        let top = self.case_types.iter().map(|t| t.priority as usize).max().unwrap_or(0);
        top + 1 + usize::from(self.has_top_class())
    }

    /// Whether back-office work can wait in a queue without its person: a
    /// parallel route step, or a follow-up for a paper that comes later.
    pub fn has_tasks(&self) -> bool {
        self.case_types.iter().any(|t| t.route.iter().any(|step| step.parallel))
            || self.documents.as_ref().is_some_and(|d| d.follow_up.is_some())
    }

    /// Whether a queue can hold work whose person is not in the hall: tasks
    /// ([`Scenario::has_tasks`]), a later-day step, or back-office work whose
    /// person goes home at a hard close.
    pub fn has_work_without_person(&self) -> bool {
        self.has_tasks()
            || self.closing == Closing::Hard
            || self.case_types.iter().any(|t| t.route.iter().any(|step| step.later))
    }

    /// Number of halls (1 without `[[site]]`).
    pub fn n_sites(&self) -> usize {
        self.sites.len().max(1)
    }

    /// The arrival-rate multiplier of day `day`.
    pub fn day_factor(&self, day: u32) -> f64 {
        let f = &self.arrivals.day_factors;
        if f.is_empty() { 1.0 } else { f[day as usize % f.len()] }
    }
}

/// Formats minutes after midnight as `HH:MM`.
pub fn clock(minutes: f64) -> String {
    let m = minutes.round() as i64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The name a report shows for a stage, pool, case type or hall.
macro_rules! shown_name {
    ($($t:ty),*) => {$(
        impl $t {
            /// Its `label_zh` in a Chinese report (`zh`), else its `label` (each the name when unset).
            pub fn shown(&self, zh: bool) -> &str {
                if zh { &self.label_zh } else { &self.label }
            }
        }
    )*};
}
shown_name!(Stage, Pool, CaseType, Site);

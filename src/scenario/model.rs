//! The validated scenario: what the engine and the reports may trust.
//!
//! Every struct is `#[non_exhaustive]`, so outside this crate a scenario can
//! only come from [`super::parse`] or [`super::load`], which check every
//! invariant stated in the field docs.

use crate::dist::Dist;

/// Minutes in a day.
pub const DAY: f64 = 1440.0;
/// Most stages on one route.
pub const MAX_ROUTE: usize = 8;
/// Highest priority class (classes are 0..=MAX_PRIORITY; higher is called first).
pub const MAX_PRIORITY: u8 = 9;

/// Index of a stage in [`Scenario::stages`].
pub type StageId = usize;

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Scenario {
    /// Short name, used for the output folder; letters, digits, `_` and `-`.
    pub name: String,
    pub description: String,
    pub horizon: Horizon,
    /// Arrivals stop after this many people, per replication.
    pub max_arrivals: Option<u64>,
    /// Replications when the command line does not say, >= 1.
    pub replications: u32,
    /// Master seed when the command line does not say.
    pub seed: u64,
    /// The headline completion target, minutes (> 0; 60 by default).
    pub completion_target: f64,
    /// Most people in the hall at once (seats, ticket limit); more are turned away.
    pub hall_capacity: Option<u32>,
    pub arrivals: Arrivals,
    /// At least one; names unique.
    pub stages: Vec<Stage>,
    /// At least one; every stage on a route is served by a pool with staff.
    pub pools: Vec<Pool>,
    /// At least one; shares sum to 1.
    pub case_types: Vec<CaseType>,
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

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Stage {
    pub name: String,
    /// Time budget for the stage (queue plus service), minutes, > 0.
    pub budget: f64,
    /// Whether the person must be present (at a window) during the stage.
    pub present: bool,
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Pool {
    pub name: String,
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
}

#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CaseType {
    pub name: String,
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
    /// Share of people who never leave (bank staff, agents), in [0, 1].
    pub never_leave_share: f64,
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

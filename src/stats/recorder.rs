//! What one replication observes. The engine calls these methods as events
//! happen; every store is sized when the replication starts, so recording
//! never allocates and memory does not grow with the number of people.

use super::histogram::LogHistogram;
use crate::scenario::model::Scenario;

/// Hours in a day: hourly series are indexed by hour of day.
pub const HOURS: usize = 24;

/// Count, sum and maximum of a duration, minutes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub n: u64,
    pub sum: f64,
    pub max: f64,
}

impl Tally {
    /// Adds a duration, minutes (never NaN, so one comparison keeps the
    /// maximum, without the NaN handling of `f64::max`).
    #[inline]
    pub fn add(&mut self, v: f64) {
        self.n += 1;
        self.sum += v;
        if v > self.max {
            self.max = v;
        }
    }

    /// Mean, NaN when empty.
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.sum / self.n as f64 }
    }
}

/// 2^52: from here on every float is a whole number.
const WHOLE: f64 = 4_503_599_627_370_496.0;

/// `x.floor()` for `x >= 0`, in a few instructions: the baseline x86-64
/// target has no rounding instruction, so `floor` is a library call, and the
/// hourly figures take several an event. Below 2^52, adding and taking away
/// 2^52 rounds `x` to a whole number, one too high when it rounded up.
#[inline]
pub fn floor_nonneg(x: f64) -> f64 {
    debug_assert!(x >= 0.0 || x.is_nan(), "floor_nonneg of {x}");
    if x < WHOLE {
        let r = (x + WHOLE) - WHOLE;
        if r > x { r - 1.0 } else { r }
    } else {
        x
    }
}

/// Hour of day (0..24) of an instant, minutes from the start of day 0.
#[inline]
pub fn hour_of(t: f64) -> usize {
    let day = floor_nonneg(t * (1.0 / 1440.0));
    // In [0, 24] (24 only by rounding); through i32, a cast of one instruction.
    (((t - day * 1440.0) * (1.0 / 60.0)) as i32).clamp(0, HOURS as i32 - 1) as usize
}

/// Adds `weight` per minute over [a, b) into hour-of-day bins. Whole days
/// are added at once, so the work is at most a day's 24 hours whatever the
/// length of the interval.
#[inline]
fn spread_over_hours(bins: &mut [f64; HOURS], a: f64, b: f64, weight: f64) {
    let mut t = a;
    let days = floor_nonneg((b - a) / 1440.0);
    if days >= 1.0 {
        for bin in bins.iter_mut() {
            *bin += weight * 60.0 * days;
        }
        t += days * 1440.0;
    }
    while t < b {
        let boundary = (floor_nonneg(t / 60.0) + 1.0) * 60.0;
        let end = boundary.min(b);
        if end <= t {
            break; // beyond the precision of minutes
        }
        bins[hour_of(t)] += weight * (end - t);
        t = end;
    }
}

/// Which part of the time a [`TimeWeighted`] also breaks down.
#[derive(Clone, Copy, Debug)]
pub enum Breakdown {
    /// Only the total.
    None,
    /// Per hour of day, all the time.
    Hourly,
    /// Per hour of day, only inside staffed hours (minutes after midnight) of
    /// the first `days` days; the staffed total is kept too.
    Staffed { opens: f64, until: f64, days: f64 },
}

/// A level that changes at instants (people in a queue, busy servers),
/// integrated over time inside an observation window.
#[derive(Clone)]
pub struct TimeWeighted {
    level: u32,
    last: f64,
    window: (f64, f64),
    breakdown: Breakdown,
    /// Level × minutes inside the window.
    pub area: f64,
    /// Level × minutes inside the window and inside staffed hours.
    pub staffed_area: f64,
    /// Level × minutes per hour of day (see [`Breakdown`]).
    pub hourly: [f64; HOURS],
    /// Highest level per hour of day (with [`Breakdown::Hourly`]).
    pub hourly_max: [u32; HOURS],
    /// Highest level seen inside the window.
    pub max: u32,
    /// With a breakdown by hour: an hour, [start, end) in minutes, and its
    /// hour of day; kept so that a change inside the hour of the last one
    /// (the common case) needs no rounding. Not an observation.
    hour: usize,
    hour_start: f64,
    hour_end: f64,
    /// Two changes that both fall in [fast.0, fast.1), minutes, take the
    /// fast path of [`TimeWeighted::change`]: the window, cut to the kept
    /// hour with a breakdown by hour (empty, with [`Breakdown::Staffed`],
    /// when that hour is not staffed from start to end). Not an observation.
    fast: (f64, f64),
}

impl std::fmt::Debug for TimeWeighted {
    /// What was observed, without the hour kept for speed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimeWeighted")
            .field("level", &self.level)
            .field("last", &self.last)
            .field("window", &self.window)
            .field("breakdown", &self.breakdown)
            .field("area", &self.area)
            .field("staffed_area", &self.staffed_area)
            .field("hourly", &self.hourly)
            .field("hourly_max", &self.hourly_max)
            .field("max", &self.max)
            .finish()
    }
}

impl TimeWeighted {
    pub fn new(window: (f64, f64), breakdown: Breakdown) -> Self {
        let mut tw = TimeWeighted {
            level: 0,
            last: 0.0,
            window,
            breakdown,
            area: 0.0,
            staffed_area: 0.0,
            hourly: [0.0; HOURS],
            hourly_max: [0; HOURS],
            max: 0,
            hour: 0,
            hour_start: f64::INFINITY,
            hour_end: f64::NEG_INFINITY,
            fast: (0.0, 0.0),
        };
        // No hour is kept yet: with a breakdown by hour, the span is empty.
        tw.set_fast_span(false);
        tw
    }

    /// Works out `fast` from the window and the kept hour; `staffed`: that
    /// hour is staffed from start to end (read with [`Breakdown::Staffed`]).
    fn set_fast_span(&mut self, staffed: bool) {
        // `t <= window.1` is `t < window.1.next_up()` (t is finite).
        let (start, end) = (self.window.0, self.window.1.next_up());
        self.fast = match self.breakdown {
            Breakdown::None => (start, end),
            Breakdown::Staffed { .. } if !staffed => (f64::INFINITY, f64::NEG_INFINITY),
            Breakdown::Hourly | Breakdown::Staffed { .. } => (start.max(self.hour_start), end.min(self.hour_end)),
        };
    }

    /// Accounts the level held from the last change up to `t`.
    fn advance(&mut self, t: f64) {
        if self.level > 0 {
            let a = self.last.max(self.window.0);
            let b = t.min(self.window.1);
            if b > a {
                // A level held when the window opens counts toward its maximum.
                self.max = self.max.max(self.level);
                let w = f64::from(self.level);
                self.area += w * (b - a);
                self.break_down(a, b, w);
            }
        }
        self.last = t;
    }

    /// The hour of day of `t`, from the kept hour when `t` is inside it;
    /// otherwise the hour of `t` is kept.
    #[inline]
    fn hour_at(&mut self, t: f64) -> usize {
        if !(t >= self.hour_start && t < self.hour_end) {
            self.keep_hour(t);
        }
        self.hour
    }

    fn keep_hour(&mut self, t: f64) {
        self.hour = hour_of(t);
        self.hour_start = floor_nonneg(t / 60.0) * 60.0;
        self.hour_end = self.hour_start + 60.0;
        let staffed = match self.breakdown {
            Breakdown::Staffed { opens, until, days } => {
                let day = floor_nonneg(self.hour_start / 1440.0);
                let day_start = day * 1440.0;
                day < days && self.hour_start >= day_start + opens && self.hour_end <= day_start + until
            }
            Breakdown::None | Breakdown::Hourly => false,
        };
        self.set_fast_span(staffed);
    }

    fn break_down(&mut self, a: f64, b: f64, w: f64) {
        match self.breakdown {
            Breakdown::None => {}
            Breakdown::Hourly => {
                spread_over_hours(&mut self.hourly, a, b, w);
                let mut t = if b - a >= 1440.0 { b - 1440.0 } else { a };
                while t < b {
                    let h = hour_of(t);
                    self.hourly_max[h] = self.hourly_max[h].max(self.level);
                    let next = (floor_nonneg(t / 60.0) + 1.0) * 60.0;
                    if next <= t {
                        break;
                    }
                    t = next;
                }
            }
            Breakdown::Staffed { opens, until, days } => {
                let mut day = floor_nonneg(a / 1440.0);
                while day < days {
                    let x = a.max(day * 1440.0 + opens);
                    let y = b.min(day * 1440.0 + until);
                    if y > x {
                        self.staffed_area += w * (y - x);
                        spread_over_hours(&mut self.hourly, x, y, w);
                    }
                    day += 1.0;
                    if b <= day * 1440.0 {
                        break;
                    }
                }
            }
        }
    }

    /// The level changes by `delta` at time `t`.
    ///
    /// Inline, the common case: the last change and this one inside the
    /// fast span (the window, and with a breakdown by hour the kept hour,
    /// staffed throughout for [`Breakdown::Staffed`]). It gives what the
    /// general path gives, to the bit, without its tests and rounding. The
    /// level held since the last change is in the maxima already: it was
    /// set inside the window and the kept hour, by a change that counted it.
    /// Adding its area when it is 0 (or held for no time) adds +0.0, which
    /// changes no sum.
    #[inline(always)]
    pub fn change(&mut self, t: f64, delta: i32) {
        if !(self.last >= self.fast.0 && t < self.fast.1) {
            return self.change_in_general(t, delta);
        }
        let area = f64::from(self.level) * (t - self.last);
        let level = self.level.wrapping_add_signed(delta);
        match self.breakdown {
            Breakdown::None => {}
            Breakdown::Hourly => {
                self.hourly[self.hour] += area;
                let hour_max = &mut self.hourly_max[self.hour];
                *hour_max = (*hour_max).max(level);
            }
            Breakdown::Staffed { .. } => {
                self.staffed_area += area;
                self.hourly[self.hour] += area;
            }
        }
        self.area += area;
        self.max = self.max.max(level);
        self.last = t;
        self.level = level;
    }

    #[inline(never)]
    fn change_in_general(&mut self, t: f64, delta: i32) {
        self.advance(t);
        self.level = self.level.wrapping_add_signed(delta);
        if t >= self.window.0 && t <= self.window.1 {
            self.max = self.max.max(self.level);
            match self.breakdown {
                Breakdown::None => {}
                Breakdown::Hourly => {
                    let hour = self.hour_at(t);
                    let h = &mut self.hourly_max[hour];
                    *h = (*h).max(self.level);
                }
                Breakdown::Staffed { .. } => {
                    self.hour_at(t);
                }
            }
        }
    }

    /// Accounts up to `t` and ends the window there.
    pub fn close(&mut self, t: f64) {
        self.advance(t);
        self.window.1 = self.window.1.min(t);
        // The span ends with the window now.
        self.fast.1 = self.fast.1.min(self.window.1.next_up());
    }
}

/// People in the hall, accounted per visit: a visit's time in the hall
/// (clipped to the observation window) is added when it ends, so an entry or
/// exit costs a counter and a comparison, not a time integral.
#[derive(Clone, Debug)]
pub struct Presence {
    level: u32,
    /// Most people in at once inside the window.
    pub max: u32,
    /// People × minutes inside the window.
    pub area: f64,
    /// People × minutes per hour of day (days mode).
    pub hourly: [f64; HOURS],
}

impl Presence {
    fn new() -> Self {
        Presence { level: 0, max: 0, area: 0.0, hourly: [0.0; HOURS] }
    }

    #[inline]
    fn enter(&mut self, t: f64, window: (f64, f64)) {
        self.level += 1;
        if t >= window.0 && t <= window.1 {
            self.max = self.max.max(self.level);
        }
    }

    /// A visit that entered at `start` leaves at `t`; `by_hour` adds it to
    /// the hourly bins (the window is the whole run in days mode).
    #[inline]
    fn leave(&mut self, start: f64, t: f64, window: (f64, f64), by_hour: bool) {
        // The level before leaving was held just before `t`.
        if t > window.0 && t <= window.1 {
            self.max = self.max.max(self.level);
        }
        self.level -= 1;
        // Instants are never NaN: comparisons clip them.
        let a = if start > window.0 { start } else { window.0 };
        let b = if t < window.1 { t } else { window.1 };
        if b > a {
            self.area += b - a;
            if by_hour {
                spread_over_hours(&mut self.hourly, a, b, 1.0);
            }
        }
    }
}

/// Per hour of arrival (eligible visits: per hour the visit began).
#[derive(Clone, Debug, Default)]
pub struct HourlyCases {
    pub arrived: [u64; HOURS],
    /// People who left before their first call.
    pub left_before_call: [u64; HOURS],
    /// Per wait target k, at `k * HOURS + hour`: first calls within it.
    pub first_wait_within: Vec<u64>,
    /// Per stage s, at `s * HOURS + hour`: people through it, and within its budget.
    pub stage_through: Vec<u64>,
    pub stage_within_budget: Vec<u64>,
    pub first_wait: [Tally; HOURS],
    pub time_in_system: [Tally; HOURS],
    pub eligible: [u64; HOURS],
    pub within_target: [u64; HOURS],
}

/// How a visit to the hall ended, for the completion target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VisitEnd {
    /// The case was completed.
    Completed,
    /// Ended without the case completed, for a reason of time or capacity:
    /// gave up, sent home at a hard close, or left while back-office work
    /// goes on. A miss of the target.
    Unfinished,
    /// Never got in: balked at the displayed wait, or turned away at a full
    /// hall. A miss of the target.
    NotAdmitted,
    /// Ended for a reason that is not time: a missing paper found by a window
    /// or a guide, an absent ticket. Left out of the target's denominator.
    Excluded,
}

/// Everything one replication records.
#[derive(Clone, Debug)]
pub struct Recorder {
    /// People arriving at or after this instant are counted, minutes.
    pub count_from: f64,
    /// Time-weighted statistics cover [window.0, window.1], minutes.
    pub window: (f64, f64),
    /// The completion target, minutes.
    pub target: f64,
    /// Targets for the wait from ticket to call, minutes.
    pub wait_targets: Vec<f64>,

    pub arrived: u64,
    pub completed: u64,
    /// Visits of eligible cases that count toward the target (see [`VisitEnd`]),
    /// and those that completed the case within it of entering the hall.
    pub eligible: u64,
    pub eligible_within_target: u64,
    /// Settled eligible cases, and those completed on their first visit
    /// within the target of entering the hall.
    pub eligible_cases: u64,
    pub first_trip_within_target: u64,
    /// Time in the hall per visit, from entering to leaving, minutes (every
    /// visit of a person who got in).
    pub visit_time: Tally,
    /// Wait from ticket to first call, minutes.
    pub first_wait: Tally,
    /// Per wait target: first calls within it.
    pub first_wait_within: Vec<u64>,
    /// People who left before their first call (gave up, or sent home at a
    /// hard close), and their waits from ticket to leaving, minutes.
    pub left_before_call: u64,
    pub left_wait: Tally,
    /// Waits of those who gave up, minutes.
    pub abandoned_wait: Tally,
    /// Time a case's person spent waiting in queues, all stages and visits,
    /// per case that got into the hall, minutes.
    pub case_wait: Tally,
    pub case_wait_hist: LogHistogram,
    /// People who found no free server at their first stage.
    pub first_wait_positive: u64,
    /// Wait before first call of green-channel people, minutes.
    pub green_wait: Tally,
    /// Demand handled outside the hall (never took a ticket).
    pub diverted: u64,
    /// People who left before their first call.
    pub abandoned: u64,
    /// Time in a queue of people who left it unserved (they gave up, or a
    /// hard close sent them home), minutes.
    pub unserved_wait: Tally,
    /// People turned away because the hall was full.
    pub turned_away: u64,
    /// People who left at once on seeing the displayed wait.
    pub balked: u64,
    /// Called tickets whose holder had left unseen.
    pub absent: u64,
    /// Times people were sent home (a missing paper, a hard close).
    pub sent_home: u64,
    /// Visits after the first.
    pub returns: u64,
    /// Follow-up tasks for papers that came later.
    pub follow_ups: u64,
    /// Cases settled: completed, or given up.
    pub cases: u64,
    /// Cases completed on their first visit.
    pub one_trip: u64,
    /// Visits to the hall of the settled cases (a planned return after the
    /// run's last day included).
    pub trips: u64,
    /// Cases completed in the back office after the person had gone.
    pub completed_later: u64,
    /// Per hall of a city: people who took a ticket there, and their wait
    /// before the first call, minutes.
    pub site_arrived: Vec<u64>,
    pub site_wait: Vec<Tally>,
    pub first_wait_hist: LogHistogram,
    /// Time from entering the hall to completion, minutes.
    pub time_in_system: Tally,
    pub time_in_system_hist: LogHistogram,

    /// Per stage: wait in queue, service, and the whole stage (hand-off,
    /// queue and service), minutes.
    pub stage_wait: Vec<Tally>,
    pub stage_service: Vec<Tally>,
    pub stage_time: Vec<Tally>,
    pub stage_within_budget: Vec<u64>,
    /// Per stage: people over its budget whose service alone took longer
    /// than the budget (no shorter wait would have met it).
    pub stage_missed_by_service: Vec<u64>,
    /// Per (case type, stage), at `type * stages + stage`: people through the
    /// stage, and within its budget.
    pub type_stage_through: Vec<u64>,
    pub type_stage_within_budget: Vec<u64>,
    /// Per stage: people who left its queue unserved; per (stage, wait
    /// target), at `stage * targets + k`: waits in its queue within the target.
    pub stage_left: Vec<u64>,
    pub stage_wait_within: Vec<u64>,
    /// Per case type: wait before first call and time to completion, minutes,
    /// and completions within the target.
    pub type_wait: Vec<Tally>,
    pub type_time_in_system: Vec<Tally>,
    pub type_visits: Vec<u64>,
    pub type_within_target: Vec<u64>,
    /// Per case type: people who left before the first call; per (type, wait
    /// target), at `type * targets + k`: first calls within the target.
    pub type_left_before_call: Vec<u64>,
    pub type_wait_within: Vec<u64>,
    pub stage_queue: Vec<TimeWeighted>,
    /// People in the hall waiting for any stage: work whose person is not in
    /// the hall (a task, a later-day step, work left at a hard close) is not counted.
    pub queue: TimeWeighted,
    /// People waiting, per priority class (empty with one class).
    pub class_queue: Vec<TimeWeighted>,
    /// People in the hall: waiting, in a hand-off or at a window; and per
    /// hall of a city (empty with one hall).
    pub present: Presence,
    pub site_present: Vec<Presence>,

    /// Busy servers per pool (in days mode, hourly inside staffed hours).
    pub pool_busy: Vec<TimeWeighted>,
    /// Staff on duty per pool (likewise).
    pub pool_on_duty: Vec<TimeWeighted>,
    /// Busy servers beyond those on duty (finishing a case after their
    /// shift), per pool (likewise).
    pub pool_excess: Vec<TimeWeighted>,

    /// Per hour of arrival (operating days only).
    pub hourly: Box<HourlyCases>,
    by_hour: bool,
    /// With one stage and no work without its person, the people waiting are
    /// those of the stage's queue: `queue` is not kept as it changes but copied
    /// from `stage_queue[0]` at the end.
    queue_is_stage_queue: bool,
    /// Per operating day (of the ticket): when its last person left, minutes
    /// (NaN if nobody came); empty in a continuous run.
    pub day_last_departure: Vec<f64>,
    /// Events the engine handled.
    pub events: u64,
    /// Instant of the last event, minutes.
    pub end: f64,
}

impl Recorder {
    /// (stages, pools, case types, halls, priority classes, whether a queue
    /// can hold work without its person) of `s`, for sizing a recorder.
    pub fn sizes(s: &Scenario) -> (usize, usize, usize, usize, usize, bool) {
        let work_without_person = s.has_work_without_person();
        (s.stages.len(), s.pools.len(), s.case_types.len(), s.n_sites(), s.priority_classes(), work_without_person)
    }

    /// A recorder for `sizes` = (stages, pools, case types, sites, priority
    /// classes, whether a queue can hold work without its person) over `days` days;
    /// `staffed` is the staffed part of each day, minutes after midnight;
    /// `targets` the completion target and the wait targets, minutes.
    pub fn new(
        sizes: (usize, usize, usize, usize, usize, bool),
        days: usize,
        count_from: f64,
        window: (f64, f64),
        staffed: Option<(f64, f64)>,
        targets: (f64, &[f64]),
    ) -> Self {
        let (stages, pools, types, sites, classes, work_without_person) = sizes;
        let (target, wait_targets) = targets;
        let n_targets = wait_targets.len();
        let (queue_bd, pool_bd) = match staffed {
            Some((opens, until)) => (Breakdown::Hourly, Breakdown::Staffed { opens, until, days: days as f64 }),
            None => (Breakdown::None, Breakdown::None),
        };
        Recorder {
            count_from,
            window,
            target,
            wait_targets: wait_targets.to_vec(),
            arrived: 0,
            completed: 0,
            eligible: 0,
            eligible_within_target: 0,
            eligible_cases: 0,
            first_trip_within_target: 0,
            visit_time: Tally::default(),
            first_wait: Tally::default(),
            first_wait_within: vec![0; n_targets],
            left_before_call: 0,
            left_wait: Tally::default(),
            abandoned_wait: Tally::default(),
            case_wait: Tally::default(),
            case_wait_hist: LogHistogram::new(),
            first_wait_positive: 0,
            green_wait: Tally::default(),
            diverted: 0,
            abandoned: 0,
            unserved_wait: Tally::default(),
            turned_away: 0,
            balked: 0,
            absent: 0,
            sent_home: 0,
            returns: 0,
            follow_ups: 0,
            cases: 0,
            one_trip: 0,
            trips: 0,
            completed_later: 0,
            site_arrived: vec![0; sites],
            site_wait: vec![Tally::default(); sites],
            first_wait_hist: LogHistogram::new(),
            time_in_system: Tally::default(),
            time_in_system_hist: LogHistogram::new(),
            stage_wait: vec![Tally::default(); stages],
            stage_service: vec![Tally::default(); stages],
            stage_time: vec![Tally::default(); stages],
            stage_within_budget: vec![0; stages],
            stage_missed_by_service: vec![0; stages],
            type_stage_through: vec![0; types * stages],
            type_stage_within_budget: vec![0; types * stages],
            stage_left: vec![0; stages],
            stage_wait_within: vec![0; stages * n_targets],
            type_wait: vec![Tally::default(); types],
            type_time_in_system: vec![Tally::default(); types],
            type_visits: vec![0; types],
            type_within_target: vec![0; types],
            type_left_before_call: vec![0; types],
            type_wait_within: vec![0; types * n_targets],
            stage_queue: vec![TimeWeighted::new(window, queue_bd); stages],
            queue: TimeWeighted::new(window, queue_bd),
            class_queue: if classes > 1 {
                vec![TimeWeighted::new(window, Breakdown::None); classes]
            } else {
                Vec::new()
            },
            present: Presence::new(),
            site_present: if sites > 1 { vec![Presence::new(); sites] } else { Vec::new() },
            pool_busy: vec![TimeWeighted::new(window, pool_bd); pools],
            pool_on_duty: vec![TimeWeighted::new(window, pool_bd); pools],
            pool_excess: vec![TimeWeighted::new(window, pool_bd); pools],
            hourly: Box::new(HourlyCases {
                first_wait_within: vec![0; n_targets * HOURS],
                stage_through: vec![0; stages * HOURS],
                stage_within_budget: vec![0; stages * HOURS],
                ..HourlyCases::default()
            }),
            by_hour: staffed.is_some(),
            queue_is_stage_queue: stages == 1 && !work_without_person,
            day_last_departure: if staffed.is_some() { vec![f64::NAN; days] } else { Vec::new() },
            events: 0,
            end: 0.0,
        }
    }

    /// Whether a person who arrived at `arrival` is counted.
    #[inline]
    pub fn counts(&self, arrival: f64) -> bool {
        arrival >= self.count_from
    }

    #[inline]
    pub fn arrival(&mut self, t: f64) {
        if self.counts(t) {
            self.arrived += 1;
            if self.by_hour {
                self.hourly.arrived[hour_of(t)] += 1;
            }
        }
    }

    /// A person leaves before the first call, tired of waiting (a failed trip).
    #[inline]
    pub fn abandonment(&mut self, arrival: f64, wait: f64) {
        if self.counts(arrival) {
            self.abandoned += 1;
            self.unserved_wait.add(wait);
            self.abandoned_wait.add(wait);
        }
    }

    /// A person of type `ctype` leaves the queue of `stage` unserved (gave
    /// up, or sent home at a hard close); `since_ticket` minutes after the
    /// ticket if not yet called once (None otherwise).
    #[inline]
    pub fn left_queue(&mut self, arrival: f64, ctype: usize, stage: usize, since_ticket: Option<f64>) {
        if self.counts(arrival) {
            self.stage_left[stage] += 1;
            if let Some(wait) = since_ticket {
                self.left_before_call += 1;
                if self.by_hour {
                    self.hourly.left_before_call[hour_of(arrival)] += 1;
                }
                self.type_left_before_call[ctype] += 1;
                self.left_wait.add(wait);
            }
        }
    }

    /// A case whose person got into the hall is settled, after `waited`
    /// minutes in queues over all its stages and visits.
    #[inline]
    pub fn case_waited(&mut self, arrival: f64, waited: f64) {
        if self.counts(arrival) {
            self.counted_case_waited(waited);
        }
    }

    #[inline(always)]
    fn counted_case_waited(&mut self, waited: f64) {
        self.case_wait.add(waited);
        self.case_wait_hist.record(waited);
    }

    /// A person enters hall `site` at `t`.
    #[inline]
    pub fn entered(&mut self, t: f64, site: usize) {
        self.present.enter(t, self.window);
        if let Some(p) = self.site_present.get_mut(site) {
            p.enter(t, self.window);
        }
    }

    /// A person who entered hall `site` at `start` leaves it at `t`.
    #[inline]
    pub fn left(&mut self, start: f64, t: f64, site: usize) {
        let (window, by_hour) = (self.window, self.by_hour);
        self.present.leave(start, t, window, by_hour);
        if let Some(p) = self.site_present.get_mut(site) {
            p.leave(start, t, window, false);
        }
    }

    /// At `now`, a visit of a person of type `ctype` (first ticket at
    /// `arrival`) that began on entering the hall at `start` ends as `end`.
    #[inline]
    pub fn visit_end(&mut self, now: f64, arrival: f64, start: f64, ctype: usize, eligible: bool, end: VisitEnd) {
        if self.counts(arrival) {
            self.counted_visit_end(now, start, ctype, eligible, end);
        }
    }

    #[inline(always)]
    fn counted_visit_end(&mut self, now: f64, start: f64, ctype: usize, eligible: bool, end: VisitEnd) {
        if end != VisitEnd::NotAdmitted {
            self.visit_time.add(now - start);
        }
        if end == VisitEnd::Excluded {
            return;
        }
        let within = end == VisitEnd::Completed && now - start <= self.target;
        self.type_visits[ctype] += 1;
        self.type_within_target[ctype] += u64::from(within);
        if eligible {
            self.eligible += 1;
            self.eligible_within_target += u64::from(within);
            if self.by_hour {
                let i = hour_of(start);
                self.hourly.eligible[i] += 1;
                self.hourly.within_target[i] += u64::from(within);
            }
        }
    }

    /// A case is settled after `trips` visits, completed or not;
    /// `first_trip_on_time`: completed on the first visit within the target.
    #[inline]
    pub fn case_closed(&mut self, arrival: f64, trips: u8, completed: bool, eligible: bool, first_trip_on_time: bool) {
        if self.counts(arrival) {
            self.counted_case_closed(trips, completed, eligible, first_trip_on_time);
        }
    }

    #[inline(always)]
    fn counted_case_closed(&mut self, trips: u8, completed: bool, eligible: bool, first_trip_on_time: bool) {
        self.cases += 1;
        self.trips += u64::from(trips);
        self.one_trip += u64::from(completed && trips == 1);
        if eligible {
            self.eligible_cases += 1;
            self.first_trip_within_target += u64::from(first_trip_on_time);
        }
    }

    /// A case is completed in the back office after the person went home.
    #[inline]
    pub fn completion_later(&mut self, arrival: f64) {
        if self.counts(arrival) {
            self.completed_later += 1;
        }
    }

    /// A person leaves at once on seeing the displayed wait (a failed trip).
    #[inline]
    pub fn balked(&mut self, t: f64) {
        if self.counts(t) {
            self.balked += 1;
        }
    }

    /// A called ticket's holder had left unseen.
    #[inline]
    pub fn absent(&mut self, arrival: f64) {
        if self.counts(arrival) {
            self.absent += 1;
        }
    }

    /// A person takes a ticket at hall `site`.
    #[inline]
    pub fn site_arrival(&mut self, t: f64, site: usize) {
        if self.counts(t) && self.site_arrived.len() > 1 {
            self.site_arrived[site] += 1;
        }
    }

    /// A person is sent home (a missing paper, a hard close), after `wait`
    /// minutes in a queue (0 if not in one).
    #[inline]
    pub fn sent_home(&mut self, arrival: f64, wait: f64) {
        if self.counts(arrival) {
            self.sent_home += 1;
            if wait > 0.0 {
                self.unserved_wait.add(wait);
            }
        }
    }

    /// A person comes back for another visit.
    #[inline]
    pub fn returned(&mut self, arrival: f64) {
        if self.counts(arrival) {
            self.returns += 1;
        }
    }

    /// A follow-up task is created for a paper that comes later.
    #[inline]
    pub fn follow_up(&mut self, arrival: f64) {
        if self.counts(arrival) {
            self.follow_ups += 1;
        }
    }

    /// A person finds the hall full and is turned away (a failed trip).
    #[inline]
    pub fn turned_away(&mut self, t: f64) {
        if self.counts(t) {
            self.turned_away += 1;
        }
    }

    /// A person's case is handled outside the hall.
    #[inline]
    pub fn diversion(&mut self, t: f64) {
        if self.counts(t) {
            self.diverted += 1;
        }
    }

    /// The queue of `stage` (priority `class`) changes by `delta` at `t`;
    /// `person` is false for back-office work without its person, which is
    /// not in the people count.
    #[inline(always)]
    pub fn queue_change(&mut self, t: f64, stage: usize, class: usize, delta: i32, person: bool) {
        self.stage_queue[stage].change(t, delta);
        if person {
            if !self.queue_is_stage_queue {
                self.queue.change(t, delta);
            }
            if let Some(q) = self.class_queue.get_mut(class) {
                q.change(t, delta);
            }
        }
    }

    /// A person waiting at `t` in priority `class` leaves the hall while the
    /// work stays queued (back-office work at a hard close): no longer among
    /// the people waiting.
    #[inline]
    pub fn person_left_queue(&mut self, t: f64, class: usize) {
        self.queue.change(t, -1);
        if let Some(q) = self.class_queue.get_mut(class) {
            q.change(t, -1);
        }
    }

    /// A person is called for the first time, `wait` minutes after the ticket.
    #[inline(always)]
    pub fn first_call(&mut self, arrival: f64, ctype: usize, site: usize, green: bool, wait: f64) {
        if self.counts(arrival) {
            if self.site_wait.len() > 1 {
                self.site_wait[site].add(wait);
            }
            if green {
                self.green_wait.add(wait);
            }
            self.first_wait.add(wait);
            self.first_wait_positive += u64::from(wait > 0.0);
            let (one_type, n) = (self.one_type(), self.wait_targets.len());
            if !one_type {
                self.type_wait[ctype].add(wait);
            }
            for (k, &target) in self.wait_targets.iter().enumerate() {
                let within = u64::from(wait <= target);
                self.first_wait_within[k] += within;
                if !one_type {
                    self.type_wait_within[ctype * n + k] += within;
                }
            }
            self.first_wait_hist.record(wait);
            if self.by_hour {
                let h = hour_of(arrival);
                self.hourly.first_wait[h].add(wait);
                for (k, &target) in self.wait_targets.iter().enumerate() {
                    self.hourly.first_wait_within[k * HOURS + h] += u64::from(wait <= target);
                }
            }
        }
    }

    /// The staff on duty in `pool` change by `delta` at `t`.
    #[inline]
    pub fn duty_change(&mut self, t: f64, pool: usize, delta: i64) {
        self.pool_on_duty[pool].change(t, delta as i32);
    }

    /// Servers busy beyond those on duty in `pool` change by `delta` at `t`.
    #[inline]
    pub fn excess_change(&mut self, t: f64, pool: usize, delta: i64) {
        self.pool_excess[pool].change(t, delta as i32);
    }

    /// A server of `pool` starts (+1) or ends (-1) a service at `t`.
    #[inline]
    pub fn busy_change(&mut self, t: f64, pool: usize, delta: i32) {
        self.pool_busy[pool].change(t, delta);
    }

    /// A person finishes a stage; `time` runs from the end of the previous
    /// stage (hand-off included).
    #[inline(always)]
    pub fn stage_done(
        &mut self,
        arrival: f64,
        ctype: usize,
        stage: usize,
        (wait, service, time): (f64, f64, f64),
        budget: f64,
    ) {
        if self.counts(arrival) {
            self.stage_wait[stage].add(wait);
            self.stage_service[stage].add(service);
            self.stage_time[stage].add(time);
            let within = u64::from(time <= budget);
            self.stage_within_budget[stage] += within;
            self.stage_missed_by_service[stage] += u64::from(service > budget);
            if !self.one_type() {
                let at = ctype * self.stage_wait.len() + stage;
                self.type_stage_through[at] += 1;
                self.type_stage_within_budget[at] += within;
            }
            let n = self.wait_targets.len();
            for (k, &target) in self.wait_targets.iter().enumerate() {
                self.stage_wait_within[stage * n + k] += u64::from(wait <= target);
            }
            if self.by_hour {
                let at = stage * HOURS + hour_of(arrival);
                self.hourly.stage_through[at] += 1;
                self.hourly.stage_within_budget[at] += within;
            }
        }
    }

    /// A person of type `ctype` completes the case at `t`, in hall `site`:
    /// the visit that entered the hall at `start` ends, and the case (first
    /// ticket at `arrival`) is settled after `trips` visits and `waited`
    /// minutes in queues. What [`Recorder::visit_end`], [`Recorder::left`],
    /// [`Recorder::case_closed`] and [`Recorder::case_waited`] record, with
    /// the time to completion, under one test of whether the case counts.
    #[inline(always)]
    pub fn case_completed(
        &mut self,
        t: f64,
        arrival: f64,
        start: f64,
        (ctype, site, eligible): (usize, usize, bool),
        trips: u8,
        waited: f64,
    ) {
        self.left(start, t, site);
        // Kept in days mode only (the overrun, the hours observed); the day
        // is at most the validated number of days, so i32 holds it.
        if self.by_hour
            && let Some(d) = self.day_last_departure.get_mut((start / 1440.0) as i32 as usize)
        {
            *d = if d.is_nan() { t } else { d.max(t) };
        }
        if self.counts(arrival) {
            self.counted_completion(t, start, ctype);
            self.counted_visit_end(t, start, ctype, eligible, VisitEnd::Completed);
            let on_time = trips == 1 && t - start <= self.target;
            self.counted_case_closed(trips, true, eligible, on_time);
            self.counted_case_waited(waited);
        }
    }

    /// The time to completion of a case completed at `t` in the hall, from
    /// `start`, when this visit entered it.
    #[inline(always)]
    fn counted_completion(&mut self, t: f64, start: f64, ctype: usize) {
        let tis = t - start;
        self.completed += 1;
        self.time_in_system.add(tis);
        self.time_in_system_hist.record(tis);
        if !self.one_type() {
            self.type_time_in_system[ctype].add(tis);
        }
        if self.by_hour {
            self.hourly.time_in_system[hour_of(start)].add(tis);
        }
    }

    /// Ends the observation window at `t` (arrivals are over in a continuous run).
    pub fn close_window(&mut self, t: f64) {
        self.window.1 = self.window.1.min(t);
        let pools = self.pool_busy.iter_mut().chain(&mut self.pool_on_duty).chain(&mut self.pool_excess);
        let people = self.class_queue.iter_mut().chain([&mut self.queue]);
        for q in self.stage_queue.iter_mut().chain(people).chain(pools) {
            q.close(t);
        }
    }

    /// The run ended at `t`.
    pub fn finish(&mut self, t: f64) {
        self.end = t;
        self.close_window(t);
        if self.queue_is_stage_queue {
            self.queue = self.stage_queue[0].clone();
        }
        if self.one_type() {
            self.type_wait[0] = self.first_wait;
            self.type_wait_within.clone_from(&self.first_wait_within);
            self.type_time_in_system[0] = self.time_in_system;
            self.type_stage_through = self.stage_wait.iter().map(|t| t.n).collect();
            self.type_stage_within_budget.clone_from(&self.stage_within_budget);
        }
    }

    /// With one case type, its first waits, times to completion and stage
    /// counts are those of everyone: the per-type figures are not kept as
    /// they happen but copied at the end.
    #[inline(always)]
    fn one_type(&self) -> bool {
        self.type_wait.len() == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_weighted_level_splits_across_hours_and_clips_to_window() {
        let mut q = TimeWeighted::new((30.0, 200.0), Breakdown::Hourly);
        q.change(0.0, 2);
        q.change(90.0, -1);
        q.close(250.0);
        // 2 people over [30, 90), 1 over [90, 200].
        assert!((q.area - (2.0 * 60.0 + 110.0)).abs() < 1e-9);
        assert!((q.hourly[0] - 60.0).abs() < 1e-9);
        assert!((q.hourly[1] - (2.0 * 30.0 + 30.0)).abs() < 1e-9);
        assert!((q.hourly[3] - 20.0).abs() < 1e-9);
        assert_eq!(q.max, 2, "the level of 2 reached before the window opened is held inside it");
        assert_eq!(q.hourly_max[..4], [2, 2, 1, 1]);
    }

    /// Level × minutes per hour of day of the steps (time, level held from
    /// then on) up to `end`, counting only minutes inside `keep` (decided per
    /// half hour), by brute force.
    fn by_hour(steps: &[(f64, u32)], end: f64, keep: impl Fn(f64) -> bool) -> [f64; HOURS] {
        let mut bins = [0.0; HOURS];
        for (i, &(t, level)) in steps.iter().enumerate() {
            let until = steps.get(i + 1).map_or(end, |s| s.0);
            let mut x = t;
            while x < until {
                let y = (((x / 30.0).floor() + 1.0) * 30.0).min(until);
                if keep(x) {
                    bins[((x / 60.0).floor() as usize) % HOURS] += f64::from(level) * (y - x);
                }
                x = y;
            }
        }
        bins
    }

    /// A fixed pseudo-random sequence in [0, 1) from `seed`.
    fn uniforms(mut state: u64) -> impl FnMut() -> f64 {
        move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        }
    }

    #[test]
    fn the_kept_hour_gives_what_spreading_every_interval_gives() {
        // Three days of changes every 0 to 45 minutes (a fixed pseudo-random walk).
        let mut next = uniforms(12_345);
        let mut steps = Vec::new();
        let (mut t, mut level) = (0.0, 0u32);
        let staffed = Breakdown::Staffed { opens: 510.0, until: 1020.0, days: 2.0 };
        let (mut hourly, mut busy) = (
            TimeWeighted::new((0.0, f64::INFINITY), Breakdown::Hourly),
            TimeWeighted::new((0.0, f64::INFINITY), staffed),
        );
        while t < 3.0 * 1440.0 {
            let delta = if level == 0 || next() < 0.5 { 1 } else { -1 };
            level = level.wrapping_add_signed(delta);
            hourly.change(t, delta);
            busy.change(t, delta);
            steps.push((t, level));
            t += 45.0 * next();
        }
        hourly.close(t);
        busy.close(t);
        let all = by_hour(&steps, t, |_| true);
        let in_staffed_hours = |x: f64| {
            let minute = x % 1440.0;
            x < 2.0 * 1440.0 && (510.0..1020.0).contains(&minute)
        };
        let staffed_only = by_hour(&steps, t, in_staffed_hours);
        for h in 0..HOURS {
            assert!((hourly.hourly[h] - all[h]).abs() < 1e-6, "hour {h}: {} against {}", hourly.hourly[h], all[h]);
            assert!(
                (busy.hourly[h] - staffed_only[h]).abs() < 1e-6,
                "hour {h}: {} against {}",
                busy.hourly[h],
                staffed_only[h]
            );
        }
        assert!((busy.staffed_area - staffed_only.iter().sum::<f64>()).abs() < 1e-6);
    }

    #[test]
    fn the_fast_path_gives_what_the_general_path_gives_to_the_bit() {
        let mut next = uniforms(2_024);
        let staffed = Breakdown::Staffed { opens: 510.0, until: 1020.0, days: 2.0 };
        for window in [(0.0, f64::INFINITY), (95.5, 2_500.0)] {
            for breakdown in [Breakdown::None, Breakdown::Hourly, staffed] {
                let (mut fast, mut general) =
                    (TimeWeighted::new(window, breakdown), TimeWeighted::new(window, breakdown));
                let (mut t, mut level) = (0.0, 0u32);
                let mut fast_changes = 0;
                let mut closed = false;
                while t < 3.0 * 1440.0 {
                    // The window ends early, as when arrivals are over; changes go on.
                    if !closed && t >= 2_600.0 {
                        fast.close(t);
                        general.close(t);
                        closed = true;
                    }
                    let delta = if level == 0 || next() < 0.5 { 1 } else { -1 };
                    level = level.wrapping_add_signed(delta);
                    fast_changes += usize::from(fast.last >= fast.fast.0 && t < fast.fast.1);
                    fast.change(t, delta);
                    general.change_in_general(t, delta);
                    // Now and then several changes at one instant.
                    if next() < 0.8 {
                        t += 30.0 * next();
                    }
                }
                fast.close(t);
                general.close(t);
                assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{window:?} {breakdown:?}");
                assert!(fast_changes > 40, "{window:?} {breakdown:?}: only {fast_changes} changes took the fast path");
            }
        }
    }

    #[test]
    fn floor_without_a_call_is_the_floor() {
        let big = 4_503_599_627_370_496.0;
        let below = |x: f64| f64::from_bits(x.to_bits() - 1);
        let cases = [0.0, -0.0, 0.5, 1.0, 1.5, 2.5, below(1.0), below(60.0), 59.999_999, 1439.0, 1e9 + 0.25];
        for x in cases.into_iter().chain([below(big), big - 0.5, big - 1.5, big, big + 2.0, 1e300, f64::INFINITY]) {
            assert_eq!(floor_nonneg(x), x.floor(), "{x}");
        }
        assert!(floor_nonneg(f64::NAN).is_nan());
    }

    #[test]
    fn a_long_interval_spreads_by_whole_days_at_once() {
        let mut bins = [0.0; HOURS];
        // Ten days and a half hour, from 08:30.
        spread_over_hours(&mut bins, 510.0, 510.0 + 10.0 * 1440.0 + 30.0, 2.0);
        assert!((bins[8] - 2.0 * (10.0 * 60.0 + 30.0)).abs() < 1e-9);
        assert!((bins[9] - 2.0 * 10.0 * 60.0).abs() < 1e-9);
        assert!((bins.iter().sum::<f64>() - 2.0 * (10.0 * 1440.0 + 30.0)).abs() < 1e-6);
        // A billion days end at once.
        spread_over_hours(&mut bins, 0.0, 1.44e12, 1.0);
        assert!(bins[0] > 5.9e10);
    }

    #[test]
    fn busy_time_splits_into_staffed_and_overtime() {
        let mut b =
            TimeWeighted::new((0.0, f64::INFINITY), Breakdown::Staffed { opens: 510.0, until: 1020.0, days: 2.0 });
        b.change(1000.0, 1);
        b.change(1040.0, -1);
        // and on the next day, from before opening into the morning
        b.change(1440.0 + 500.0, 1);
        b.change(1440.0 + 520.0, -1);
        assert!((b.area - 60.0).abs() < 1e-9);
        assert!((b.staffed_area - 30.0).abs() < 1e-9);
        assert!((b.hourly[16] - 20.0).abs() < 1e-9);
        assert_eq!(b.hourly[17], 0.0, "overtime is not staffed time");
        assert!((b.hourly[8] - 10.0).abs() < 1e-9);
        // Work on a day after the last operating day is all overtime.
        b.change(2.0 * 1440.0 + 600.0, 1);
        b.change(2.0 * 1440.0 + 610.0, -1);
        assert!((b.area - 70.0).abs() < 1e-9);
        assert!((b.staffed_area - 30.0).abs() < 1e-9);
    }
}

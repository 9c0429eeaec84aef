//! The scenario file's reference: every key with its meaning, unit, default and
//! range, in one table. `hallsim schema` prints it, and `docs/scenario.md` is
//! generated from it (a test keeps the two equal).

use crate::dist::MAX_MINUTES;
use crate::scenario::model::{DAY, MAX_PRIORITY};

/// Most replications of one run (file or command line).
pub const MAX_REPLICATIONS: i64 = 1_000_000;
/// Most staff in one pool.
pub const MAX_STAFF: i64 = 100_000;
/// Longest continuous run, minutes (about 19,000 years of simulated time).
pub const MAX_HORIZON_MINUTES: f64 = 1e10;

/// The values a number or integer key allows. The validator checks exactly
/// this and the reference prints it, so a limit lives in one place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    /// Text, tables and lists, checked by rules of their own (`range` says which).
    Rule,
    /// Integers from `lo` to `hi`.
    Int { lo: i64, hi: i64 },
    /// Finite numbers between `lo` and `hi`, each end included or not.
    Num { lo: f64, lo_in: bool, hi: f64, hi_in: bool },
}

impl Limit {
    pub const SHARE: Limit = Limit::num(0.0, true, 1.0, true);
    pub const SHARE_BELOW_ONE: Limit = Limit::num(0.0, true, 1.0, false);
    pub const SHARE_ABOVE_ZERO: Limit = Limit::num(0.0, false, 1.0, true);
    pub const POSITIVE: Limit = Limit::num(0.0, false, f64::INFINITY, false);
    /// A duration or duration target, minutes.
    pub const DURATION: Limit = Limit::num(0.0, false, MAX_MINUTES, true);

    pub const fn int(lo: i64, hi: i64) -> Limit {
        Limit::Int { lo, hi }
    }

    pub const fn num(lo: f64, lo_in: bool, hi: f64, hi_in: bool) -> Limit {
        Limit::Num { lo, lo_in, hi, hi_in }
    }

    /// Whether an integer value is allowed.
    pub fn allows_int(&self, x: i64) -> bool {
        match *self {
            Limit::Int { lo, hi } => (lo..=hi).contains(&x),
            _ => self.allows(x as f64),
        }
    }

    /// Whether a number is allowed (never NaN or infinite).
    pub fn allows(&self, x: f64) -> bool {
        match *self {
            Limit::Rule => true,
            Limit::Int { lo, hi } => x.fract() == 0.0 && x >= lo as f64 && x <= hi as f64,
            Limit::Num { lo, lo_in, hi, hi_in } => {
                x.is_finite() && (if lo_in { x >= lo } else { x > lo }) && (if hi_in { x <= hi } else { x < hi })
            }
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |x: f64| if x.abs() >= 1e7 { format!("{x:e}") } else { format!("{x}") };
        match *self {
            Limit::Rule => Ok(()),
            Limit::Int { lo, hi: i64::MAX } => write!(f, ">= {lo}"),
            Limit::Int { lo, hi } => write!(f, "{lo} to {hi}"),
            Limit::Num { lo, lo_in, hi, .. } if hi.is_infinite() => {
                write!(f, "{} {}", if lo_in { ">=" } else { ">" }, n(lo))
            }
            Limit::Num { lo: 0.0, lo_in: false, hi: 1.0, hi_in: true } => write!(f, "(0, 1]"),
            Limit::Num { lo, lo_in: true, hi, hi_in: true } => write!(f, "{} to {}", n(lo), n(hi)),
            Limit::Num { lo, lo_in: true, hi, hi_in: false } => write!(f, "{} to {} (not {})", n(lo), n(hi), n(hi)),
            Limit::Num { lo, lo_in: false, hi, hi_in: true } => write!(f, "> {}, at most {}", n(lo), n(hi)),
            Limit::Num { lo, hi, .. } => write!(f, "> {}, < {}", n(lo), n(hi)),
        }
    }
}

/// One key of the scenario file.
pub struct Key {
    /// Dotted path; `[[x]]` marks an array of tables.
    pub path: &'static str,
    pub kind: &'static str,
    pub unit: &'static str,
    /// The default, or "required".
    pub default: &'static str,
    /// Allowed numbers (of each element, for a list of numbers).
    pub limit: Limit,
    /// What else is allowed, or the rule for a key without a numeric limit.
    pub range: &'static str,
    pub meaning: &'static str,
}

impl Key {
    /// What values are allowed, as the reference and messages say it.
    pub fn allowed(&self) -> String {
        match (self.limit, self.range) {
            (Limit::Rule, range) => range.to_string(),
            (limit, "") => limit.to_string(),
            (limit, note) => format!("{limit} ({note})"),
        }
    }

    /// The same with the unit, for messages: "1 to 1440 (minutes; so at most 1441 slots a day)".
    pub fn allowed_with_unit(&self) -> String {
        let parens: Vec<&str> = [self.unit, if self.limit == Limit::Rule { "" } else { self.range }]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let plain = if self.limit == Limit::Rule { self.range.to_string() } else { self.limit.to_string() };
        if parens.is_empty() { plain } else { format!("{plain} ({})", parens.join("; ")) }
    }
}

const fn key(
    path: &'static str,
    kind: &'static str,
    unit: &'static str,
    default: &'static str,
    range: &'static str,
    meaning: &'static str,
) -> Key {
    Key { path, kind, unit, default, limit: Limit::Rule, range, meaning }
}

const fn limited(
    path: &'static str,
    kind: &'static str,
    unit: &'static str,
    default: &'static str,
    limit: Limit,
    note: &'static str,
    meaning: &'static str,
) -> Key {
    Key { path, kind, unit, default, limit, range: note, meaning }
}

/// Every key, in file order.
pub const KEYS: &[Key] = &[
    key(
        "name",
        "string",
        "",
        "the file name",
        "1 to 100 letters, digits, `_`, `-`",
        "Scenario name; outputs go to `<out>/<name>/`.",
    ),
    key("description", "string", "", "empty", "any text", "Free text, for people."),
    limited(
        "simulation.days",
        "integer",
        "days",
        "1",
        Limit::int(1, 100_000),
        "",
        "Operating days per replication. Each day tickets are issued from `hall.opens` to `hall.last_ticket`, and everyone holding a ticket is served. Not with `horizon_minutes`.",
    ),
    limited(
        "simulation.horizon_minutes",
        "number",
        "minutes",
        "none (days mode)",
        Limit::num(0.0, false, MAX_HORIZON_MINUTES, true),
        "",
        "One continuous run of this length instead of operating days, for steady-state studies. Statistics cover people arriving in [warmup, horizon); the queue drains after it.",
    ),
    key(
        "simulation.warmup_minutes",
        "number",
        "minutes",
        "0",
        "0 to horizon",
        "With `horizon_minutes`: start of the observation window; people arriving before it are not counted.",
    ),
    limited(
        "simulation.max_arrivals",
        "integer",
        "people",
        "no limit",
        Limit::int(1, i64::MAX),
        "",
        "Arrivals stop after this many people per replication (the observation window ends at the last arrival).",
    ),
    limited(
        "simulation.replications",
        "integer",
        "",
        "100",
        Limit::int(1, MAX_REPLICATIONS),
        "",
        "Independent replications, unless `hallsim run --replications` says otherwise.",
    ),
    limited(
        "simulation.seed",
        "integer",
        "",
        "1",
        Limit::int(0, i64::MAX),
        "",
        "Master seed, unless `hallsim run --seed` says otherwise. Replication r always uses the streams of (seed, r).",
    ),
    key(
        "hall.opens",
        "\"HH:MM\"",
        "time of day",
        "required in days mode",
        "00:00 to 24:00",
        "The ticket machine starts issuing tickets; staffed hours start.",
    ),
    key(
        "hall.last_ticket",
        "\"HH:MM\"",
        "time of day",
        "required in days mode",
        "after `opens`",
        "The ticket machine stops issuing tickets.",
    ),
    key(
        "hall.staff_until",
        "\"HH:MM\"",
        "time of day",
        "`last_ticket`",
        "not before `last_ticket`",
        "End of staffed hours. Work after it is overtime; utilization is measured over opens..staff_until.",
    ),
    limited(
        "hall.capacity",
        "integer",
        "people",
        "no limit",
        Limit::int(1, 1_000_000),
        "",
        "Most people in the hall at once (seats, ticket limit), waiting or served, in each hall when there are several; arrivals beyond it are turned away (a failed trip). Also in a continuous run, where it makes an M/M/c/K model; there it is the only key of `[hall]`.",
    ),
    key(
        "hall.closing",
        "string",
        "",
        "\"extended\"",
        "\"extended\", \"hard\"",
        "At `staff_until`: \"extended\" (延时服务) serves everyone holding a ticket, the work after it counted as overtime; \"hard\" sends staff home (each finishing the case in hand) and the people still waiting for a window home too, to come back another day (see [returns]); back-office work waits in its queue for the next morning, and its people come back for their next window.",
    ),
    limited(
        "returns.share",
        "number",
        "share",
        "1",
        Limit::SHARE,
        "",
        "Share of people sent home (a missing paper, a hard close) who come back on a later day; the others give up.",
    ),
    limited(
        "returns.after_days",
        "integer",
        "days",
        "1",
        Limit::int(1, 365),
        "",
        "How many days later they come back, at the hour of their first ticket. A return after the run's last day counts as a trip but is not simulated.",
    ),
    limited(
        "targets.completion_minutes",
        "number",
        "minutes",
        "60",
        Limit::DURATION,
        "",
        "The completion target, from entering the hall (the guides' queue, or the ticket) to completion. Two figures use it. `within_<N>_min` (what staffing controls): of the visits of eligible case types, the share that completed the case within N minutes of entering; a visit that ends any other way is a miss (completed late, gave up, balked, turned away at capacity, sent home at a hard close, left for later-day work), and only visits ended by a missing paper (found by a window or a guide) or an absent ticket are left out. `first_trip_within_<N>_min` (what the citizen lives): of all eligible cases, the share completed on their first visit within N minutes of entering; it is at most the one-trip rate.",
    ),
    limited(
        "targets.wait_minutes",
        "list of numbers",
        "minutes",
        "none",
        Limit::DURATION,
        "each; up to 10 values, no repeats",
        "Targets for the wait from ticket to call, such as `[5, 10, 15]`. Each T gives `wait_within_<T>_min`: of the people who took a ticket and were called or left before it, the share called within T minutes (those who left count as not called in time); overall, per case type (`type.<name>.wait_within_<T>_min`) and per stage (`stage.<name>.wait_within_<T>_min`, the wait in that stage's queue).",
    ),
    limited(
        "targets.completion_share",
        "number",
        "share",
        "0.95",
        Limit::SHARE_ABOVE_ZERO,
        "",
        "The share of `within_<N>_min` the report asks for: its verdict says the completion target is met when the whole 95% interval is at or above it.",
    ),
    limited(
        "targets.stage_budget_share",
        "number",
        "share",
        "0.9",
        Limit::SHARE_ABOVE_ZERO,
        "",
        "The share of each `stage.<name>.within_budget` the report asks for, judged the same way.",
    ),
    limited(
        "arrivals.per_day",
        "number",
        "people/day",
        "one of the three",
        Limit::POSITIVE,
        "",
        "Expected tickets per day: a Poisson process whose rate follows `profile` (or is flat over the ticket hours).",
    ),
    key(
        "arrivals.profile",
        "array of `{ from, to, share }`",
        "",
        "flat over the ticket hours",
        "time-ordered, disjoint, within the ticket hours; shares in [0, 1] summing to 1",
        "Share of the day's tickets in each interval, `{ from = \"HH:MM\", to = \"HH:MM\", share = x }`: `share` of `per_day` arrive between `from` and `to`; the rate is constant inside an interval and sampled exactly, so no short peak is skipped.",
    ),
    limited(
        "arrivals.rate_per_minute",
        "number",
        "people/minute",
        "one of the three",
        Limit::POSITIVE,
        "",
        "A constant Poisson rate (during the ticket hours in days mode).",
    ),
    key(
        "arrivals.interarrival",
        "distribution",
        "minutes",
        "one of the three",
        "any distribution",
        "Gaps between successive tickets (a renewal process, restarting at each opening).",
    ),
    limited(
        "arrivals.day_factors",
        "array of numbers",
        "",
        "1 every day",
        Limit::POSITIVE,
        "each",
        "Multipliers of the arrival rate for day 1, 2, ..., repeated (for example Mon..Fri 1.10, 0.97, 0.95, 0.97, 1.05). Days mode only.",
    ),
    limited(
        "arrivals.green_channel_share",
        "number",
        "share",
        "0",
        Limit::SHARE_BELOW_ONE,
        "",
        "Share of arrivals in the green channel (绿色通道: the elderly, the ill, the disabled), called before every other ticket.",
    ),
    key(
        "appointments.first_slot",
        "string",
        "time of day",
        "required in [appointments]",
        "inside the ticket hours",
        "First booked slot of each day. Booked tickets come on top of walk-ins, with the same case-type mix, and are called before walk-ins (with the green channel).",
    ),
    key(
        "appointments.last_slot",
        "string",
        "time of day",
        "required in [appointments]",
        "first_slot to hall.last_ticket",
        "Last booked slot of each day.",
    ),
    limited(
        "appointments.every_minutes",
        "number",
        "minutes",
        "required in [appointments]",
        Limit::num(1.0, true, DAY, true),
        "so at most 1441 slots a day",
        "Minutes between slots.",
    ),
    limited(
        "appointments.per_slot",
        "integer",
        "people",
        "required in [appointments]",
        Limit::int(1, 10_000),
        "",
        "Booked people per slot.",
    ),
    limited(
        "appointments.no_show_share",
        "number",
        "share",
        "0",
        Limit::SHARE_BELOW_ONE,
        "",
        "Share of booked people who do not come.",
    ),
    limited(
        "appointments.early_minutes",
        "number",
        "minutes",
        "0",
        Limit::num(0.0, true, DAY, true),
        "",
        "Booked people arrive this much before their slot, plus a draw of `lateness`.",
    ),
    key(
        "appointments.lateness",
        "distribution",
        "minutes",
        "0",
        "any distribution",
        "Added to `slot - early_minutes`: with `early_minutes = 10` and a uniform 0-20, people come from 10 minutes early to 10 late.",
    ),
    limited(
        "calling.absent_share",
        "number",
        "share",
        "0",
        Limit::SHARE_BELOW_ONE,
        "",
        "Share of people who leave unseen before their first call (a failed trip): the window calls their ticket in vain.",
    ),
    limited(
        "calling.absent_call_minutes",
        "number",
        "minutes",
        "1",
        Limit::num(0.0, true, MAX_MINUTES, true),
        "",
        "Window time lost calling an absent ticket.",
    ),
    limited(
        "calling.balk_above_minutes",
        "number",
        "minutes",
        "none (nobody balks)",
        Limit::DURATION,
        "",
        "The ticket machine shows the expected wait (people waiting for the first stage x its mean service time / staff on duty); above this, people may leave at once (a failed trip).",
    ),
    limited(
        "calling.balk_share",
        "number",
        "share",
        "1",
        Limit::SHARE,
        "",
        "Share of those shown a wait above `balk_above_minutes` who leave.",
    ),
    limited(
        "documents.problem_share",
        "number",
        "share",
        "required in [documents]",
        Limit::SHARE,
        "",
        "Share of cases that arrive with a document problem; `[[case_type]].problem_share` overrides it per type.",
    ),
    limited(
        "documents.fixed_share",
        "number",
        "share",
        "required in [documents]",
        Limit::SHARE,
        "",
        "Of the problems, the share fixed at the window; the others are a missing paper.",
    ),
    key(
        "documents.fix_time",
        "distribution",
        "minutes",
        "required in [documents]",
        "any distribution",
        "Extra window time to fix a problem on the spot (at the first stage).",
    ),
    key(
        "documents.accept_missing",
        "boolean",
        "",
        "false",
        "true, false",
        "Accept with missing documents (容缺受理): a missing-paper case is accepted and completed, the paper following later. Without it the person is sent home after the window and comes back (see [returns]).",
    ),
    limited(
        "documents.accept_missing_share",
        "number",
        "share",
        "1",
        Limit::SHARE,
        "",
        "With `accept_missing`, the share of missing-paper cases that may be accepted; the others are sent home.",
    ),
    key(
        "documents.accept_missing_time",
        "distribution",
        "minutes",
        "0",
        "any distribution",
        "Extra window time to accept a case with a paper missing.",
    ),
    key(
        "documents.follow_up_stage",
        "string",
        "",
        "none",
        "a back-office stage",
        "Where the follow-up work goes when the paper arrives (it is queued at acceptance, without the person); with `follow_up_time`.",
    ),
    key(
        "documents.follow_up_time",
        "distribution",
        "minutes",
        "none",
        "any distribution",
        "Staff time of a follow-up.",
    ),
    key(
        "pre_review.stage",
        "string",
        "",
        "required in [pre_review]",
        "a stage on no route",
        "The guides' stage (蓝马甲, 资料预审), before the ticket; a pool serving it holds the guides. Waits run from the ticket, taken after pre-review.",
    ),
    limited(
        "pre_review.share",
        "number",
        "share",
        "required in [pre_review]",
        Limit::SHARE,
        "",
        "Share of arrivals who see a guide first.",
    ),
    key(
        "pre_review.service",
        "distribution",
        "minutes",
        "required in [pre_review]",
        "any distribution",
        "Guide time per person.",
    ),
    limited(
        "pre_review.catch_share",
        "number",
        "share",
        "required in [pre_review]",
        Limit::SHARE,
        "",
        "Share of document problems the guide catches: a problem that can be fixed is fixed with the guide (no extra window time); a missing paper sends the person home before the window (it still costs a trip, unless accepted with missing documents).",
    ),
    limited(
        "pre_review.window_time_factor",
        "number",
        "factor",
        "1",
        Limit::SHARE_ABOVE_ZERO,
        "",
        "Factor on the first window's service time of a pre-reviewed case (0.85: 15% shorter).",
    ),
    key(
        "[[site]].name",
        "string",
        "",
        "required in [[site]]",
        "1 to 100 letters, digits, `_`, `-`; unique",
        "A hall of the city (同城通办). With `[[site]]` entries the scenario holds several halls, each with its own pools (`[[pool]].site`) and queues; stages and case types are shared.",
    ),
    key(
        "[[site]].label",
        "string",
        "",
        "the name",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts call this hall (for example in Chinese); files and columns keep `name`.",
    ),
    key(
        "[[site]].label_zh",
        "string",
        "",
        "`label`",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts in Chinese (`--lang zh`) call this hall.",
    ),
    limited(
        "[[site]].share",
        "number",
        "share",
        "required in [[site]]",
        Limit::SHARE_ABOVE_ZERO,
        "the shares sum to 1",
        "Share of arrivals whose home hall this is.",
    ),
    limited(
        "city.shortest_queue_share",
        "number",
        "share",
        "0",
        Limit::SHARE,
        "",
        "Share of people who go to the hall whose ticket machine shows the shortest wait (as in `calling.balk_above_minutes`) instead of their home hall; ties keep the home hall.",
    ),
    key(
        "[[stage]].name",
        "string",
        "",
        "required",
        "1 to 100 letters, digits, `_`, `-`; unique",
        "A step of a case (accept, approve, issue, ...).",
    ),
    key(
        "[[stage]].label",
        "string",
        "",
        "the name",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts call this stage (for example in Chinese); files and columns keep `name`.",
    ),
    key(
        "[[stage]].label_zh",
        "string",
        "",
        "`label`",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts in Chinese (`--lang zh`) call this stage.",
    ),
    limited(
        "[[stage]].budget_minutes",
        "number",
        "minutes",
        "20",
        Limit::DURATION,
        "",
        "Time budget of the stage, queue plus service; reported as the share of people within it.",
    ),
    key(
        "[[stage]].present",
        "boolean",
        "",
        "true",
        "",
        "Whether the person must be present at a window during the stage (false for back-office approval while the person waits in the hall). Recorded with the scenario; it does not change the queueing.",
    ),
    key(
        "[[pool]].name",
        "string",
        "",
        "required",
        "1 to 100 letters, digits, `_`, `-`; unique",
        "A group of interchangeable windows or staff.",
    ),
    key(
        "[[pool]].label",
        "string",
        "",
        "the name",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts call this pool (for example in Chinese); files and columns keep `name`.",
    ),
    key(
        "[[pool]].label_zh",
        "string",
        "",
        "`label`",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts in Chinese (`--lang zh`) call this pool.",
    ),
    limited(
        "[[pool]].count",
        "integer",
        "servers",
        "required",
        Limit::int(0, MAX_STAFF),
        "",
        "Windows or staff on duty. Every stage on a route needs a pool with count >= 1.",
    ),
    key(
        "[[pool]].stages",
        "array of stage names",
        "",
        "required",
        "known stages, no repeats",
        "Stages this pool serves. A person takes a free server of the first pool (file order) that serves the stage.",
    ),
    key(
        "[[pool]].case_types",
        "array of case-type names",
        "",
        "all case types",
        "known case types, no repeats",
        "Case types this pool serves: windows per group of types, or, left out, one integrated pool for all (一窗受理). Every stage on every route needs a pool with staff that serves it for that type.",
    ),
    key(
        "[[pool]].schedule",
        "array of tables",
        "",
        "none (count all day)",
        "`{ from = \"HH:MM\", to = \"HH:MM\", count = N }`, in time order, inside the staffed hours",
        "Another number on duty, `count`, between `from` and `to` each day: a lunch break (count 0, or some windows: staggered), a shift, extra windows at a peak. Entries that meet (one ends where the next starts) apply as one. Staff going off duty finish the case in hand; that time is counted as overtime.",
    ),
    key("[[pool]].site", "string", "", "required with [[site]]", "a site's name", "The hall this pool works in."),
    limited(
        "[[pool]].cost_per_hour",
        "number",
        "money/hour",
        "1",
        Limit::POSITIVE,
        "",
        "Cost of an hour on duty in this pool (an approver may cost more than a guide): each report and comparison gives the cost a day of the staffing as written. With the default every staff-hour costs 1, so the cost is in staff-hours. `plan --shifts` prices its shifts by `[[shift]].cost_per_hour` instead.",
    ),
    key(
        "[[case_type]].name",
        "string",
        "",
        "required",
        "1 to 100 letters, digits, `_`, `-`; unique",
        "A kind of case.",
    ),
    key(
        "[[case_type]].label",
        "string",
        "",
        "the name",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts call this case type (for example in Chinese); files and columns keep `name`.",
    ),
    key(
        "[[case_type]].label_zh",
        "string",
        "",
        "`label`",
        "1 to 40 characters of any script, no line breaks",
        "What reports and charts in Chinese (`--lang zh`) call this case type.",
    ),
    limited(
        "[[case_type]].share",
        "number",
        "share",
        "required",
        Limit::SHARE_ABOVE_ZERO,
        "all shares sum to 1",
        "Share of arrivals of this type.",
    ),
    key(
        "[[case_type]].counts_toward_target",
        "boolean",
        "",
        "true",
        "",
        "Whether the type counts toward the completion target.",
    ),
    limited(
        "[[case_type]].priority",
        "integer",
        "class",
        "0",
        Limit::int(0, MAX_PRIORITY as i64),
        "",
        "Priority class: a free server calls the highest class first, then the longest-waiting ticket.",
    ),
    key(
        "[[case_type]].route",
        "array of stage names",
        "",
        "required",
        "1 to 8 known stages",
        "The stages the case goes through, in order.",
    ),
    key(
        "[[case_type]].service.<stage>",
        "distribution",
        "minutes",
        "required for each stage on the route",
        "any distribution",
        "Service time at that stage.",
    ),
    limited(
        "[[case_type]].outside_share",
        "number",
        "share",
        "0",
        Limit::SHARE_BELOW_ONE,
        "",
        "Share of this type's demand handled outside the hall (bank branches as in Cixi, self-service machines): it never takes a ticket.",
    ),
    key(
        "[[case_type]].handoff.<stage>",
        "distribution",
        "minutes",
        "none",
        "a stage on the route, not the first",
        "Hand-off before that stage's queue (scanning, routing between departments); counted in the stage's time.",
    ),
    key(
        "[[case_type]].patience",
        "distribution",
        "minutes",
        "none (nobody leaves)",
        "any distribution",
        "How long a person waits for the first call of a visit before leaving (a failed trip); it runs again on a return visit.",
    ),
    limited(
        "[[case_type]].never_leave_share",
        "number",
        "share",
        "0",
        Limit::SHARE,
        "",
        "Share of people who never leave (bank staff, agents), with `patience`.",
    ),
    limited(
        "[[case_type]].problem_share",
        "number",
        "share",
        "documents.problem_share",
        Limit::SHARE,
        "",
        "This type's share of cases with a document problem (needs [documents]).",
    ),
    key(
        "[[case_type]].parallel",
        "array of stage names",
        "",
        "none (serial)",
        "back-office stages on the route, not the last",
        "Steps that run beside the next step (变串联为并联): approval while the person pays tax at a window. The next step must not be parallel itself; the route goes on when both are done.",
    ),
    key(
        "[[case_type]].later",
        "array of stage names",
        "",
        "none",
        "back-office stages; every step after is back office",
        "Steps done on a later day without the person (two-working-day types): the person goes home after the step before; the work enters its queue a day later at the same hour, so it comes in through the day as the cases did. Work that would fall after the run's last day is counted in `completed_later` but not simulated.",
    ),
    key(
        "planning.interval_minutes",
        "integer",
        "minutes",
        "60",
        "30 or 60",
        "Length of a planning interval for `hallsim plan --shifts`: staff on duty is planned per interval, from `hall.opens` to `hall.staff_until` (the last interval may be shorter).",
    ),
    key(
        "[[shift]].name",
        "string",
        "",
        "required",
        "1 to 100 letters, digits, `_`, `-`; unique",
        "A kind of shift staff can work (full day, morning half, late shift), for `hallsim plan --shifts`; the plan chooses how many start it at each allowed time, per pool.",
    ),
    key(
        "[[shift]].pools",
        "array of pool names",
        "",
        "required",
        "known pools, no repeats",
        "The pools this shift may staff (window staff, approvers); each pool is planned with the shifts that list it.",
    ),
    key(
        "[[shift]].starts",
        "array of \"HH:MM\"",
        "",
        "required",
        "1 to 48 times on the planning grid (`hall.opens` plus whole intervals), ascending",
        "When the shift may start.",
    ),
    limited(
        "[[shift]].length_minutes",
        "number",
        "minutes",
        "required",
        Limit::num(0.0, false, DAY, true),
        "ends by `hall.staff_until`",
        "From start to end, lunch included. Staff are on duty for every planning interval the shift covers whole, except their lunch.",
    ),
    limited(
        "[[shift]].lunch_minutes",
        "number",
        "minutes",
        "0 (no break: 午间不休 with everyone at work)",
        Limit::num(0.0, true, 240.0, true),
        "a whole number of planning intervals",
        "The unpaid break, taken in turns: the plan chooses where each staff member's lunch starts, between `lunch_earliest` and `lunch_latest`.",
    ),
    key(
        "[[shift]].lunch_earliest",
        "\"HH:MM\"",
        "time of day",
        "required with a lunch",
        "on the planning grid, inside the shift",
        "Earliest start of lunch.",
    ),
    key(
        "[[shift]].lunch_latest",
        "\"HH:MM\"",
        "time of day",
        "required with a lunch",
        "on the planning grid, not before `lunch_earliest`; lunch ends inside the shift",
        "Latest start of lunch.",
    ),
    limited(
        "[[shift]].cost_per_hour",
        "number",
        "money/hour",
        "1",
        Limit::POSITIVE,
        "",
        "Cost of an hour worked on this shift (lunch unpaid); the plan minimises the total. With the default every staff-hour costs 1, so the cost is in staff-hours.",
    ),
    key(
        "[[shift]].min",
        "inline table",
        "staff",
        "none",
        "`{ pool = N }` for pools of this shift, N from 0 to 100000",
        "Fewest staff of each named pool on this shift (civil servants on fixed full days, say).",
    ),
    key(
        "[[shift]].max",
        "inline table",
        "staff",
        "none",
        "`{ pool = N }` for pools of this shift, N from 0 to 100000, not below `min`",
        "Most staff of each named pool on this shift (the contracted assistants available, say).",
    ),
    key(
        "distribution",
        "inline table",
        "minutes",
        "",
        "see below",
        "`{ dist = \"exponential\", mean = M }`, `{ dist = \"deterministic\", value = V }`, `{ dist = \"uniform\", min = A, max = B }`, `{ dist = \"triangular\", min = A, mode = C, max = B }`, `{ dist = \"lognormal\", mean = M, cv = CV }`, `{ dist = \"gamma\", mean = M, cv = CV }`, `{ dist = \"empirical\", values = [x1, x2, ...] }` (each observed value equally likely). Means and CVs > 0; min < max; min <= mode <= max; values >= 0. Means, values and maxima at most 100000 minutes (about 69 days), CVs at most 10: what a hall can mean, so every run's clock stays precise.",
    ),
];

/// The line of `path` as a message names it: `pool[2].count` is
/// `[[pool]].count`, `case_type[0].service.accept` is
/// `[[case_type]].service.<stage>`, `targets.wait_minutes[1]` is
/// `targets.wait_minutes`.
pub fn lookup(path: &str) -> Option<&'static Key> {
    if let Some(k) = KEYS.iter().find(|k| k.path == path) {
        return Some(k);
    }
    let mut parts: Vec<String> = path.split('.').map(|p| p.split('[').next().unwrap_or(p).to_string()).collect();
    if path.split('.').next().is_some_and(|first| first.contains('[')) {
        parts[0] = format!("[[{}]]", parts[0]);
    }
    if parts.len() == 3 && parts[0] == "[[case_type]]" && ["service", "handoff"].contains(&parts[1].as_str()) {
        parts[2] = "<stage>".into();
    }
    let wanted = parts.join(".");
    KEYS.iter().find(|k| k.path == wanted)
}

/// The reference as Markdown.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Scenario file reference\n\n\
         Generated by `hallsim schema` from `src/scenario/schema.rs`; do not edit by hand.\n\
         Times of day are strings \"HH:MM\"; durations are minutes.\n\n\
         | key | type | unit | default | allowed | meaning |\n|---|---|---|---|---|---|\n",
    );
    for k in KEYS {
        let cell = |s: &str| s.replace('|', "\\|");
        out += &format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            k.path,
            cell(k.kind),
            cell(k.unit),
            cell(k.default),
            cell(&k.allowed()),
            cell(k.meaning)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{KEYS, lookup};

    #[test]
    fn message_paths_find_their_line() {
        for (path, line) in [
            ("pool[2].count", "[[pool]].count"),
            ("case_type[0].service.accept", "[[case_type]].service.<stage>"),
            ("targets.wait_minutes[1]", "targets.wait_minutes"),
            ("hall.opens", "hall.opens"),
        ] {
            assert_eq!(lookup(path).map(|k| k.path), Some(line), "{path}");
        }
        assert!(lookup("case_type[0].service.accept.mean").is_none());
    }

    /// The schema and the raw mirror list the same keys, both ways: every
    /// field a file may hold has a line here, and every line is a field.
    #[test]
    fn schema_and_raw_mirror_list_the_same_keys() {
        // Where each struct of raw.rs sits in a file; entries of a list are
        // documented in their list's line, each field named in backticks.
        let sections = [
            ("Simulation", "simulation."),
            ("Hall", "hall."),
            ("Returns", "returns."),
            ("Appointments", "appointments."),
            ("Calling", "calling."),
            ("Documents", "documents."),
            ("PreReview", "pre_review."),
            ("Targets", "targets."),
            ("Arrivals", "arrivals."),
            ("Stage", "[[stage]]."),
            ("Pool", "[[pool]]."),
            ("Site", "[[site]]."),
            ("City", "city."),
            ("CaseType", "[[case_type]]."),
            ("Planning", "planning."),
            ("Shift", "[[shift]]."),
        ];
        let entries = [("ProfileEntry", "arrivals.profile"), ("ScheduleEntry", "[[pool]].schedule")];
        let meaning = |path: &str| KEYS.iter().find(|k| k.path == path).map_or("", |k| k.meaning);
        let mut from_raw: Vec<String> = super::super::raw::TOP_LEVEL_KEYS
            .iter()
            .filter(|k| !sections.iter().any(|(_, p)| p.trim_start_matches("[[").starts_with(*k)))
            .map(|k| k.to_string())
            .collect();
        let mut problems = Vec::new();
        let mut current = "";
        for line in include_str!("raw.rs").lines() {
            if line.starts_with("pub ") {
                current =
                    line.strip_prefix("pub struct ").map_or("", |rest| rest.split([' ', '{']).next().unwrap_or(""));
                continue;
            }
            if current.is_empty() {
                continue;
            }
            let Some((field, _)) = line.trim().strip_prefix("pub ").and_then(|r| r.split_once(": ")) else { continue };
            if let Some((_, prefix)) = sections.iter().find(|(name, _)| *name == current) {
                from_raw.push(format!("{prefix}{field}"));
            } else if let Some((_, list)) = entries.iter().find(|(name, _)| *name == current) {
                if !meaning(list).contains(&format!("`{field}`")) {
                    problems.push(format!("{list}: its entries' `{field}` is not described"));
                }
            } else {
                problems.push(format!("raw.rs struct {current} has no place in this test"));
            }
        }
        let documented: Vec<String> = KEYS
            .iter()
            .filter(|k| k.path != "distribution")
            .map(|k| k.path.trim_end_matches(".<stage>").to_string())
            .collect();
        for k in &from_raw {
            if !documented.contains(k) {
                problems.push(format!("{k}: a field of the file without a line in schema.rs"));
            }
        }
        for k in &documented {
            if !from_raw.contains(k) {
                problems.push(format!("{k}: documented, but no field of the file"));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

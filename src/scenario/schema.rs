//! The scenario file's reference: every key with its meaning, unit, default and
//! range, in one table. `hallsim schema` prints it, and `docs/scenario.md` is
//! generated from it (a test keeps the two equal).

/// One key of the scenario file.
pub struct Key {
    /// Dotted path; `[[x]]` marks an array of tables.
    pub path: &'static str,
    pub kind: &'static str,
    pub unit: &'static str,
    /// The default, or "required".
    pub default: &'static str,
    /// What values are allowed.
    pub range: &'static str,
    pub meaning: &'static str,
}

const fn key(
    path: &'static str,
    kind: &'static str,
    unit: &'static str,
    default: &'static str,
    range: &'static str,
    meaning: &'static str,
) -> Key {
    Key { path, kind, unit, default, range, meaning }
}

/// Every key, in file order.
pub const KEYS: &[Key] = &[
    key(
        "name",
        "string",
        "",
        "the file name",
        "letters, digits, `_`, `-`",
        "Scenario name; outputs go to `<out>/<name>/`.",
    ),
    key("description", "string", "", "empty", "any text", "Free text, for people."),
    key(
        "simulation.days",
        "integer",
        "days",
        "1",
        "1 to 100000",
        "Operating days per replication. Each day tickets are issued from `hall.opens` to `hall.last_ticket`, and everyone holding a ticket is served. Not with `horizon_minutes`.",
    ),
    key(
        "simulation.horizon_minutes",
        "number",
        "minutes",
        "none (days mode)",
        "> 0",
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
    key(
        "simulation.max_arrivals",
        "integer",
        "people",
        "no limit",
        ">= 1",
        "Arrivals stop after this many people per replication (the observation window ends at the last arrival).",
    ),
    key(
        "simulation.replications",
        "integer",
        "",
        "100",
        "1 to 1000000",
        "Independent replications, unless `hallsim run --replications` says otherwise.",
    ),
    key(
        "simulation.seed",
        "integer",
        "",
        "1",
        ">= 0",
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
    key(
        "targets.completion_minutes",
        "number",
        "minutes",
        "60",
        "> 0",
        "The completion target from ticket to completion; eligible cases within it are reported as `within_<N>_min`.",
    ),
    key(
        "arrivals.per_day",
        "number",
        "people/day",
        "one of the three",
        "> 0",
        "Expected tickets per day: a Poisson process whose rate follows `profile` (or is flat over the ticket hours).",
    ),
    key(
        "arrivals.profile",
        "array of `{ from, to, share }`",
        "",
        "flat over the ticket hours",
        "time-ordered, disjoint, within the ticket hours; shares in [0, 1] summing to 1",
        "Share of the day's tickets in each interval; the rate is constant inside an interval and sampled exactly, so no short peak is skipped.",
    ),
    key(
        "arrivals.rate_per_minute",
        "number",
        "people/minute",
        "one of the three",
        "> 0",
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
    key(
        "arrivals.day_factors",
        "array of numbers",
        "",
        "1 every day",
        "each > 0",
        "Multipliers of the arrival rate for day 1, 2, ..., repeated (for example Mon..Fri 1.10, 0.97, 0.95, 0.97, 1.05). Days mode only.",
    ),
    key(
        "[[stage]].name",
        "string",
        "",
        "required",
        "letters, digits, `_`, `-`; unique",
        "A step of a case (accept, approve, issue, ...).",
    ),
    key(
        "[[stage]].budget_minutes",
        "number",
        "minutes",
        "20",
        "> 0",
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
        "letters, digits, `_`, `-`; unique",
        "A group of interchangeable windows or staff.",
    ),
    key(
        "[[pool]].count",
        "integer",
        "servers",
        "required",
        "0 to 100000",
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
    key("[[case_type]].name", "string", "", "required", "letters, digits, `_`, `-`; unique", "A kind of case."),
    key(
        "[[case_type]].share",
        "number",
        "share",
        "required",
        "(0, 1]; all shares sum to 1",
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
    key(
        "[[case_type]].priority",
        "integer",
        "class",
        "0",
        "0 to 9",
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
    key(
        "distribution",
        "inline table",
        "minutes",
        "",
        "see below",
        "`{ dist = \"exponential\", mean = M }`, `{ dist = \"deterministic\", value = V }`, `{ dist = \"uniform\", min = A, max = B }`, `{ dist = \"triangular\", min = A, mode = C, max = B }`, `{ dist = \"lognormal\", mean = M, cv = CV }`, `{ dist = \"gamma\", mean = M, cv = CV }`, `{ dist = \"empirical\", values = [x1, x2, ...] }` (each observed value equally likely). Means and CVs > 0; min < max; min <= mode <= max; values >= 0.",
    ),
];

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
            cell(k.range),
            cell(k.meaning)
        );
    }
    out
}

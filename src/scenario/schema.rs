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
        "1 to 100 letters, digits, `_`, `-`",
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
        "> 0, at most 1e10",
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
        "hall.capacity",
        "integer",
        "people",
        "no limit",
        "1 to 1000000",
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
    key(
        "returns.share",
        "number",
        "share",
        "1",
        "0 to 1",
        "Share of people sent home (a missing paper, a hard close) who come back on a later day; the others give up.",
    ),
    key(
        "returns.after_days",
        "integer",
        "days",
        "1",
        "1 to 365",
        "How many days later they come back, at the hour of their first ticket. A return after the run's last day counts as a trip but is not simulated.",
    ),
    key(
        "targets.completion_minutes",
        "number",
        "minutes",
        "60",
        "> 0, at most 100000",
        "The completion target, from entering the hall (the guides' queue, or the ticket) to completion. Two figures use it. `within_<N>_min` (what staffing controls): of the visits of eligible case types, the share that completed the case within N minutes of entering; a visit that ends any other way is a miss (completed late, gave up, balked, turned away at capacity, sent home at a hard close, left for later-day work), and only visits ended by a missing paper (found by a window or a guide) or an absent ticket are left out. `first_trip_within_<N>_min` (what the citizen lives): of all eligible cases, the share completed on their first visit within N minutes of entering; it is at most the one-trip rate.",
    ),
    key(
        "targets.wait_minutes",
        "list of numbers",
        "minutes",
        "none",
        "up to 10 values, each > 0 and at most 100000, no repeats",
        "Targets for the wait from ticket to call, such as `[5, 10, 15]`. Each T gives `wait_within_<T>_min`: of the people who took a ticket and were called or left before it, the share called within T minutes (those who left count as not called in time); overall, per case type (`type.<name>.wait_within_<T>_min`) and per stage (`stage.<name>.wait_within_<T>_min`, the wait in that stage's queue).",
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
        "Share of the day's tickets in each interval, `{ from = \"HH:MM\", to = \"HH:MM\", share = x }`: `share` of `per_day` arrive between `from` and `to`; the rate is constant inside an interval and sampled exactly, so no short peak is skipped.",
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
        "arrivals.green_channel_share",
        "number",
        "share",
        "0",
        "0 to 1 (not 1)",
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
    key(
        "appointments.every_minutes",
        "number",
        "minutes",
        "required in [appointments]",
        "1 to 1440 (so at most 1441 slots a day)",
        "Minutes between slots.",
    ),
    key(
        "appointments.per_slot",
        "integer",
        "people",
        "required in [appointments]",
        "1 to 10000",
        "Booked people per slot.",
    ),
    key(
        "appointments.no_show_share",
        "number",
        "share",
        "0",
        "0 to 1 (not 1)",
        "Share of booked people who do not come.",
    ),
    key(
        "appointments.early_minutes",
        "number",
        "minutes",
        "0",
        "0 to 1440",
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
    key(
        "calling.absent_share",
        "number",
        "share",
        "0",
        "0 to 1 (not 1)",
        "Share of people who leave unseen before their first call (a failed trip): the window calls their ticket in vain.",
    ),
    key(
        "calling.absent_call_minutes",
        "number",
        "minutes",
        "1",
        "0 to 100000",
        "Window time lost calling an absent ticket.",
    ),
    key(
        "calling.balk_above_minutes",
        "number",
        "minutes",
        "none (nobody balks)",
        "> 0, at most 100000",
        "The ticket machine shows the expected wait (people waiting for the first stage x its mean service time / staff on duty); above this, people may leave at once (a failed trip).",
    ),
    key(
        "calling.balk_share",
        "number",
        "share",
        "1",
        "0 to 1",
        "Share of those shown a wait above `balk_above_minutes` who leave.",
    ),
    key(
        "documents.problem_share",
        "number",
        "share",
        "required in [documents]",
        "0 to 1",
        "Share of cases that arrive with a document problem; `[[case_type]].problem_share` overrides it per type.",
    ),
    key(
        "documents.fixed_share",
        "number",
        "share",
        "required in [documents]",
        "0 to 1",
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
    key(
        "documents.accept_missing_share",
        "number",
        "share",
        "1",
        "0 to 1",
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
    key(
        "pre_review.share",
        "number",
        "share",
        "required in [pre_review]",
        "0 to 1",
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
    key(
        "pre_review.catch_share",
        "number",
        "share",
        "required in [pre_review]",
        "0 to 1",
        "Share of document problems the guide catches: a problem that can be fixed is fixed with the guide (no extra window time); a missing paper sends the person home before the window (it still costs a trip, unless accepted with missing documents).",
    ),
    key(
        "pre_review.window_time_factor",
        "number",
        "factor",
        "1",
        "(0, 1]",
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
        "[[site]].share",
        "number",
        "share",
        "required in [[site]]",
        "(0, 1]; the shares sum to 1",
        "Share of arrivals whose home hall this is.",
    ),
    key(
        "city.shortest_queue_share",
        "number",
        "share",
        "0",
        "0 to 1",
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
        "[[stage]].budget_minutes",
        "number",
        "minutes",
        "20",
        "> 0, at most 100000",
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
    key(
        "[[pool]].schedule",
        "array of tables",
        "",
        "none (count all day)",
        "`{ from = \"HH:MM\", to = \"HH:MM\", count = N }`, in time order, inside the staffed hours",
        "Another number on duty, `count`, between `from` and `to` each day: a lunch break (count 0, or some windows: staggered), a shift, extra windows at a peak. Entries that meet (one ends where the next starts) apply as one. Staff going off duty finish the case in hand; that time is counted as overtime.",
    ),
    key("[[pool]].site", "string", "", "required with [[site]]", "a site's name", "The hall this pool works in."),
    key(
        "[[case_type]].name",
        "string",
        "",
        "required",
        "1 to 100 letters, digits, `_`, `-`; unique",
        "A kind of case.",
    ),
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
        "[[case_type]].outside_share",
        "number",
        "share",
        "0",
        "0 to 1 (not 1)",
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
    key(
        "[[case_type]].never_leave_share",
        "number",
        "share",
        "0",
        "0 to 1",
        "Share of people who never leave (bank staff, agents), with `patience`.",
    ),
    key(
        "[[case_type]].problem_share",
        "number",
        "share",
        "documents.problem_share",
        "0 to 1",
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
            cell(k.range),
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

//! The KPIs reported for a replication, derived from its [`Recorder`]. Each
//! KPI is defined once here (key, unit, meaning) together with how it is
//! computed, so tables, files, comparisons and charts all read the same list.

use super::recorder::{HOURS, Recorder};
use crate::scenario::model::{Closing, DAY, Horizon, Scenario};

/// What a KPI is.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiDef {
    /// Stable key, such as `wait_p90` or `stage.accept.within_budget`.
    pub key: String,
    /// Unit, such as `minutes`, `share`, `people/day`.
    pub unit: &'static str,
    pub description: String,
}

/// The KPI values of one replication, in the order of their definitions.
#[derive(Clone, Debug, Default)]
pub struct KpiSet {
    pub defs: Vec<KpiDef>,
    pub values: Vec<f64>,
}

impl KpiSet {
    fn push(&mut self, key: impl Into<String>, unit: &'static str, description: impl Into<String>, value: f64) {
        self.defs.push(KpiDef { key: key.into(), unit, description: description.into() });
        self.values.push(value);
    }
}

/// An hourly series of one replication: one value per hour of the day.
#[derive(Clone, Debug)]
pub struct Series {
    pub def: KpiDef,
    pub values: [f64; HOURS],
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

/// Name of the completion-target KPI, such as `within_60_min`.
pub fn within_target_key(target_minutes: f64) -> String {
    format!("within_{}_min", fmt_minutes(target_minutes))
}

/// Name of a wait-target KPI, such as `wait_within_10_min`.
pub fn wait_within_key(target_minutes: f64) -> String {
    format!("wait_within_{}_min", fmt_minutes(target_minutes))
}

/// Name of the citizen's completion-target KPI, such as `first_trip_within_60_min`.
pub fn first_trip_key(target_minutes: f64) -> String {
    format!("first_trip_{}", within_target_key(target_minutes))
}

/// What `within_<N>_min` means, for every place that shows it.
pub fn within_target_meaning(target_minutes: f64) -> String {
    format!(
        "of the eligible visits, the share that completed the case within {} minutes of entering the hall; \
         a visit that ends any other way (completed late, gave up, balked, turned away, sent home at a hard close, \
         left for later-day work) is a miss; only visits ended by a missing paper or an absent ticket are left out",
        fmt_minutes(target_minutes)
    )
}

/// What `first_trip_within_<N>_min` means.
pub fn first_trip_meaning(target_minutes: f64) -> String {
    format!(
        "of all eligible cases, the share completed on their first visit within {} minutes of entering the hall \
         (at most the one-trip rate)",
        fmt_minutes(target_minutes)
    )
}

fn fmt_minutes(m: f64) -> String {
    if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m}") }
}

/// Minutes the hall was observed: each day from opening until the later of
/// staff's end and the last person leaving, a day's overrun into the next
/// day's opening hours counted once; or the window of a continuous run.
fn observed_minutes(s: &Scenario, r: &Recorder) -> f64 {
    match s.horizon {
        Horizon::Days { hours, .. } => {
            let mut covered_until = f64::NEG_INFINITY;
            let mut total = 0.0;
            for (d, &last) in r.day_last_departure.iter().enumerate() {
                let offset = d as f64 * DAY;
                let start = (offset + hours.opens).max(covered_until);
                let end = if last.is_nan() { offset + hours.staff_until } else { last.max(offset + hours.staff_until) };
                total += (end - start).max(0.0);
                covered_until = covered_until.max(end);
            }
            total
        }
        Horizon::Continuous { .. } => r.window.1 - r.window.0,
    }
}

/// Staff-minutes on duty in `pool`, and the busy minutes of those on duty.
fn on_duty_minutes(s: &Scenario, r: &Recorder, pool: usize) -> (f64, f64) {
    let (duty, busy, excess) = (&r.pool_on_duty[pool], &r.pool_busy[pool], &r.pool_excess[pool]);
    match s.horizon {
        Horizon::Days { .. } => (duty.staffed_area, busy.staffed_area - excess.staffed_area),
        Horizon::Continuous { .. } => (duty.area, busy.area - excess.area),
    }
}

/// The scalar KPIs of one replication.
pub fn kpis(s: &Scenario, r: &Recorder) -> KpiSet {
    let days = f64::from(s.days());
    let per_day = matches!(s.horizon, Horizon::Days { .. });
    let count_unit = if per_day { "people/day" } else { "people" };
    let observed = observed_minutes(s, r);
    let patience = s.case_types.iter().any(|t| t.patience.is_some());
    let mut k = KpiSet::default();
    k.push("arrived", count_unit, "people who took a ticket", r.arrived as f64 / days);
    k.push("completed", count_unit, "people whose route was completed in the hall", r.completed as f64 / days);
    k.push(
        "one_trip",
        "share",
        "share of cases completed on their first visit (the reform's \"at most one trip\")",
        ratio(r.one_trip as f64, r.cases as f64),
    );
    k.push(
        "trips_per_case",
        "visits",
        "visits to the hall per case, returns included",
        ratio(r.trips as f64, r.cases as f64),
    );
    if s.case_types.iter().any(|t| t.route.iter().any(|st| st.later)) {
        let what = "cases completed in the back office on a later day, after the person left";
        k.push("completed_later", count_unit, what, r.completed_later as f64 / days);
    }
    if s.documents.is_some() || s.closing == Closing::Hard {
        let what = "people sent home (a missing paper, a hard close), per person who took a ticket";
        k.push("sent_home", "share", what, ratio(r.sent_home as f64, r.arrived as f64));
        k.push("returns", count_unit, "visits by people coming back", r.returns as f64 / days);
    }
    if s.documents.as_ref().is_some_and(|d| d.accept_missing && d.follow_up.is_some()) {
        let what = "follow-up tasks for papers that came after acceptance";
        k.push("follow_ups", count_unit, what, r.follow_ups as f64 / days);
    }
    if s.calling.absent_share > 0.0 {
        let what = "share of people whose ticket was called after they had left unseen";
        k.push("absent", "share", what, ratio(r.absent as f64, r.arrived as f64));
    }
    if s.calling.balk_above.is_some() {
        let came = (r.arrived + r.balked) as f64;
        let what = "share of people who left at once on seeing the displayed wait (a failed trip)";
        k.push("balked", "share", what, ratio(r.balked as f64, came));
    }
    if patience {
        let what = "share of people who left before their first call (a failed trip)";
        k.push("abandoned", "share", what, ratio(r.abandoned as f64, r.arrived as f64));
    }
    if s.hall_capacity.is_some() {
        let came = (r.arrived + r.turned_away) as f64;
        let what = "share of people who found the hall full and were turned away (a failed trip)";
        k.push("turned_away", "share", what, ratio(r.turned_away as f64, came));
    }
    if s.case_types.iter().any(|t| t.outside_share > 0.0) {
        k.push(
            "diverted",
            count_unit,
            "cases handled outside the hall (bank branches, self-service)",
            r.diverted as f64 / days,
        );
    }
    for (i, site) in s.sites.iter().enumerate() {
        let p = format!("site.{}", site.name);
        let what = format!("people who took a ticket at {}", site.name);
        k.push(format!("{p}.arrived"), count_unit, what, r.site_arrived[i] as f64 / days);
        let what = format!("{}: wait from ticket to first call, mean", site.name);
        k.push(format!("{p}.wait_mean"), "minutes", what, r.site_wait[i].mean());
    }
    let fw = &r.first_wait_hist;
    k.push("wait_mean", "minutes", "wait from ticket to first call, mean", r.first_wait.mean());
    k.push("wait_p50", "minutes", "wait from ticket to first call, median", fw.quantile(0.5));
    k.push("wait_p90", "minutes", "wait from ticket to first call, 90th percentile", fw.quantile(0.9));
    k.push("wait_p95", "minutes", "wait from ticket to first call, 95th percentile", fw.quantile(0.95));
    // Everyone who took a ticket and was called or left before the call.
    let ticketed = (r.first_wait.n + r.left_before_call) as f64;
    k.push(
        "waited",
        "share",
        "share of people who did not get a window at once: waited for their first call, or left before it",
        ratio((r.first_wait_positive + r.left_before_call) as f64, ticketed),
    );
    for (j, &t) in s.wait_targets.iter().enumerate() {
        k.push(
            wait_within_key(t),
            "share",
            format!(
                "share of people called within {} minutes of their ticket (those who left before the call count as not called in time)",
                fmt_minutes(t)
            ),
            ratio(r.first_wait_within[j] as f64, ticketed),
        );
    }
    if patience || s.closing == Closing::Hard {
        let what = "wait from ticket to first call or to leaving unserved, mean over everyone who took a ticket";
        k.push("wait_mean_all", "minutes", what, ratio(r.first_wait.sum + r.left_wait.sum, ticketed));
    }
    if patience {
        let what = "wait from ticket to leaving, mean over those who gave up";
        k.push("abandoned.wait_mean", "minutes", what, r.abandoned_wait.mean());
    }
    let cw = &r.case_wait_hist;
    let what = "time a case's person waited in queues, all stages and visits, mean over cases that got into the hall";
    k.push("case_wait_mean", "minutes", what, r.case_wait.mean());
    let what = "time a case's person waited in queues, all stages and visits, 90th percentile";
    k.push("case_wait_p90", "minutes", what, cw.quantile(0.9));
    if s.arrivals.green_channel_share > 0.0 || s.appointments.is_some() {
        let what = "green-channel and booked people (called first): wait from ticket to first call, mean";
        let key = "green_channel.wait_mean";
        k.push(key, "minutes", what, r.green_wait.mean());
    }
    k.push(
        "wait_max",
        "minutes",
        "wait from ticket to first call, longest",
        if r.first_wait.n > 0 { r.first_wait.max } else { f64::NAN },
    );
    let ts = &r.time_in_system_hist;
    k.push(
        "time_in_system_mean",
        "minutes",
        "time from entering the hall to completion, mean",
        r.time_in_system.mean(),
    );
    k.push("time_in_system_p50", "minutes", "time from entering the hall to completion, median", ts.quantile(0.5));
    k.push(
        "time_in_system_p90",
        "minutes",
        "time from entering the hall to completion, 90th percentile",
        ts.quantile(0.9),
    );
    k.push(
        "time_in_system_p95",
        "minutes",
        "time from entering the hall to completion, 95th percentile",
        ts.quantile(0.95),
    );
    k.push(
        "time_in_system_max",
        "minutes",
        "time from entering the hall to completion, longest",
        if r.time_in_system.n > 0 { r.time_in_system.max } else { f64::NAN },
    );
    k.push(
        within_target_key(s.completion_target),
        "share",
        within_target_meaning(s.completion_target),
        ratio(r.eligible_within_target as f64, r.eligible as f64),
    );
    k.push(
        first_trip_key(s.completion_target),
        "share",
        first_trip_meaning(s.completion_target),
        ratio(r.first_trip_within_target as f64, r.eligible_cases as f64),
    );
    k.push(
        "queue_mean",
        "people",
        "people in the hall waiting for any stage, time-average while the hall is open",
        ratio(r.queue.area, observed),
    );
    k.push("queue_max", "people", "people in the hall waiting for any stage, most at once", f64::from(r.queue.max));
    for (c, q) in r.class_queue.iter().enumerate() {
        let top = c + 1 == r.class_queue.len() && (s.arrivals.green_channel_share > 0.0 || s.appointments.is_some());
        let what = if top {
            format!(
                "people in the hall waiting in priority class {c} (the green channel and booked tickets), time-average"
            )
        } else {
            format!("people in the hall waiting in priority class {c}, time-average")
        };
        k.push(format!("class.{c}.queue_mean"), "people", what, ratio(q.area, observed));
    }
    let what = "people in the hall (waiting, in a hand-off or at a window), time-average while the hall is open";
    k.push("present_mean", "people", what, ratio(r.present.area, observed));
    k.push("present_max", "people", "people in the hall, most at once", f64::from(r.present.max));
    for (site, p) in s.sites.iter().zip(&r.site_present) {
        let what = format!("people in {}, time-average while the halls are open", site.name);
        k.push(format!("site.{}.present_mean", site.name), "people", what, ratio(p.area, observed));
        let what = format!("people in {}, most at once", site.name);
        k.push(format!("site.{}.present_max", site.name), "people", what, f64::from(p.max));
    }
    for (i, st) in s.stages.iter().enumerate() {
        let p = format!("stage.{}", st.name);
        k.push(
            format!("{p}.served"),
            count_unit,
            format!("people through {}", st.name),
            r.stage_time[i].n as f64 / days,
        );
        k.push(
            format!("{p}.wait_mean"),
            "minutes",
            format!("wait in the {} queue, mean", st.name),
            r.stage_wait[i].mean(),
        );
        k.push(
            format!("{p}.service_mean"),
            "minutes",
            format!("{} service time, mean", st.name),
            r.stage_service[i].mean(),
        );
        k.push(
            format!("{p}.time_mean"),
            "minutes",
            format!("time in {} (queue and service), mean", st.name),
            r.stage_time[i].mean(),
        );
        k.push(
            format!("{p}.within_budget"),
            "share",
            format!("share of people through {} within its {}-minute budget", st.name, fmt_minutes(st.budget)),
            ratio(r.stage_within_budget[i] as f64, r.stage_time[i].n as f64),
        );
        let through = r.stage_time[i].n as f64;
        let by_service = r.stage_missed_by_service[i] as f64;
        k.push(
            format!("{p}.missed_by_service"),
            "share",
            format!(
                "share of people through {} over its budget whose service alone took longer than the budget (no shorter wait would have met it)",
                st.name
            ),
            ratio(by_service, through),
        );
        k.push(
            format!("{p}.missed_by_wait"),
            "share",
            format!(
                "share of people through {} over its budget whose service alone fit in it (the queue and hand-off made them late)",
                st.name
            ),
            ratio(through - r.stage_within_budget[i] as f64 - by_service, through),
        );
        let n = s.wait_targets.len();
        for (j, &t) in s.wait_targets.iter().enumerate() {
            k.push(
                format!("{p}.{}", wait_within_key(t)),
                "share",
                format!(
                    "share of people through or leaving {}'s queue who waited in it at most {} minutes",
                    st.name,
                    fmt_minutes(t)
                ),
                ratio(r.stage_wait_within[i * n + j] as f64, (r.stage_wait[i].n + r.stage_left[i]) as f64),
            );
        }
        k.push(
            format!("{p}.queue_mean"),
            "people",
            format!("people and work waiting for {}, time-average", st.name),
            ratio(r.stage_queue[i].area, observed),
        );
        k.push(
            format!("{p}.queue_max"),
            "people",
            format!("people and work waiting for {}, most at once", st.name),
            f64::from(r.stage_queue[i].max),
        );
    }
    let target_key = within_target_key(s.completion_target);
    for (i, t) in s.case_types.iter().enumerate() {
        let p = format!("type.{}", t.name);
        k.push(
            format!("{p}.wait_mean"),
            "minutes",
            format!("{}: wait from ticket to first call, mean", t.name),
            r.type_wait[i].mean(),
        );
        let n = s.wait_targets.len();
        for (j, &wt) in s.wait_targets.iter().enumerate() {
            k.push(
                format!("{p}.{}", wait_within_key(wt)),
                "share",
                format!("{}: share called within {} minutes of the ticket", t.name, fmt_minutes(wt)),
                ratio(r.type_wait_within[i * n + j] as f64, (r.type_wait[i].n + r.type_left_before_call[i]) as f64),
            );
        }
        let tis = &r.type_time_in_system[i];
        k.push(
            format!("{p}.time_in_system_mean"),
            "minutes",
            format!("{}: time from entering the hall to completion, mean", t.name),
            tis.mean(),
        );
        for (n, step) in t.route.iter().enumerate() {
            if t.route[..n].iter().any(|earlier| earlier.stage == step.stage) {
                continue;
            }
            let (st, at) = (&s.stages[step.stage], i * s.stages.len() + step.stage);
            k.push(
                format!("{p}.stage.{}.within_budget", st.name),
                "share",
                format!("{}: share through {} within its {}-minute budget", t.name, st.name, fmt_minutes(st.budget)),
                ratio(r.type_stage_within_budget[at] as f64, r.type_stage_through[at] as f64),
            );
        }
        if t.counts_toward_target {
            k.push(
                format!("{p}.{target_key}"),
                "share",
                format!(
                    "{}: share of visits that completed the case within {} minutes of entering the hall",
                    t.name,
                    fmt_minutes(s.completion_target)
                ),
                ratio(r.type_within_target[i] as f64, r.type_visits[i] as f64),
            );
        }
    }
    for (i, pool) in s.pools.iter().enumerate() {
        let p = format!("pool.{}", pool.name);
        let (on_duty, busy) = on_duty_minutes(s, r, i);
        k.push(
            format!("{p}.utilization"),
            "share",
            format!("busy share of {}'s time on duty", pool.name),
            ratio(busy, on_duty),
        );
        if per_day {
            let (b, x) = (&r.pool_busy[i], &r.pool_excess[i]);
            k.push(
                format!("{p}.overtime"),
                "server-minutes/day",
                format!("work by {} outside staffed hours or past a shift's end", pool.name),
                (b.area - b.staffed_area + x.staffed_area) / days,
            );
        }
    }
    if let Some(h) = s.hours() {
        let overrun: f64 = r
            .day_last_departure
            .iter()
            .enumerate()
            .map(|(d, &last)| if last.is_nan() { 0.0 } else { (last - d as f64 * DAY - h.staff_until).max(0.0) })
            .sum();
        k.push(
            "overrun",
            "minutes/day",
            "how long the hall stays open after staff's end to serve everyone",
            overrun / days,
        );
    }
    k
}

/// The definitions of the scalar KPIs and of the hourly series of a scenario.
pub fn definitions(s: &Scenario) -> (Vec<KpiDef>, Vec<KpiDef>) {
    let empty = Recorder::new(
        Recorder::sizes(s),
        s.days() as usize,
        0.0,
        (0.0, 0.0),
        s.hours().map(|h| (h.opens, h.staff_until)),
        (s.completion_target, &s.wait_targets),
    );
    (kpis(s, &empty).defs, hourly(s, &empty).into_iter().map(|s| s.def).collect())
}

/// Hourly series of one replication (operating days only; empty otherwise).
pub fn hourly(s: &Scenario, r: &Recorder) -> Vec<Series> {
    if s.hours().is_none() {
        return Vec::new();
    }
    let days = f64::from(s.days());
    let h = &r.hourly;
    let mut out = Vec::new();
    let mut push = |key: String, unit: &'static str, description: String, f: &dyn Fn(usize) -> f64| {
        let mut values = [0.0; HOURS];
        for (i, v) in values.iter_mut().enumerate() {
            *v = f(i);
        }
        out.push(Series { def: KpiDef { key, unit, description }, values });
    };
    push("arrivals".into(), "people/day", "tickets taken in the hour".into(), &|i| h.arrived[i] as f64 / days);
    push("wait_mean".into(), "minutes", "wait from ticket to first call, mean, by hour of ticket".into(), &|i| {
        h.first_wait[i].mean()
    });
    push(
        "time_in_system_mean".into(),
        "minutes",
        "time from entering the hall to completion, mean, by hour of entering".into(),
        &|i| h.time_in_system[i].mean(),
    );
    push(
        within_target_key(s.completion_target),
        "share",
        "within the completion target (as the KPI), by hour the visit entered the hall".into(),
        &|i| ratio(h.within_target[i] as f64, h.eligible[i] as f64),
    );
    for (k, &t) in s.wait_targets.iter().enumerate() {
        push(
            wait_within_key(t),
            "share",
            format!(
                "share of people called within {} minutes of their ticket (those who left before the call count as not called in time), by hour of ticket",
                fmt_minutes(t)
            ),
            &|i| ratio(h.first_wait_within[k * HOURS + i] as f64, (h.first_wait[i].n + h.left_before_call[i]) as f64),
        );
    }
    for (j, st) in s.stages.iter().enumerate() {
        push(
            format!("stage.{}.within_budget", st.name),
            "share",
            format!(
                "share of people through {} within its {}-minute budget, by hour of ticket",
                st.name,
                fmt_minutes(st.budget)
            ),
            &|i| ratio(h.stage_within_budget[j * HOURS + i] as f64, h.stage_through[j * HOURS + i] as f64),
        );
    }
    push(
        "queue_mean".into(),
        "people",
        "people in the hall waiting for any stage, time-average in the hour".into(),
        &|i| r.queue.hourly[i] / (60.0 * days),
    );
    push(
        "queue_max".into(),
        "people",
        "people in the hall waiting for any stage, most at once in the hour".into(),
        &|i| f64::from(r.queue.hourly_max[i]),
    );
    push("present_mean".into(), "people", "people in the hall, time-average in the hour".into(), &|i| {
        r.present.hourly[i] / (60.0 * days)
    });
    for (j, st) in s.stages.iter().enumerate() {
        push(
            format!("stage.{}.queue_mean", st.name),
            "people",
            format!("people and work waiting for {}, time-average in the hour", st.name),
            &|i| r.stage_queue[j].hourly[i] / (60.0 * days),
        );
    }
    for (j, pool) in s.pools.iter().enumerate() {
        push(
            format!("pool.{}.utilization", pool.name),
            "share",
            format!("busy share of {}'s time on duty in the hour", pool.name),
            &|i| ratio(r.pool_busy[j].hourly[i] - r.pool_excess[j].hourly[i], r.pool_on_duty[j].hourly[i]),
        );
        push(
            format!("pool.{}.on_duty", pool.name),
            "servers",
            format!("{} on duty in the hour, time-average", pool.name),
            &|i| r.pool_on_duty[j].hourly[i] / (60.0 * days),
        );
    }
    out
}

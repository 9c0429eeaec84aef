//! A hall's inputs estimated from its visit records: arrivals per day,
//! weekday and interval of the day, the case-type mix, service times per
//! case type and stage, patience, the absent share, and the staff busy per
//! hour; and what the records observed by hour, to check a simulation of the
//! fitted scenario against them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::estimate::{
    Interval, ServiceFit, censored_exponential, fit_durations, mean_interval, share_interval, weekday_test,
};
use super::records::{Records, Visit, minute_of_day, minutes_between};
use crate::engine::trace::Outcome;
use crate::scenario::Scenario;
use crate::scenario::model::ArrivalProcess;

/// The arrivals of one interval of the day.
#[derive(Clone, Debug, Serialize)]
pub struct IntervalShare {
    /// Minutes after midnight.
    pub from: f64,
    pub to: f64,
    pub tickets: usize,
    pub share: Interval,
}

#[derive(Clone, Debug, Serialize)]
pub struct Weekday {
    pub weekday: String,
    pub days: usize,
    /// Mean first-visit tickets a day.
    pub mean: f64,
    /// The weekday's mean over the mean of all days.
    pub factor: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct WeekdayTest {
    pub chi_square: f64,
    pub degrees_of_freedom: usize,
    pub p_value: f64,
    /// Whether the weekdays differ at the 5% level.
    pub differ: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct TypeShare {
    pub case_type: String,
    pub visits: usize,
    pub share: Interval,
}

#[derive(Clone, Debug, Serialize)]
pub struct StageService {
    pub case_type: String,
    pub stage: String,
    #[serde(flatten)]
    pub fit: ServiceFit,
    /// The sample itself (minutes), for histograms and Q-Q plots.
    #[serde(skip)]
    pub sample: Vec<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Patience {
    pub case_type: String,
    pub left: usize,
    pub called: usize,
    /// Mean patience, minutes (exponential, censored by the calls).
    pub mean: Interval,
}

#[derive(Clone, Debug, Serialize)]
pub struct WindowHours {
    pub window: String,
    /// Per hour of day (0..24): mean staff busy serving over the days seen.
    pub busy: Vec<f64>,
    /// Most calls in service at once.
    pub most_at_once: usize,
}

/// What the records show per hour of ticket, with intervals over days.
#[derive(Clone, Debug, Serialize)]
pub struct ObservedHour {
    pub hour: usize,
    /// Visits counted in the completion share.
    pub visits: usize,
    /// People waiting for a call at any stage, time-average in the hour.
    pub queue_mean: Interval,
    /// Mean wait for the first call, minutes (those called).
    pub wait_mean: Interval,
    /// Of visits, the share completed (every row served) within the target.
    pub within_target: Interval,
}

/// Everything fitted from one file of records.
#[derive(Clone, Debug, Serialize)]
pub struct HallFit {
    pub rows: usize,
    pub rows_skipped: usize,
    pub visits: usize,
    pub first_visits: usize,
    pub days: usize,
    /// First-visit tickets a day.
    pub per_day: Interval,
    pub weekdays: Vec<Weekday>,
    pub weekday_test: Option<WeekdayTest>,
    pub profile: Vec<IntervalShare>,
    pub mix: Vec<TypeShare>,
    pub service: Vec<StageService>,
    pub patience: Vec<Patience>,
    /// Of visits called at least once, the share whose first call found nobody.
    pub absent_share: Interval,
    pub absent: usize,
    pub windows: Vec<WindowHours>,
    pub completion_target_minutes: f64,
    pub observed_by_hour: Vec<ObservedHour>,
}

/// One visit: its rows, in order of queueing, and its first ticket.
pub(crate) struct Trip<'a> {
    pub rows: Vec<&'a Visit>,
    pub start: jiff::civil::DateTime,
}

impl Trip<'_> {
    /// A first visit (not a return), when the records say.
    pub fn first(&self) -> bool {
        self.rows[0].trip.is_none_or(|t| t == 1)
    }
}

/// The records' visits: rows grouped by (replication, date of ticket,
/// ticket), in order of replication and first ticket.
pub(crate) fn trips(records: &Records) -> Vec<Trip<'_>> {
    let mut groups: BTreeMap<(u64, jiff::civil::Date, &str), Vec<&Visit>> = BTreeMap::new();
    for v in &records.visits {
        groups.entry((v.replication, v.ticket_time.date(), v.ticket.as_str())).or_default().push(v);
    }
    let mut trips: Vec<Trip> = groups
        .into_values()
        .map(|mut rows| {
            rows.sort_by_key(|r| (r.queued.unwrap_or(r.ticket_time), r.called, r.finished));
            let start = rows.iter().map(|r| r.ticket_time).min().unwrap_or(rows[0].ticket_time);
            Trip { rows, start }
        })
        .collect();
    trips.sort_by_key(|t| (t.rows[0].replication, t.start));
    trips
}

/// The intervals to share the day's tickets over: the base's profile, or
/// whole hours from the first ticket's hour to the last's.
fn intervals(base: Option<&Scenario>, starts: &[f64]) -> Vec<(f64, f64)> {
    if let Some(ArrivalProcess::Poisson { segments }) = base.map(|b| &b.arrivals.process)
        && base.is_some_and(|b| b.hours().is_some())
        && segments.len() > 1
    {
        return segments.iter().map(|g| (g.start, g.end)).collect();
    }
    if let Some(h) = base.and_then(Scenario::hours) {
        let first = (h.opens / 60.0).floor() as usize;
        let last = (h.last_ticket / 60.0).ceil() as usize;
        return (first..last)
            .map(|k| ((k as f64 * 60.0).max(h.opens), ((k + 1) as f64 * 60.0).min(h.last_ticket)))
            .collect();
    }
    let lo = starts.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = starts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return Vec::new();
    }
    // Whole hours, the first and last cut at the half hour of the first and last ticket.
    let (open, close) = ((lo / 30.0).floor() * 30.0, ((hi / 30.0).floor() + 1.0) * 30.0);
    ((lo / 60.0).floor() as usize..=(hi / 60.0).floor() as usize)
        .map(|k| ((k as f64 * 60.0).max(open), ((k + 1) as f64 * 60.0).min(close)))
        .filter(|(a, b)| b > a)
        .collect()
}

/// Fits the hall. `base`, when given, sets the profile's intervals and the
/// completion target.
pub fn fit(records: &Records, base: Option<&Scenario>) -> HallFit {
    let target = base.map_or(60.0, |b| b.completion_target);
    let rules = Rules::of(base);
    // Visits: rows grouped by (replication, date of ticket, ticket).
    let trips = trips(records);
    let firsts: Vec<&Trip> = trips.iter().filter(|t| t.first()).collect();

    // Tickets per day and weekday.
    let mut per_day: BTreeMap<(u64, jiff::civil::Date), usize> = BTreeMap::new();
    for t in &firsts {
        *per_day.entry((t.rows[0].replication, t.start.date())).or_default() += 1;
    }
    let counts: Vec<f64> = per_day.values().map(|&n| n as f64).collect();
    let overall = counts.iter().sum::<f64>() / counts.len().max(1) as f64;
    let mut by_weekday: BTreeMap<i8, Vec<f64>> = BTreeMap::new();
    for ((_, date), n) in &per_day {
        by_weekday.entry(date.weekday().to_monday_one_offset()).or_default().push(*n as f64);
    }
    let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let weekdays: Vec<Weekday> = by_weekday
        .iter()
        .map(|(&d, v)| {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            Weekday { weekday: names[(d - 1) as usize].into(), days: v.len(), mean, factor: mean / overall }
        })
        .collect();
    let weekday_test = weekday_test(&by_weekday.values().cloned().collect::<Vec<_>>())
        .map(|(chi, dof, p)| WeekdayTest { chi_square: chi, degrees_of_freedom: dof, p_value: p, differ: p < 0.05 });

    // Shares of the day.
    let starts: Vec<f64> = firsts.iter().map(|t| minute_of_day(t.start)).collect();
    let bins = intervals(base, &starts);
    let mut in_bin = vec![0usize; bins.len()];
    for &m in &starts {
        if let Some(i) =
            bins.iter().position(|&(a, b)| a <= m && m < b).or_else(|| bins.iter().rposition(|&(a, _)| a <= m))
        {
            in_bin[i] += 1;
        }
    }
    let total = starts.len();
    let profile = bins
        .iter()
        .zip(&in_bin)
        .map(|(&(from, to), &k)| IntervalShare { from, to, tickets: k, share: share_interval(k, total) })
        .collect();

    // Mix.
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &firsts {
        *types.entry(t.rows[0].case_type.as_str()).or_default() += 1;
    }
    let mix = types
        .iter()
        .map(|(&name, &k)| TypeShare { case_type: name.into(), visits: k, share: share_interval(k, total) })
        .collect();

    // Service per case type and stage.
    let mut samples: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    for v in &records.visits {
        if let (Outcome::Served, Some(c)) = (v.outcome, v.called) {
            samples.entry((v.case_type.as_str(), v.stage.as_str())).or_default().push(minutes_between(c, v.finished));
        }
    }
    let service = samples
        .into_iter()
        .filter_map(|((ct, st), xs)| {
            fit_durations(&xs).map(|fit| StageService { case_type: ct.into(), stage: st.into(), fit, sample: xs })
        })
        .collect();

    // Patience, absent share: from each visit's first call or departure.
    let mut waits: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let (mut called_visits, mut absent) = (0, 0);
    for t in &trips {
        let at_window = |r: &&&Visit| r.outcome != Outcome::SentHome && !rules.before_ticket(&r.stage);
        let Some(first) = t.rows.iter().find(at_window) else { continue };
        let entry = waits.entry(first.case_type.as_str()).or_default();
        match (first.outcome, first.called) {
            (Outcome::Left, _) => entry.0.push(minutes_between(first.ticket_time, first.finished)),
            (_, Some(c)) => {
                entry.1.push(minutes_between(first.ticket_time, c));
                called_visits += 1;
                absent += usize::from(t.rows.iter().any(|r| r.outcome == Outcome::Absent));
            }
            _ => {}
        }
    }
    let patience = waits
        .iter()
        .filter_map(|(&ct, (left, called))| {
            censored_exponential(left, called).map(|mean| Patience {
                case_type: ct.into(),
                left: left.len(),
                called: called.len(),
                mean,
            })
        })
        .collect();

    // Staff busy per hour and window.
    let days = per_day.len().max(1) as f64;
    // Per window: busy staff per hour, and the calls' starts (+1) and ends (−1).
    type Busy = (Vec<f64>, Vec<(jiff::civil::DateTime, i32)>);
    let mut windows: BTreeMap<&str, Busy> = BTreeMap::new();
    for v in &records.visits {
        let Some(c) = v.called else { continue };
        if v.window.is_empty() {
            continue;
        }
        let w = windows.entry(v.window.as_str()).or_insert_with(|| (vec![0.0; 24], Vec::new()));
        // Spread the busy minutes over the hours of the day they fall in.
        let (mut m, end) = (minute_of_day(c), minute_of_day(c) + minutes_between(c, v.finished));
        while m < end {
            let next = ((m / 60.0).floor() + 1.0) * 60.0;
            let hour = ((m / 60.0).floor() as usize) % 24;
            w.0[hour] += (next.min(end) - m) / 60.0 / days;
            m = next;
        }
        w.1.push((c, 1));
        w.1.push((v.finished, -1));
    }
    let windows = windows
        .into_iter()
        .map(|(name, (busy, mut edges))| {
            edges.sort();
            let (mut now, mut most) = (0i32, 0i32);
            for (_, d) in edges {
                now += d;
                most = most.max(now);
            }
            WindowHours { window: name.into(), busy, most_at_once: most as usize }
        })
        .collect();

    HallFit {
        rows: records.visits.len(),
        rows_skipped: records.bad.len(),
        visits: trips.len(),
        first_visits: firsts.len(),
        days: per_day.len(),
        per_day: mean_interval(&counts),
        weekdays,
        weekday_test,
        profile,
        mix,
        service,
        patience,
        absent_share: share_interval(absent, called_visits),
        absent,
        windows,
        completion_target_minutes: target,
        observed_by_hour: observed_by_hour(&trips, target, &rules, &queue_by_hour(records, &rules, &per_day)),
    }
}

/// Per hour of ticket: the mean wait for the first call and the share of
/// visits completed within the target, each with its interval over days.
/// What the base says about reading a visit: the guides' stage (before the
/// ticket for a window), each case type's route, and the types the
/// completion target leaves out. Without a base every row is on the route.
struct Rules<'a> {
    pre_stage: Option<&'a str>,
    base: Option<&'a Scenario>,
}

impl<'a> Rules<'a> {
    fn of(base: Option<&'a Scenario>) -> Self {
        let pre_stage = base.and_then(|b| b.pre_review.as_ref().map(|p| b.stages[p.stage].name.as_str()));
        Rules { pre_stage, base }
    }

    fn before_ticket(&self, stage: &str) -> bool {
        self.pre_stage == Some(stage)
    }

    fn counted(&self, case_type: &str) -> bool {
        self.base
            .is_none_or(|b| b.case_types.iter().find(|t| t.name == case_type).is_none_or(|t| t.counts_toward_target))
    }

    /// Whether a row's wait is a person's in the hall: the guides' queue or
    /// a step of the type's route the person waits for in the hall (not
    /// back-office work without the person: a follow-up for a missing paper,
    /// a parallel branch, a later-day step), as the engine counts `queue_mean`.
    fn in_queue(&self, case_type: &str, stage: &str) -> bool {
        let Some(b) = self.base else { return true };
        self.before_ticket(stage)
            || b.case_types.iter().find(|t| t.name == case_type).is_none_or(|t| {
                t.route.iter().any(|step| b.stages[step.stage].name == stage && !step.parallel && !step.later)
            })
    }

    /// The last stage of the type's route, if the base knows the type.
    fn last_stage(&self, case_type: &str) -> Option<&'a str> {
        let b = self.base?;
        let t = b.case_types.iter().find(|t| t.name == case_type)?;
        t.route.last().map(|step| b.stages[step.stage].name.as_str())
    }
}

/// How a visit ended, as `within_<N>_min` counts it: None when it leaves
/// the count (an absent ticket; a visit ended by a missing paper: its rows
/// all served, its route not finished), else the minutes to completion
/// (infinite when it did not complete on the visit).
fn completion(t: &Trip, rules: &Rules) -> Option<f64> {
    if t.rows.iter().any(|r| r.outcome == Outcome::Absent) || !rules.counted(&t.rows[0].case_type) {
        return None;
    }
    let all_served = t.rows.iter().all(|r| r.outcome == Outcome::Served);
    let end = match rules.last_stage(&t.rows[0].case_type) {
        Some(last) => {
            t.rows.iter().filter(|r| r.stage == last && r.outcome == Outcome::Served).map(|r| r.finished).max()
        }
        None => all_served.then(|| t.rows.iter().map(|r| r.finished).max()).flatten(),
    };
    match end {
        Some(end) => Some(minutes_between(t.start, end)),
        None if all_served => None,
        None => Some(f64::INFINITY),
    }
}

/// People waiting per hour of the day, time-averaged over the days with tickets.
fn queue_by_hour(records: &Records, rules: &Rules, days: &BTreeMap<(u64, jiff::civil::Date), usize>) -> Vec<Interval> {
    let mut minutes: BTreeMap<(u64, jiff::civil::Date), [f64; 24]> = days.keys().map(|&d| (d, [0.0; 24])).collect();
    for v in records.visits.iter().filter(|v| rules.in_queue(&v.case_type, &v.stage)) {
        let from = v.queued.unwrap_or(v.ticket_time);
        let until = v.called.unwrap_or(v.finished);
        let Some(day) = minutes.get_mut(&(v.replication, from.date())) else { continue };
        let (mut m, end) = (minute_of_day(from), minute_of_day(from) + minutes_between(from, until));
        while m < end && m < 1440.0 {
            let next = ((m / 60.0).floor() + 1.0) * 60.0;
            day[(m / 60.0) as usize] += next.min(end) - m;
            m = next;
        }
    }
    (0..24).map(|h| mean_interval(&minutes.values().map(|d| d[h] / 60.0).collect::<Vec<_>>())).collect()
}

fn observed_by_hour(trips: &[Trip], target: f64, rules: &Rules, queue: &[Interval]) -> Vec<ObservedHour> {
    /// Of one day's tickets in one hour: first-call waits, visits counted, within the target.
    type Cell = (Vec<f64>, usize, usize);
    let mut cells: BTreeMap<usize, BTreeMap<(u64, jiff::civil::Date), Cell>> = BTreeMap::new();
    for t in trips {
        let hour = t.start.hour() as usize;
        let day = (t.rows[0].replication, t.start.date());
        let cell = cells.entry(hour).or_default().entry(day).or_default();
        // The first call at a window, from the ticket for it.
        if let Some(r) = t.rows.iter().find(|r| !rules.before_ticket(&r.stage) && r.called.is_some()) {
            cell.0.push(minutes_between(r.ticket_time, r.called.unwrap_or(r.ticket_time)));
        }
        if let Some(minutes) = completion(t, rules) {
            cell.1 += 1;
            cell.2 += usize::from(minutes <= target);
        }
    }
    cells
        .into_iter()
        .map(|(hour, days)| {
            let waits: Vec<f64> =
                days.values().filter(|d| !d.0.is_empty()).map(|d| d.0.iter().sum::<f64>() / d.0.len() as f64).collect();
            let shares: Vec<f64> = days.values().filter(|d| d.1 > 0).map(|d| d.2 as f64 / d.1 as f64).collect();
            ObservedHour {
                hour,
                visits: days.values().map(|d| d.1).sum(),
                queue_mean: queue[hour],
                wait_mean: mean_interval(&waits),
                within_target: mean_interval(&shares),
            }
        })
        .collect()
}

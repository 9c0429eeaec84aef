//! Staffing by the hour and the shifts that cover it (`plan --shifts`).
//!
//! Method. (1) A requirement per pool and planning interval, seeded by
//! each interval's offered load rounded up (the arrival rate of the hour,
//! shifted by the mean time people take to reach the stage, times the work
//! per person), then simulated with every pool's duty set to it: while a
//! target misses, the pool-interval with the highest utilization gets one
//! more; once every target holds, the least busy are cut one at a time while
//! they still hold. (2) The cover: for each pool, how many staff start each
//! shift template at each allowed time with lunch at each allowed start, at
//! least cost, so that staff on duty meet the requirement in every interval
//! (an integer program, `microlp`). (3) The roster is simulated (lunches and
//! shift edges put more on duty than required, never less); where a target
//! misses, the busiest interval's requirement rises and the cover is solved
//! again. Then staff come off the roster one at a time, from the shift whose
//! hours are least busy, while every target holds; wherever a pool has work
//! at least one stays on duty. (4) Confirmation on an independent seed, as
//! in [`super::plan`].

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use super::plan::{CONFIRMATIONS, Target, confirmation_seed, shortfall};
use super::{RunResult, run_replications, workload};
use crate::engine::Model;
use crate::scenario::model::{HallHours, Planning, Scenario, clock};
use crate::scenario::validate::lunch_starts;
use crate::stats::queueing;

/// Most simulated candidates of one roster search.
pub const MAX_EVALUATIONS: usize = 400;
/// Most staff a pool may have on duty in one interval.
const MAX_ON_DUTY: u32 = 2_000;

/// The planning intervals of a day: from `hall.opens`, each `interval`
/// minutes long, the last ending at `hall.staff_until` (it may be shorter).
#[derive(Clone, Debug)]
pub struct Grid {
    pub opens: f64,
    pub interval: f64,
    pub end: f64,
}

impl Grid {
    pub fn new(hours: HallHours, planning: &Planning) -> Grid {
        Grid { opens: hours.opens, interval: planning.interval, end: hours.staff_until }
    }

    pub fn len(&self) -> usize {
        ((self.end - self.opens) / self.interval).ceil() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Start and end of interval `i`, minutes after midnight.
    pub fn bounds(&self, i: usize) -> (f64, f64) {
        let a = self.opens + i as f64 * self.interval;
        (a, (a + self.interval).min(self.end))
    }
}

/// One way to staff a pool: a shift template, a start and a lunch start.
#[derive(Clone, Debug)]
pub struct ShiftOption {
    pub shift: usize,
    pub pool: usize,
    pub start: f64,
    pub end: f64,
    /// Lunch start, minutes after midnight (None: no lunch).
    pub lunch: Option<f64>,
    /// Whether the person is on duty in each interval.
    pub covers: Vec<bool>,
    /// Paid hours (lunch unpaid) and their cost.
    pub hours: f64,
    pub cost: f64,
}

/// Every way the scenario's templates can staff its pools.
pub fn options(s: &Scenario, grid: &Grid) -> Vec<ShiftOption> {
    let Some(planning) = s.planning() else { return Vec::new() };
    let mut out = Vec::new();
    for (k, shift) in planning.shifts.iter().enumerate() {
        for &(pool, _, _) in &shift.pools {
            for &start in &shift.starts {
                let end = start + shift.length;
                for lunch in lunch_starts(start, shift.length, shift.lunch, shift.lunch_window, grid.interval) {
                    let lunch = lunch.is_finite().then_some(lunch);
                    let covers = (0..grid.len())
                        .map(|i| {
                            let (a, b) = grid.bounds(i);
                            let at_lunch = lunch.is_some_and(|l| a < l + shift.lunch && l < b);
                            start <= a && b <= end && !at_lunch
                        })
                        .collect();
                    let hours = (shift.length - shift.lunch) / 60.0;
                    out.push(ShiftOption {
                        shift: k,
                        pool,
                        start,
                        end,
                        lunch,
                        covers,
                        hours,
                        cost: hours * shift.cost_per_hour,
                    });
                }
            }
        }
    }
    out
}

/// The pools some shift may staff, in file order.
pub fn planned_pools(s: &Scenario) -> Vec<usize> {
    let mut pools: Vec<usize> =
        s.planning().iter().flat_map(|p| p.shifts.iter().flat_map(|t| t.pools.iter().map(|x| x.0))).collect();
    pools.sort_unstable();
    pools.dedup();
    pools
}

/// Staff on duty per pool (all pools, file order) and interval.
pub type Duty = Vec<Vec<u32>>;

/// How the requirement per interval is found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Requirement {
    /// Seeded by the offered load and adjusted by simulation (the default).
    Simulated,
    /// Erlang C on each interval's offered load, as a contact centre staffs
    /// each half hour: the fewest staff with which at least `share` of the
    /// arrivals wait at most the stage's budget less its mean service (no
    /// wait at all when the service alone fills the budget); simulated only
    /// to report it.
    ErlangC { share: f64 },
}

/// The service level of the Erlang C requirement: the highest `>=` target on
/// a share (a value in (0, 1]), or the contact centres' usual 0.8.
pub fn erlang_c_share(targets: &[Target]) -> f64 {
    targets
        .iter()
        .filter(|t| t.op == super::plan::Op::AtLeast && t.value > 0.0 && t.value <= 1.0)
        .map(|t| t.value)
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
        .unwrap_or(0.8)
}

/// The requirement from each interval's offered load a, for every pool some
/// shift staffs: ⌈a⌉ (the fewest staff that keep up on average; the
/// simulation adds where queues build) or the Erlang C rule.
pub fn estimate(s: &Scenario, grid: &Grid, how: Requirement) -> Duty {
    let rates = workload::hourly_rates(s);
    let rate_at = |t: f64| if t < 0.0 { 0.0 } else { rates[((t / 60.0) as usize).min(23)] };
    // Per stage, per arriving person: visits, minutes of work, and that work
    // times the mean minutes before reaching the stage.
    let mut work = vec![(0.0, 0.0, 0.0); s.stages.len()];
    for t in &s.case_types {
        let mut lag = 0.0;
        for step in &t.route {
            lag += step.handoff.as_ref().map_or(0.0, |d| d.mean());
            let visits = t.share * (1.0 - t.outside_share);
            let w = visits * step.service.mean();
            let (v, sum, lagged) = work[step.stage];
            work[step.stage] = (v + visits, sum + w, lagged + w * lag);
            lag += step.service.mean();
        }
    }
    if let Some(pr) = &s.pre_review {
        let (v, sum, lagged) = work[pr.stage];
        work[pr.stage] = (v + pr.share, sum + pr.share * pr.service.mean(), lagged);
    }
    let mut duty = file_duty(s, grid);
    for p in planned_pools(s) {
        let pool = &s.pools[p];
        duty[p] = (0..grid.len())
            .map(|i| {
                let (a, b) = grid.bounds(i);
                // (arrivals a minute, offered load, the shortest wait allowed)
                let (mut lambda, mut load, mut wait) = (0.0, 0.0, f64::INFINITY);
                for &st in &pool.stages {
                    let (visits, w, lagged) = work[st];
                    if w <= 0.0 {
                        continue;
                    }
                    let lag = lagged / w;
                    let serving: u32 = s.pools.iter().filter(|q| q.stages.contains(&st)).map(|q| q.count.max(1)).sum();
                    let share = f64::from(pool.count.max(1)) / f64::from(serving.max(1));
                    let steps = 10;
                    let mean_rate =
                        (0..steps).map(|k| rate_at(a + (b - a) * (k as f64 + 0.5) / steps as f64 - lag)).sum::<f64>()
                            / steps as f64;
                    lambda += mean_rate * visits * share;
                    load += mean_rate * w * share;
                    wait = wait.min((s.stages[st].budget - w / visits).max(0.0));
                }
                if load <= 0.0 {
                    return 0;
                }
                let staff = match how {
                    Requirement::Simulated => load.ceil() as u32,
                    Requirement::ErlangC { share } => {
                        queueing::erlang_c_staff(load, load / lambda, wait, share, MAX_ON_DUTY)
                    }
                };
                staff.min(MAX_ON_DUTY)
            })
            .collect();
    }
    duty
}

/// The scenario with every planned pool's duty set per interval (as a
/// schedule; the count after the last interval is the last interval's).
pub fn with_duty(s: &Scenario, grid: &Grid, duty: &Duty) -> Scenario {
    let mut sc = s.clone();
    for p in planned_pools(s) {
        let pool = &mut sc.pools[p];
        pool.schedule = (0..grid.len())
            .map(|i| {
                let (a, b) = grid.bounds(i);
                (a, b, duty[p][i])
            })
            .collect();
        pool.count = duty[p].last().copied().unwrap_or(pool.count);
    }
    sc
}

/// The cover at least cost: how many take each option. Errors name the pool
/// and interval no template covers, or a min/max no cover satisfies.
pub fn cover(s: &Scenario, grid: &Grid, opts: &[ShiftOption], need: &Duty) -> Result<Vec<u32>, String> {
    let mut counts = vec![0; opts.len()];
    let Some(planning) = s.planning() else { return Ok(counts) };
    for p in planned_pools(s) {
        let mine: Vec<usize> = (0..opts.len()).filter(|&k| opts[k].pool == p).collect();
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let vars: Vec<_> =
            mine.iter().map(|&k| problem.add_integer_var(opts[k].cost, (0, MAX_ON_DUTY as i32))).collect();
        let mut uncovered = Vec::new();
        for (i, &needed) in need[p].iter().enumerate() {
            if needed == 0 {
                continue;
            }
            let terms: Vec<_> =
                mine.iter().zip(&vars).filter(|(k, _)| opts[**k].covers[i]).map(|(_, v)| (*v, 1.0)).collect();
            if terms.is_empty() {
                let (a, b) = grid.bounds(i);
                uncovered.push(format!("{}-{} ({needed} needed)", clock(a), clock(b)));
            } else {
                problem.add_constraint(terms.as_slice(), ComparisonOp::Ge, f64::from(needed));
            }
        }
        if !uncovered.is_empty() {
            return Err(format!(
                "no shift covers pool {} at {}: add a shift template (or a start) that works then",
                s.pools[p].name,
                uncovered.join(", ")
            ));
        }
        for (k, shift) in planning.shifts.iter().enumerate() {
            let Some(&(_, lo, hi)) = shift.pools.iter().find(|x| x.0 == p) else { continue };
            let terms: Vec<_> =
                mine.iter().zip(&vars).filter(|(j, _)| opts[**j].shift == k).map(|(_, v)| (*v, 1.0)).collect();
            if lo > 0 {
                problem.add_constraint(terms.as_slice(), ComparisonOp::Ge, f64::from(lo));
            }
            if hi < u32::MAX {
                problem.add_constraint(terms.as_slice(), ComparisonOp::Le, f64::from(hi));
            }
        }
        // Where the shifts' `max` cannot reach the requirement even with every
        // allowed staff member on duty: the intervals to name.
        let short: Vec<String> = (0..grid.len())
            .filter_map(|i| {
                let most: u64 = planning
                    .shifts
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| mine.iter().any(|&j| opts[j].shift == *k && opts[j].covers[i]))
                    .filter_map(|(_, t)| t.pools.iter().find(|x| x.0 == p).map(|x| u64::from(x.2)))
                    .sum();
                let (a, b) = grid.bounds(i);
                (u64::from(need[p][i]) > most)
                    .then(|| format!("{}-{} ({} needed, at most {most})", clock(a), clock(b), need[p][i]))
            })
            .collect();
        let why = |e: String| {
            let at = if short.is_empty() { String::new() } else { format!(" at {}", short.join(", ")) };
            format!("the shifts cannot cover pool {}{at} within the templates' min and max: {e}", s.pools[p].name)
        };
        let solution = problem
            .solve()
            .map_err(|e| why(e.to_string()))?
            .into_solution()
            .map_err(|_| why("the integer program was interrupted".into()))?;
        for (&k, v) in mine.iter().zip(&vars) {
            counts[k] = solution.var_value(*v).round() as u32;
        }
    }
    Ok(counts)
}

/// Staff on duty per pool and interval under a roster (pools no shift staffs
/// keep the file's duty).
pub fn duty_of(s: &Scenario, grid: &Grid, opts: &[ShiftOption], counts: &[u32]) -> Duty {
    let planned = planned_pools(s);
    let mut duty = file_duty(s, grid);
    for p in planned {
        duty[p] = vec![0; grid.len()];
    }
    for (o, &n) in opts.iter().zip(counts) {
        for (i, &c) in o.covers.iter().enumerate() {
            if c {
                duty[o.pool][i] += n;
            }
        }
    }
    duty
}

/// Staff on duty per pool and interval as the file has them.
fn file_duty(s: &Scenario, grid: &Grid) -> Duty {
    s.pools
        .iter()
        .map(|pool| (0..grid.len()).map(|i| pool.on_duty((grid.bounds(i).0 + grid.bounds(i).1) / 2.0)).collect())
        .collect()
}

/// One simulated roster or requirement.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub duty: Duty,
    pub result: RunResult,
    /// Sum of the targets' shortfalls (0: every target met with 95% confidence),
    /// plus the completed cases' shortfall against the file's.
    pub shortfall: f64,
    /// Whether it completes more than [`COMPLETED_MARGIN`] fewer cases than the file.
    pub serves_fewer: bool,
}

/// What the roster search found.
#[derive(Clone, Debug)]
pub struct Roster {
    /// How the requirement was found.
    pub requirement: Requirement,
    pub grid: Grid,
    pub planned: Vec<usize>,
    /// The requirement per pool and interval, as simulated.
    pub required: Duty,
    pub options: Vec<ShiftOption>,
    pub counts: Vec<u32>,
    /// The roster's duty, simulated on the search seed.
    pub best: Candidate,
    /// The scenario with the roster's duty as schedules.
    pub scenario: Scenario,
    pub confirmation: Option<(u64, Candidate)>,
    pub confirmed: bool,
    pub evaluations: usize,
    pub cost: f64,
    pub paid_hours: f64,
    /// Every roster simulated on the search seed that completes as many cases
    /// as the file (within [`COMPLETED_MARGIN`]): paid hours and the targets' estimates.
    pub tried: Vec<(f64, Vec<Option<crate::stats::estimate::Estimate>>)>,
    /// Rosters simulated and left out of `tried` for completing fewer cases.
    pub serving_fewer: usize,
}

/// A roster may complete at most this share fewer cases a day than the
/// file's staffing does (on the same seed): the targets may not be met by
/// serving fewer people, whatever they look at.
pub const COMPLETED_MARGIN: f64 = 0.01;

/// Simulates `duty`; a shortfall counts every target missed and, when
/// `completed` (the file's cases completed a day) is given, completing
/// fewer than it by more than [`COMPLETED_MARGIN`].
fn evaluate(
    s: &Scenario,
    grid: &Grid,
    duty: &Duty,
    (targets, completed): (&[Target], Option<f64>),
    seed: u64,
    reps: u32,
) -> Candidate {
    let result = run_replications(&Model::new(with_duty(s, grid, duty)), seed, reps);
    let served = match (completed, result.estimate("completed")) {
        (Some(file), Some(e)) => ((file * (1.0 - COMPLETED_MARGIN) - e.mean) / file.max(1.0)).max(0.0),
        _ => 0.0,
    };
    let shortfall = targets.iter().map(|t| shortfall(&result, t)).sum::<f64>() + served;
    Candidate { duty: duty.clone(), result, shortfall, serves_fewer: served > 0.0 }
}

/// Utilization of pool `p` in interval `i` (its hour's figure), NaN when unknown.
pub fn hour_utilization(s: &Scenario, grid: &Grid, r: &RunResult, p: usize, i: usize) -> f64 {
    let key = format!("pool.{}.utilization", s.pools[p].name);
    let hour = ((grid.bounds(i).0 / 60.0) as usize).min(23);
    r.hourly_defs.iter().position(|d| d.key == key).map_or(f64::NAN, |j| r.hourly[j][hour].mean)
}

/// [`hour_utilization`], 0 where unknown (nobody on duty), for ranking.
fn utilization(s: &Scenario, grid: &Grid, r: &RunResult, p: usize, i: usize) -> f64 {
    let u = hour_utilization(s, grid, r, p, i);
    if u.is_finite() { u } else { 0.0 }
}

/// The planned (pool, interval) with the highest utilization in `r`.
fn busiest(s: &Scenario, grid: &Grid, planned: &[usize], duty: &Duty, r: &RunResult) -> Option<(usize, usize)> {
    let mut best: Option<((usize, usize), f64)> = None;
    for &p in planned {
        for (i, &on_duty) in duty[p].iter().enumerate() {
            if on_duty >= MAX_ON_DUTY {
                continue;
            }
            // Nobody on duty: no utilization to read, so it comes after any busy interval.
            let u = if on_duty == 0 { 0.0 } else { utilization(s, grid, r, p, i) };
            if best.is_none_or(|(_, b)| u > b) {
                best = Some(((p, i), u));
            }
        }
    }
    best.map(|b| b.0)
}

/// Finds the roster; `progress` is called after each simulated candidate.
pub fn plan_roster(
    s: &Scenario,
    targets: &[Target],
    seed: u64,
    reps: u32,
    how: Requirement,
    progress: &dyn Fn(usize),
) -> Result<Roster, String> {
    let (Some(hours), Some(planning)) = (s.hours(), s.planning()) else {
        return Err("plan --shifts needs operating days and [[shift]] templates in the file".into());
    };
    let grid = Grid::new(hours, planning);
    let planned = planned_pools(s);
    let opts = options(s, &grid);
    // The file's staffing on each seed used, for what a roster must keep serving.
    let file_completed =
        |seed: u64| run_replications(&Model::new(s.clone()), seed, reps).estimate("completed").map(|e| e.mean);
    let baselines = std::cell::RefCell::new(std::collections::BTreeMap::new());
    let served = |seed: u64| *baselines.borrow_mut().entry(seed).or_insert_with(|| file_completed(seed));
    let count = std::cell::Cell::new(0);
    let evaluations = || count.get();
    let run = |duty: &Duty, seed: u64| {
        count.set(count.get() + 1);
        progress(count.get());
        evaluate(s, &grid, duty, (targets, served(seed)), seed, reps)
    };
    // Every roster simulated: its paid hours and the targets' estimates (the frontier).
    let frontier = std::cell::RefCell::new(Vec::new());
    let serving_fewer = std::cell::Cell::new(0);
    let run_roster = |counts: &[u32], seed: u64| {
        let c = run(&duty_of(s, &grid, &opts, counts), seed);
        let hours = opts.iter().zip(counts).map(|(o, &n)| o.hours * f64::from(n)).sum::<f64>();
        if c.serves_fewer {
            serving_fewer.set(serving_fewer.get() + 1);
        } else {
            frontier.borrow_mut().push((hours, targets.iter().map(|t| c.result.estimate(&t.key).copied()).collect()));
        }
        c
    };
    if matches!(how, Requirement::ErlangC { .. }) {
        let required = estimate(s, &grid, how);
        let counts = cover(s, &grid, &opts, &required)?;
        let best = run_roster(&counts, seed);
        let conf_seed = confirmation_seed(seed, 0);
        let c = evaluate(s, &grid, &best.duty, (targets, served(conf_seed)), conf_seed, reps);
        let confirmed = c.shortfall == 0.0;
        let mut r =
            finish(s, grid, planned, required, opts, counts, best, Some((conf_seed, c)), confirmed, evaluations());
        r.tried = frontier.into_inner();
        r.serving_fewer = serving_fewer.get();
        r.requirement = how;
        return Ok(r);
    }
    // Nobody serves people when nobody is on duty: wherever a pool has work,
    // at least one stays, whatever the targets look at.
    let floor: Duty =
        estimate(s, &grid, Requirement::Simulated).iter().map(|d| d.iter().map(|&n| n.min(1)).collect()).collect();
    // (1) The requirement: add where busiest until every target holds.
    let mut current = run(&estimate(s, &grid, how), seed);
    while current.shortfall > 0.0 && evaluations() < MAX_EVALUATIONS / 2 {
        let Some((p, i)) = busiest(s, &grid, &planned, &current.duty, &current.result) else { break };
        let mut duty = current.duty.clone();
        duty[p][i] += 1;
        // Every other pool's busiest interval at 0.9 or more gets one too.
        for &q in planned.iter().filter(|&&q| q != p) {
            if let Some((_, j)) = busiest(s, &grid, &[q], &current.duty, &current.result)
                && utilization(s, &grid, &current.result, q, j) >= 0.9
            {
                duty[q][j] += 1;
            }
        }
        current = run(&duty, seed);
    }
    if current.shortfall > 0.0 {
        return Err(format!(
            "no requirement the planner tried meets every target with 95% confidence ({} candidates); the targets may be out of reach",
            evaluations()
        ));
    }
    // Then cut the least busy, one at a time, while every target holds.
    let mut failures = 0;
    let mut tried = std::collections::BTreeSet::new();
    while failures < 8 && evaluations() < MAX_EVALUATIONS / 2 {
        let candidate = planned
            .iter()
            .flat_map(|&p| (0..grid.len()).map(move |i| (p, i)))
            .filter(|&(p, i)| current.duty[p][i] > floor[p][i] && !tried.contains(&(p, i)))
            .min_by(|a, b| {
                utilization(s, &grid, &current.result, a.0, a.1).total_cmp(&utilization(
                    s,
                    &grid,
                    &current.result,
                    b.0,
                    b.1,
                ))
            });
        let Some((p, i)) = candidate else { break };
        tried.insert((p, i));
        let mut duty = current.duty.clone();
        duty[p][i] -= 1;
        let next = run(&duty, seed);
        if next.shortfall == 0.0 {
            current = next;
            tried.clear();
            failures = 0;
        } else {
            failures += 1;
        }
    }
    let mut required = current.duty.clone();
    // (2) and (3): cover, simulate, repair.
    let repair = |required: &mut Duty, seed: u64| -> Result<(Vec<u32>, Candidate), String> {
        loop {
            let counts = cover(s, &grid, &opts, required)?;
            let c = run_roster(&counts, seed);
            if c.shortfall == 0.0 || evaluations() >= MAX_EVALUATIONS {
                return Ok((counts, c));
            }
            let Some((p, i)) = busiest(s, &grid, &planned, &c.duty, &c.result) else { return Ok((counts, c)) };
            required[p][i] = c.duty[p][i] + 1;
        }
    };
    let (mut counts, mut best) = repair(&mut required, seed)?;
    // Then take staff off the roster itself, one at a time, from the shift
    // whose hours are least busy, while every target holds (a single
    // interval's requirement rarely changes which shifts are cheapest).
    if best.shortfall == 0.0 {
        let planning = s.planning().as_ref().expect("checked above");
        let mut tried = std::collections::BTreeSet::new();
        while evaluations() < MAX_EVALUATIONS {
            let busy = |k: usize| {
                let o = &opts[k];
                let hours: Vec<f64> = (0..grid.len())
                    .filter(|&i| o.covers[i])
                    .map(|i| utilization(s, &grid, &best.result, o.pool, i))
                    .collect();
                hours.iter().sum::<f64>() / hours.len().max(1) as f64
            };
            let above_min = |k: usize| {
                let o = &opts[k];
                let lo = planning.shifts[o.shift].pools.iter().find(|x| x.0 == o.pool).map_or(0, |x| x.1);
                let on_shift: u32 = (0..opts.len())
                    .filter(|&j| opts[j].shift == o.shift && opts[j].pool == o.pool)
                    .map(|j| counts[j])
                    .sum();
                on_shift > lo
            };
            let candidate = (0..opts.len())
                .filter(|&k| counts[k] > 0 && !tried.contains(&k) && above_min(k))
                .min_by(|&a, &b| busy(a).total_cmp(&busy(b)));
            let Some(k) = candidate else { break };
            tried.insert(k);
            let mut fewer = counts.clone();
            fewer[k] -= 1;
            let duty = duty_of(s, &grid, &opts, &fewer);
            if planned.iter().any(|&p| duty[p].iter().zip(&floor[p]).any(|(on, least)| on < least)) {
                continue;
            }
            let c = run_roster(&fewer, seed);
            if c.shortfall == 0.0 {
                (counts, best) = (fewer, c);
                tried.clear();
            }
        }
        // What the simulation showed is enough.
        for &p in &planned {
            for (need, &on) in required[p].iter_mut().zip(&best.duty[p]) {
                *need = (*need).min(on);
            }
        }
    }
    // (4) Confirmation on independent seeds.
    let mut confirmation = None;
    let mut confirmed = false;
    if best.shortfall == 0.0 {
        for attempt in 0..CONFIRMATIONS {
            let conf_seed = confirmation_seed(seed, attempt);
            let c = evaluate(s, &grid, &best.duty, (targets, served(conf_seed)), conf_seed, reps);
            confirmed = c.shortfall == 0.0;
            confirmation = Some((conf_seed, c));
            if confirmed || attempt + 1 == CONFIRMATIONS {
                break;
            }
            let (p, i) = busiest(s, &grid, &planned, &best.duty, &confirmation.as_ref().expect("just set").1.result)
                .ok_or("no pool to add to")?;
            required[p][i] = best.duty[p][i] + 1;
            (counts, best) = repair(&mut required, conf_seed)?;
        }
    }
    let mut r = finish(s, grid, planned, required, opts, counts, best, confirmation, confirmed, evaluations());
    r.tried = frontier.into_inner();
    r.serving_fewer = serving_fewer.get();
    r.requirement = how;
    Ok(r)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    s: &Scenario,
    grid: Grid,
    planned: Vec<usize>,
    required: Duty,
    options: Vec<ShiftOption>,
    counts: Vec<u32>,
    best: Candidate,
    confirmation: Option<(u64, Candidate)>,
    confirmed: bool,
    evaluations: usize,
) -> Roster {
    let cost = options.iter().zip(&counts).map(|(o, &n)| o.cost * f64::from(n)).sum();
    let paid_hours = options.iter().zip(&counts).map(|(o, &n)| o.hours * f64::from(n)).sum();
    let scenario = with_duty(s, &grid, &best.duty);
    Roster {
        grid,
        planned,
        required,
        options,
        counts,
        best,
        scenario,
        confirmation,
        confirmed,
        evaluations,
        cost,
        paid_hours,
        tried: Vec::new(),
        serving_fewer: 0,
        requirement: Requirement::Simulated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HALL: &str = r#"
[hall]
opens = "08:00"
last_ticket = "12:00"
[arrivals]
per_day = 40
[[stage]]
name = "accept"
[[pool]]
name = "w"
count = 3
stages = ["accept"]
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = { dist = "exponential", mean = 5 }
[planning]
interval_minutes = 60
[[shift]]
name = "full"
pools = ["w"]
starts = ["08:00"]
length_minutes = 240
[[shift]]
name = "half"
pools = ["w"]
starts = ["08:00", "10:00"]
length_minutes = 120
cost_per_hour = 1.5
"#;

    #[test]
    fn the_cover_is_the_cheapest_that_meets_every_interval() {
        let s = crate::scenario::parse(HALL, "h.toml", "h").unwrap();
        let grid = Grid::new(s.hours().unwrap(), s.planning().as_ref().unwrap());
        assert_eq!(grid.len(), 4);
        let opts = options(&s, &grid);
        // Three staff from 8 to 10, one from 10 to 12: one full day and two
        // morning halves (4 + 2 × 3 = 10) beat three full days (12) and
        // three morning halves with an afternoon one (12).
        let counts = cover(&s, &grid, &opts, &vec![vec![3, 3, 1, 1]]).unwrap();
        let cost: f64 = opts.iter().zip(&counts).map(|(o, &n)| o.cost * f64::from(n)).sum();
        assert_eq!(cost, 10.0);
        assert_eq!(duty_of(&s, &grid, &opts, &counts), vec![vec![3, 3, 1, 1]]);
    }
}

//! The staffing planner: the fewest staff-hours that meet every target with
//! 95% confidence.
//!
//! Method. (1) A queueing estimate per pool: for every hour segment of the
//! arrival profile, the offered load a = λ·E[S] of the stages the pool
//! serves, and square-root staffing c = ⌈a + √a⌉ (the Halfin–Whitt regime,
//! where Erlang C waits are short); the pool starts at the largest c over the
//! day. (2) Simulation with a fixed seed (common random numbers, so two
//! staffings see the same people): while a target fails, the busiest pool
//! gets one more server. (3) Descent: each pool in turn is cut by binary
//! search to the fewest servers that still meet every target, and passes
//! repeat until no pool can be cut. A target holds "with 95% confidence" when
//! its whole 95% interval is on the right side of the bound. (4) Confirmation:
//! the search chose among staffings on one seed, so its intervals flatter the
//! choice; the chosen staffing is run again on an independent seed (another
//! stream, [`confirmation_seed`]) and only that run's intervals are claimed.
//! Where it misses, the busiest pool gets one more server and a fresh seed
//! confirms again, up to [`CONFIRMATIONS`] times.

use std::collections::BTreeMap;

use super::{RunResult, run_replications};
use crate::engine::Model;
use crate::rng::splitmix64;
use crate::scenario::model::{ArrivalProcess, Horizon, Scenario};

/// Comparison in a target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    AtLeast,
    AtMost,
}

/// `KPI >= value` or `KPI <= value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub key: String,
    pub op: Op,
    pub value: f64,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = if self.op == Op::AtLeast { ">=" } else { "<=" };
        write!(f, "{} {op} {}", self.key, self.value)
    }
}

/// Parses `KPI >= VALUE` or `KPI <= VALUE`; a strict `>` or `<` is refused,
/// since a target is met when its whole interval is on the bound's side.
pub fn parse_target(s: &str, known: &[String]) -> Result<Target, String> {
    let how = "write KPI >= VALUE or KPI <= VALUE, as in \"within_60_min >= 0.95\"";
    let (key, op, value) = [(">=", Op::AtLeast), ("<=", Op::AtMost)]
        .iter()
        .find_map(|(sym, op)| s.split_once(sym).map(|(k, v)| (k.trim(), *op, v.trim())))
        .ok_or_else(|| format!("target {s:?}: {how}"))?;
    let value = match value.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => return Err(format!("target {s:?}: {value:?} is not a finite number")),
    };
    if !known.iter().any(|k| k == key) {
        let near: Vec<&str> = known
            .iter()
            .filter(|k| k.contains(key) || key.split(['.', '_']).filter(|p| p.len() > 2).any(|p| k.contains(p)))
            .map(String::as_str)
            .take(8)
            .collect();
        let hint = if near.is_empty() {
            "see summary.csv for every key".to_string()
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        return Err(format!("target {s:?}: unknown KPI `{key}`; {hint}"));
    }
    Ok(Target { key: key.to_string(), op, value })
}

/// Whether a run meets a target with 95% confidence, and by how much it misses.
pub fn shortfall(r: &RunResult, t: &Target) -> f64 {
    match r.estimate(&t.key) {
        Some(e) if e.mean.is_finite() => {
            let hw = if e.half_width.is_finite() { e.half_width } else { 0.0 };
            match t.op {
                Op::AtLeast => (t.value - (e.mean - hw)).max(0.0),
                Op::AtMost => ((e.mean + hw) - t.value).max(0.0),
            }
        }
        _ => f64::INFINITY,
    }
}

/// Staff-hours a day of a staffing: each pool's count over the staffed
/// hours, with its schedule's intervals at their own counts.
pub fn staff_hours(s: &Scenario, counts: &[u32]) -> f64 {
    pool_hours(s, counts).sum()
}

/// The cost a day of staffing each pool with `counts`: its staff-hours at
/// the pool's `cost_per_hour`.
pub fn staff_cost(s: &Scenario, counts: &[u32]) -> f64 {
    pool_hours(s, counts).zip(&s.pools).map(|(h, p)| h * p.cost_per_hour).sum()
}

/// Staff-hours a day of each pool staffed with `counts` (its schedule kept).
fn pool_hours<'a>(s: &'a Scenario, counts: &'a [u32]) -> impl Iterator<Item = f64> + 'a {
    let minutes = match s.horizon {
        Horizon::Days { hours, .. } => hours.staff_until - hours.opens,
        Horizon::Continuous { minutes, warmup } => minutes - warmup,
    };
    s.pools.iter().zip(counts).map(move |(p, &c)| {
        let c = f64::from(c);
        (c * minutes + p.schedule.iter().map(|&(a, b, n)| (f64::from(n) - c) * (b - a)).sum::<f64>()) / 60.0
    })
}

/// Square-root staffing per pool at the busiest hour segment.
pub fn initial_estimate(s: &Scenario) -> Vec<u32> {
    let rates: Vec<f64> = match &s.arrivals.process {
        ArrivalProcess::Poisson { segments } => {
            let peak_factor = if s.arrivals.day_factors.is_empty() {
                1.0
            } else {
                s.arrivals.day_factors.iter().copied().fold(0.0, f64::max)
            };
            segments.iter().map(|g| g.rate * peak_factor).collect()
        }
        ArrivalProcess::Renewal { interarrival } => vec![1.0 / interarrival.mean()],
    };
    s.pools
        .iter()
        .map(|pool| {
            // Minutes of this pool's work per arriving person; a stage served by
            // several pools is shared in proportion to their counts.
            let work: f64 = s
                .case_types
                .iter()
                .map(|t| {
                    t.share
                        * t.route
                            .iter()
                            .filter(|step| pool.stages.contains(&step.stage))
                            .map(|step| {
                                let serving: u32 = s
                                    .pools
                                    .iter()
                                    .filter(|p| p.stages.contains(&step.stage))
                                    .map(|p| p.count.max(1))
                                    .sum();
                                step.service.mean() * f64::from(pool.count.max(1)) / f64::from(serving.max(1))
                            })
                            .sum::<f64>()
                })
                .sum::<f64>()
                + s.pre_review
                    .as_ref()
                    .filter(|pr| pool.stages.contains(&pr.stage))
                    .map_or(0.0, |pr| pr.share * pr.service.mean());
            let peak = rates.iter().map(|r| r * work).fold(0.0, f64::max);
            // A plan never proposes more than `check` accepts.
            ((peak + peak.sqrt()).ceil().min(f64::from(MAX_COUNT)) as u32).max(1)
        })
        .collect()
}

/// One evaluated staffing.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub counts: Vec<u32>,
    pub staff_hours: f64,
    /// Sum of the targets' shortfalls (0 when every target is met).
    pub shortfall: f64,
    pub result: RunResult,
}

/// What the planner found.
#[derive(Clone, Debug)]
pub struct Plan {
    pub start: Vec<u32>,
    /// The staffing chosen, as simulated on the search seed.
    pub best: Evaluation,
    pub feasible: bool,
    /// The chosen staffing on an independent seed: the seed and the run
    /// (None when the search found no feasible staffing).
    pub confirmation: Option<(u64, Evaluation)>,
    /// Whether the confirmation run meets every target with 95% confidence.
    pub confirmed: bool,
    pub evaluations: usize,
    /// Every staffing tried: staff-hours a day and the target KPIs' estimates.
    pub tried: Vec<(f64, Vec<Option<crate::stats::estimate::Estimate>>)>,
}

/// Most servers the planner gives one pool.
pub const MAX_COUNT: u32 = 2_000;

/// Most confirmation runs, each on a fresh seed.
pub const CONFIRMATIONS: u64 = 4;

/// The seed of confirmation number `attempt` of a plan searched under
/// `seed`: a stream of its own, never one the search used, and inside the
/// seeds a file or `--seed` accepts (0 to 2^63 - 1), so the claim can be rerun.
pub fn confirmation_seed(seed: u64, attempt: u64) -> u64 {
    let mut state = seed ^ 0x6A09_E667_F3BC_C908 ^ attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    splitmix64(&mut state) >> 1
}

/// Finds the staffing: every evaluation runs `reps` replications under `seed`;
/// `tried` is called after each new staffing is simulated (for progress).
pub fn plan(s: &Scenario, targets: &[Target], seed: u64, reps: u32, tried: &dyn Fn(&[u32])) -> Plan {
    let mut cache: BTreeMap<Vec<u32>, Evaluation> = BTreeMap::new();
    let mut eval = |counts: &[u32]| -> Evaluation {
        if let Some(e) = cache.get(counts) {
            return e.clone();
        }
        let result = run_replications(&model_with(s, counts), seed, reps);
        tried(counts);
        let shortfall = targets.iter().map(|t| shortfall(&result, t)).sum();
        let e = Evaluation { counts: counts.to_vec(), staff_hours: staff_hours(s, counts), shortfall, result };
        cache.insert(counts.to_vec(), e.clone());
        e
    };
    let start = initial_estimate(s);
    let mut current = eval(&start);
    let mut best_infeasible = current.clone();
    // Ascent: give the busiest pool more servers until every target holds;
    // give up after 15 steps without getting closer.
    let mut since_improvement = 0;
    while current.shortfall > 0.0 && since_improvement < 15 {
        let util = |i: usize| {
            current.result.estimate(&format!("pool.{}.utilization", s.pools[i].name)).map_or(0.0, |e| e.mean)
        };
        let Some(busiest) =
            (0..s.pools.len()).filter(|&i| current.counts[i] < MAX_COUNT).max_by(|&a, &b| util(a).total_cmp(&util(b)))
        else {
            break;
        };
        if util(busiest) < 0.05 {
            break; // no pool is busy: more staff cannot help
        }
        let mut next = current.counts.clone();
        next[busiest] += (next[busiest] / 20).max(1);
        current = eval(&next);
        if current.shortfall < best_infeasible.shortfall {
            best_infeasible = current.clone();
            since_improvement = 0;
        } else {
            since_improvement += 1;
        }
    }
    let history = |cache: &BTreeMap<Vec<u32>, Evaluation>| {
        cache
            .values()
            .map(|e| (e.staff_hours, targets.iter().map(|t| e.result.estimate(&t.key).copied()).collect()))
            .collect()
    };
    if current.shortfall > 0.0 {
        let evaluations = cache.len();
        let best = best_infeasible;
        return Plan {
            start,
            best,
            feasible: false,
            confirmation: None,
            confirmed: false,
            evaluations,
            tried: history(&cache),
        };
    }
    // Descent: cut each pool to the fewest servers that keep every target.
    loop {
        let mut changed = false;
        for i in 0..s.pools.len() {
            let (mut lo, mut hi) = (1u32, current.counts[i]);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                let mut trial = current.counts.clone();
                trial[i] = mid;
                if eval(&trial).shortfall == 0.0 {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            if hi < current.counts[i] {
                let mut trial = current.counts.clone();
                trial[i] = hi;
                current = eval(&trial);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Confirmation on independent seeds.
    let mut attempt = 0;
    let (confirmation, confirmed) = loop {
        let conf_seed = confirmation_seed(seed, attempt);
        let result = run_replications(&model_with(s, &current.counts), conf_seed, reps);
        tried(&current.counts);
        let shortfall = targets.iter().map(|t| shortfall(&result, t)).sum::<f64>();
        let conf = Evaluation { counts: current.counts.clone(), staff_hours: current.staff_hours, shortfall, result };
        attempt += 1;
        if shortfall == 0.0 || attempt == CONFIRMATIONS {
            break (conf, shortfall == 0.0);
        }
        let util =
            |i: usize| conf.result.estimate(&format!("pool.{}.utilization", s.pools[i].name)).map_or(0.0, |e| e.mean);
        let Some(busiest) =
            (0..s.pools.len()).filter(|&i| current.counts[i] < MAX_COUNT).max_by(|&a, &b| util(a).total_cmp(&util(b)))
        else {
            break (conf, false);
        };
        let mut next = current.counts.clone();
        next[busiest] += 1;
        current = eval(&next);
    };
    let evaluations = cache.len() + attempt as usize;
    Plan {
        start,
        best: current,
        feasible: true,
        confirmation: Some((confirmation_seed(seed, attempt - 1), confirmation)),
        confirmed,
        evaluations,
        tried: history(&cache),
    }
}

/// The scenario with each pool's count replaced.
fn model_with(s: &Scenario, counts: &[u32]) -> Model {
    let mut sc = s.clone();
    for (p, &c) in sc.pools.iter_mut().zip(counts) {
        p.count = c;
    }
    Model::new(sc)
}

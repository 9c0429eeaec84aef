//! A scenario prepared for the engine: the queue layout (one queue per
//! hall, stage, case type and priority class), which pools serve which
//! queues, each pool's day of duty changes, and the route of each case type
//! as flat tables. Built once per scenario and shared by every replication.

use crate::scenario::model::{Closing, MAX_ROUTE, Scenario};

/// A scenario prepared for the engine: queue layout and who serves what.
/// Built once and shared by every replication.
#[derive(Debug)]
pub struct Model {
    pub(crate) scenario: Scenario,
    pub(super) n_sites: usize,
    pub(super) n_stages: usize,
    pub(super) n_types: usize,
    pub(super) n_classes: usize,
    /// Cumulative case-type shares, for drawing a type.
    pub(super) cumulative_share: Vec<f64>,
    /// Cumulative shares of the halls, for drawing a home hall.
    pub(super) cumulative_site_share: Vec<f64>,
    /// Queues each pool calls from.
    pub(super) pool_queues: Vec<Vec<u32>>,
    /// Pools that serve each (site, stage, type), in file order.
    pub(super) stage_type_pools: Vec<Vec<u16>>,
    /// Whether each stage needs the person at a window.
    pub(super) present: Vec<bool>,
    /// Mean service time of each type's first step, minutes (the displayed wait).
    pub(super) first_service_mean: Vec<f64>,
    /// Per pool: staff on duty at the first midnight, and its day's duty
    /// changes (minutes after midnight, count), each a real change.
    pub(super) initial_duty: Vec<u32>,
    pub(super) duty_changes: Vec<Vec<(f64, u32)>>,
    /// Whether any step of any route has a hand-off (else every hand-off
    /// of every slot stays 0 and none is drawn).
    pub(super) handoffs: bool,
    /// Whether any practice draws for a person (else those draws are skipped).
    pub(super) practices: bool,
    /// The (site, stage, priority class) of each queue.
    pub(super) queue_places: Vec<(u16, u16, u8)>,
    /// Per (type, step), at `type * MAX_ROUTE + step`: the stage, and
    /// whether the step is parallel or later (the slow path of `begin_stage`).
    pub(super) route_stage: Vec<u16>,
    pub(super) step_special: Vec<bool>,
    /// The guides' stage (0 without pre-review).
    pub(super) pre_stage: u16,
    /// Whether the top class holds the green channel or booked tickets.
    pub(super) top_class_used: bool,
    pub(super) hard_close: bool,
    /// Whether every person simply follows their route in the one hall,
    /// from ticket to completion: no practice, back-office task, hand-off,
    /// parallel or later-day step, patience, capacity, green channel,
    /// booking or diversion. Such a scenario runs in the plain loop (see
    /// [`super::sim::Sim`]).
    pub(super) plain: bool,
}

/// Running sums of shares, the last made infinite so that every uniform draw
/// finds its place despite rounding.
pub(super) fn cumulative(shares: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    let mut out: Vec<f64> = shares
        .map(|x| {
            acc += x;
            acc
        })
        .collect();
    if let Some(last) = out.last_mut() {
        *last = f64::INFINITY;
    }
    out
}

/// A day's duty changes as one list of real changes, whatever way the file
/// wrote them: changes at one instant apply as one (the last wins), and a
/// change to the number already on duty is dropped. The day repeats, so the
/// number on duty at midnight is the one the day ends with; returns it too.
pub(super) fn canonical_duty(count: u32, changes: Vec<(f64, u32)>) -> (u32, Vec<(f64, u32)>) {
    let mut merged: Vec<(f64, u32)> = Vec::with_capacity(changes.len());
    for (t, n) in changes {
        match merged.last_mut() {
            Some(last) if last.0 == t => last.1 = n,
            _ => merged.push((t, n)),
        }
    }
    let midnight = merged.last().map_or(count, |c| c.1);
    let mut level = midnight;
    merged.retain(|&(_, n)| std::mem::replace(&mut level, n) != n);
    (midnight, merged)
}

impl Model {
    /// The scenario this model runs (fixed when the model is built).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn new(scenario: Scenario) -> Self {
        let n_stages = scenario.stages.len();
        let n_types = scenario.case_types.len();
        let green = scenario.has_top_class();
        let n_classes = scenario.priority_classes();
        let cumulative_share = cumulative(scenario.case_types.iter().map(|t| t.share));
        let mut pool_queues = vec![Vec::new(); scenario.pools.len()];
        let n_sites = scenario.n_sites();
        let mut stage_type_pools = vec![Vec::new(); n_sites * n_stages * n_types];
        let cumulative_site_share = cumulative(scenario.sites.iter().map(|s| s.share));
        // Stages every type may visit besides its route: the guides', the follow-up's.
        let extra: Vec<usize> = scenario
            .pre_review
            .iter()
            .map(|p| p.stage)
            .chain(scenario.documents.iter().filter_map(|d| d.follow_up.as_ref().map(|f| f.0)))
            .collect();
        for (p, pool) in scenario.pools.iter().enumerate() {
            for &s in &pool.stages {
                for &t in &pool.case_types {
                    let ct = &scenario.case_types[t];
                    if ct.route.iter().any(|step| step.stage == s) || extra.contains(&s) {
                        let st = (pool.site * n_stages + s) * n_types + t;
                        stage_type_pools[st].push(p as u16);
                        let base = st * n_classes;
                        pool_queues[p].push((base + ct.priority as usize) as u32);
                        if green {
                            pool_queues[p].push((base + n_classes - 1) as u32);
                        }
                    }
                }
            }
        }
        let present = scenario.stages.iter().map(|s| s.present).collect();
        let first_service_mean = scenario.case_types.iter().map(|t| t.route[0].service.mean()).collect();
        let (initial_duty, duty_changes) = scenario
            .pools
            .iter()
            .map(|p| {
                let mut changes = p.changes();
                // A hard close sends staff home at their end and back at opening.
                if let (Closing::Hard, Some(h)) = (scenario.closing, scenario.hours()) {
                    changes.insert(0, (h.opens, p.count));
                    changes.push((h.staff_until, 0));
                }
                canonical_duty(p.count, changes)
            })
            .unzip();
        let c = &scenario.calling;
        let practices = scenario.documents.is_some()
            || scenario.pre_review.is_some()
            || scenario.closing == Closing::Hard
            || !scenario.sites.is_empty()
            || c.absent_share > 0.0
            || c.balk_above.is_some();
        let hard_close = scenario.closing == Closing::Hard;
        let handoffs = scenario.case_types.iter().any(|t| t.route.iter().any(|step| step.handoff.is_some()));
        let (mut route_stage, mut step_special) = (vec![0; n_types * MAX_ROUTE], vec![false; n_types * MAX_ROUTE]);
        for (t, ct) in scenario.case_types.iter().enumerate() {
            for (i, step) in ct.route.iter().enumerate() {
                route_stage[t * MAX_ROUTE + i] = step.stage as u16;
                step_special[t * MAX_ROUTE + i] = step.parallel || step.later;
            }
        }
        let pre_stage = scenario.pre_review.as_ref().map_or(0, |pr| pr.stage as u16);
        let plain = !practices
            && !handoffs
            && !step_special.contains(&true)
            && !scenario.has_tasks()
            && !scenario.has_top_class()
            && scenario.hall_capacity.is_none()
            && scenario.case_types.iter().all(|t| t.patience.is_none() && t.outside_share == 0.0);
        Model {
            scenario,
            n_sites,
            n_stages,
            n_types,
            n_classes,
            cumulative_share,
            cumulative_site_share,
            pool_queues,
            stage_type_pools,
            present,
            first_service_mean,
            initial_duty,
            duty_changes,
            practices,
            handoffs,
            queue_places: (0..n_sites * n_stages * n_types * n_classes)
                .map(|q| {
                    let st = q / (n_classes * n_types);
                    ((st / n_stages) as u16, (st % n_stages) as u16, (q % n_classes) as u8)
                })
                .collect(),
            top_class_used: green,
            route_stage,
            step_special,
            pre_stage,
            hard_close,
            plain,
        }
    }

    /// Whether the scenario runs in the plain loop: every person follows
    /// their route in the one hall, from ticket to completion (see `plain`).
    pub fn is_plain(&self) -> bool {
        self.plain
    }

    pub(super) fn queue_index(&self, site: usize, stage: usize, ctype: usize, class: usize) -> usize {
        ((site * self.n_stages + stage) * self.n_types + ctype) * self.n_classes + class
    }

    /// The (site, stage, priority class) of queue `q`.
    #[inline]
    pub(super) fn queue_place(&self, q: usize) -> (usize, usize, usize) {
        let (site, stage, class) = self.queue_places[q];
        (site as usize, stage as usize, class as usize)
    }

    /// Index of (site, stage, type) in `stage_type_pools`.
    pub(super) fn serving(&self, site: usize, stage: usize, ctype: usize) -> usize {
        (site * self.n_stages + stage) * self.n_types + ctype
    }
}

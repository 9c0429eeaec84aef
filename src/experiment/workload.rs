//! Before the first replication: how many people a scenario asks to simulate,
//! how many it may hold at once, and where its offered load meets or passes
//! its staff. A file that passes `check` can still ask for more than a machine
//! holds (a billion tickets a day, a queue that grows without end); this is
//! where such a run is refused with the figures, instead of aborting.

use crate::scenario::model::{ArrivalProcess, Horizon, Scenario};

/// Bytes a person held at once costs: the person record, a queue place and
/// a pending event (about 300), doubled for stores that grow by doubling.
pub const BYTES_PER_PERSON: f64 = 600.0;

/// Limits a run must stay inside; both can be raised from the command line.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Most people simulated in one replication.
    pub arrivals: f64,
    /// Most memory for the people held at once in one replication, bytes.
    pub memory: f64,
}

/// A stage whose offered load meets or passes its staff.
#[derive(Clone, Debug, PartialEq)]
pub struct Overload {
    pub stage: String,
    /// The hour of day (days mode), or None for a continuous run.
    pub hour: Option<usize>,
    /// Offered load: busy servers the stage needs on average.
    pub load: f64,
    /// Staff on duty who serve the stage.
    pub staff: f64,
}

impl std::fmt::Display for Overload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self.hour.map_or(String::new(), |h| format!(" at {h:02}:00-{:02}:00", h + 1));
        write!(
            f,
            "stage {}{at}: offered load {:.1} against {} staff on duty (utilization {:.2})",
            self.stage,
            self.load,
            self.staff,
            self.load / self.staff
        )
    }
}

/// Minutes of work per arriving person at each stage, from the case types'
/// routes and the guides' share.
fn work_per_person(s: &Scenario) -> Vec<f64> {
    let mut work = vec![0.0; s.stages.len()];
    // Pre-reviewed people need less time at their first window.
    let first_factor = s.pre_review.as_ref().map_or(1.0, |pr| 1.0 - pr.share * (1.0 - pr.window_time_factor));
    for t in &s.case_types {
        for (i, step) in t.route.iter().enumerate() {
            let factor = if i == 0 { first_factor } else { 1.0 };
            work[step.stage] += t.share * (1.0 - t.outside_share) * step.service.mean() * factor;
        }
    }
    if let Some(pr) = &s.pre_review {
        work[pr.stage] += pr.share * pr.service.mean();
    }
    work
}

/// Staff on duty at `minute` after midnight who serve `stage`.
fn staff(s: &Scenario, stage: usize, minute: f64) -> f64 {
    s.pools.iter().filter(|p| p.stages.contains(&stage)).map(|p| f64::from(p.on_duty(minute))).sum()
}

/// The busiest day's factor.
fn peak_factor(s: &Scenario) -> f64 {
    s.arrivals.day_factors.iter().copied().fold(if s.arrivals.day_factors.is_empty() { 1.0 } else { 0.0 }, f64::max)
}

/// Arrivals per minute in each hour of the day (days mode), on the busiest day.
pub(crate) fn hourly_rates(s: &Scenario) -> [f64; 24] {
    let mut rates = [0.0; 24];
    let Some(h) = s.hours() else { return rates };
    match &s.arrivals.process {
        ArrivalProcess::Poisson { segments } => {
            for g in segments {
                for (hour, r) in rates.iter_mut().enumerate() {
                    let (a, b) = ((hour as f64 * 60.0).max(g.start), ((hour + 1) as f64 * 60.0).min(g.end));
                    if b > a {
                        *r += g.rate * (b - a) / 60.0;
                    }
                }
            }
        }
        ArrivalProcess::Renewal { interarrival } => {
            for (hour, r) in rates.iter_mut().enumerate() {
                let (a, b) = ((hour as f64 * 60.0).max(h.opens), ((hour + 1) as f64 * 60.0).min(h.last_ticket));
                if b > a {
                    *r += (b - a) / 60.0 / interarrival.mean();
                }
            }
        }
    }
    rates.map(|r| r * peak_factor(s))
}

/// The stages whose offered load meets their staff: at or above 0.95 of it
/// in any hour of a day, or at or above all of it in a continuous run (the
/// queue then grows without end).
pub fn overloads(s: &Scenario) -> Vec<Overload> {
    let work = work_per_person(s);
    let mut out = Vec::new();
    match s.horizon {
        Horizon::Days { .. } => {
            let rates = hourly_rates(s);
            for (stage, st) in s.stages.iter().enumerate() {
                for (hour, &rate) in rates.iter().enumerate() {
                    let load = rate * work[stage];
                    let on_duty = staff(s, stage, hour as f64 * 60.0 + 30.0);
                    if load > 0.0 && load >= 0.95 * on_duty {
                        out.push(Overload { stage: st.name.clone(), hour: Some(hour), load, staff: on_duty });
                    }
                }
            }
        }
        Horizon::Continuous { .. } => {
            let rate = continuous_rate(s);
            for (stage, st) in s.stages.iter().enumerate() {
                let load = rate * work[stage];
                let count: f64 = s.pools.iter().filter(|p| p.stages.contains(&stage)).map(|p| f64::from(p.count)).sum();
                if load > 0.0 && load >= count {
                    out.push(Overload { stage: st.name.clone(), hour: None, load, staff: count });
                }
            }
        }
    }
    out
}

/// The highest arrival rate of a continuous run, per minute.
fn continuous_rate(s: &Scenario) -> f64 {
    match &s.arrivals.process {
        ArrivalProcess::Poisson { segments } => segments.iter().map(|g| g.rate).fold(0.0, f64::max),
        ArrivalProcess::Renewal { interarrival } => 1.0 / interarrival.mean(),
    }
}

/// Expected people in one replication: walk-ins and booked tickets.
pub fn arrivals_per_replication(s: &Scenario) -> f64 {
    let expected = match s.horizon {
        Horizon::Days { days, hours } => {
            let factors: f64 = (0..days).map(|d| s.day_factor(d)).sum();
            let per_day = match &s.arrivals.process {
                ArrivalProcess::Poisson { segments } => segments.iter().map(|g| g.rate * (g.end - g.start)).sum(),
                ArrivalProcess::Renewal { interarrival } => (hours.last_ticket - hours.opens) / interarrival.mean(),
            };
            let booked = s.appointments.as_ref().map_or(0.0, |a| {
                (((a.last_slot - a.first_slot) / a.every).floor() + 1.0) * f64::from(a.per_slot) * f64::from(days)
            });
            per_day * factors + booked
        }
        Horizon::Continuous { minutes, .. } => continuous_rate(s) * minutes,
    };
    s.max_arrivals.map_or(expected, |n| expected.min(n as f64))
}

/// Most people held at once in one replication, roughly: in a continuous
/// run with a stage over its staff, the queue grows by the excess rate for
/// the whole run (a stable queue holds few: counted as at most 100,000); in
/// days mode, at most two days' people (a day drains; some come back).
pub fn peak_people(s: &Scenario) -> f64 {
    let arrivals = arrivals_per_replication(s);
    match s.horizon {
        Horizon::Continuous { .. } => {
            let worst = overloads(s).iter().map(|o| o.load / o.staff.max(1e-9)).fold(0.0, f64::max);
            if worst >= 1.0 { arrivals * (1.0 - 1.0 / worst) } else { arrivals.min(1e5) }
        }
        Horizon::Days { days, .. } => 2.0 * arrivals / f64::from(days),
    }
}

/// Refuses a scenario whose work or memory exceeds `limits`, with the figures.
pub fn check(s: &Scenario, limits: Limits) -> Result<(), String> {
    let arrivals = arrivals_per_replication(s);
    if arrivals.is_nan() || arrivals > limits.arrivals {
        return Err(format!(
            "{}: about {arrivals:.3e} people per replication, above the limit of {:.3e}; raise it with --max-people if the machine can take it",
            s.name, limits.arrivals
        ));
    }
    let memory = peak_people(s) * BYTES_PER_PERSON;
    if memory.is_nan() || memory > limits.memory {
        let why = if overloads(s).iter().any(|o| o.hour.is_none()) {
            " (a stage's offered load is at or above its staff, so the queue grows without end; set simulation.max_arrivals or add staff)"
        } else {
            ""
        };
        return Err(format!(
            "{}: about {:.0} MB for the people held at once in a replication{why}, above the limit of {:.0} MB; raise it with --max-memory-mb",
            s.name,
            memory / 1e6,
            limits.memory / 1e6
        ));
    }
    Ok(())
}

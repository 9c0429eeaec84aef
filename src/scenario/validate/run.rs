//! `[simulation]`, `[hall]` and `[targets]`: how long a run is, the hall's
//! hours and capacity, and the targets every figure is measured against.

use super::*;

/// What the run's sections hold, each None where a problem was reported.
pub(super) struct Run {
    pub replications: Option<i64>,
    pub seed: Option<i64>,
    pub max_arrivals: Option<Option<u64>>,
    /// A continuous run (`horizon_minutes`) rather than operating days.
    pub continuous: bool,
    pub hours: Option<HallHours>,
    pub horizon: Option<Horizon>,
    pub hall_capacity: Option<Option<u32>>,
    pub completion_target: Option<f64>,
    pub wait_targets: Vec<f64>,
    pub required: Option<Required>,
}

pub(super) fn check_run(c: &mut Checker, r: &RawScenario) -> Run {
    // [simulation]
    let sim = r.simulation.as_ref().map(|s| s.get_ref());
    let empty_sim = raw::Simulation::default();
    let sim = sim.unwrap_or(&empty_sim);
    let replications =
        sim.replications.as_ref().map_or(Some(DEFAULT_REPLICATIONS as i64), |v| c.int(v, "simulation.replications"));
    let seed = sim.seed.as_ref().map_or(Some(DEFAULT_SEED as i64), |v| c.int(v, "simulation.seed"));
    let max_arrivals = match &sim.max_arrivals {
        Some(v) => c.int(v, "simulation.max_arrivals").map(|x| Some(x as u64)),
        None => Some(None),
    };
    let continuous = sim.horizon_minutes.is_some();
    if let (Some(d), Some(_)) = (&sim.days, &sim.horizon_minutes) {
        c.err::<()>(
            d.span(),
            "simulation.days",
            "set either `days` (operating days) or `horizon_minutes` (one continuous run), not both",
        );
    }
    if let (Some(w), None) = (&sim.warmup_minutes, &sim.horizon_minutes) {
        c.err::<()>(
            w.span(),
            "simulation.warmup_minutes",
            "applies only to a continuous run: set `horizon_minutes` too, or remove it",
        );
    }

    // [hall]
    let hours = if continuous {
        // A continuous run has no hours; only the hall's capacity applies.
        if let Some(h) = &r.hall {
            let h = h.get_ref();
            let hour_keys = [
                ("opens", h.opens.as_ref().map(|v| v.span())),
                ("last_ticket", h.last_ticket.as_ref().map(|v| v.span())),
                ("staff_until", h.staff_until.as_ref().map(|v| v.span())),
                ("closing", h.closing.as_ref().map(|v| v.span())),
            ];
            for (key, span) in hour_keys {
                if let Some(span) = span {
                    c.err::<()>(
                        span,
                        format!("hall.{key}"),
                        "opening hours apply to operating days; in a continuous run [hall] takes only `capacity`",
                    );
                }
            }
        }
        None
    } else {
        match &r.hall {
            // Already reported: the section could not be read, or [simulation]
            // could not, so whether the run needs hours is unknown.
            None if r.unreadable.contains("hall") || r.unreadable.contains("simulation") => None,
            None => c.err(
                r.file_span.start..r.file_span.start,
                "hall",
                "missing [hall] with `opens` and `last_ticket` (\"HH:MM\"), needed for operating days",
            ),
            Some(h) => {
                let span = h.span();
                let h = h.get_ref();
                let opens = match &h.opens {
                    Some(v) => c.clock(v, "hall.opens"),
                    None => c.err(span.clone(), "hall", "missing `opens` (\"HH:MM\", when the ticket machine starts)"),
                };
                let last = match &h.last_ticket {
                    Some(v) => c.clock(v, "hall.last_ticket"),
                    None => {
                        c.err(span.clone(), "hall", "missing `last_ticket` (\"HH:MM\", when the ticket machine stops)")
                    }
                };
                let until = match &h.staff_until {
                    Some(v) => c.clock(v, "hall.staff_until").map(Some),
                    None => Some(None),
                };
                match (opens, last, until) {
                    (Some(o), Some(l), Some(u)) => {
                        let u = u.unwrap_or(l);
                        if l <= o {
                            c.err(
                                h.last_ticket.as_ref().map_or(span.clone(), |v| v.span()),
                                "hall.last_ticket",
                                format!("must be later than opens ({}), got {}", clock(o), clock(l)),
                            )
                        } else if u < l {
                            c.err(
                                h.staff_until.as_ref().map_or(span.clone(), |v| v.span()),
                                "hall.staff_until",
                                format!("must not be earlier than last_ticket ({}), got {}", clock(l), clock(u)),
                            )
                        } else {
                            Some(HallHours { opens: o, last_ticket: l, staff_until: u })
                        }
                    }
                    _ => None,
                }
            }
        }
    };

    let horizon = if continuous {
        let h = sim.horizon_minutes.as_ref().and_then(|v| c.num(v, "simulation.horizon_minutes"));
        let w = match &sim.warmup_minutes {
            Some(v) => {
                let x = *v.get_ref();
                if !(x.is_finite() && x >= 0.0) {
                    c.err(v.span(), "simulation.warmup_minutes", format!("must be >= 0 minutes, got {x}"))
                } else if h.is_some_and(|h| x >= h) {
                    c.err(
                        v.span(),
                        "simulation.warmup_minutes",
                        format!("must be shorter than horizon_minutes ({}), got {x}", h.unwrap_or(0.0)),
                    )
                } else {
                    Some(x)
                }
            }
            None => Some(0.0),
        };
        h.zip(w).map(|(minutes, warmup)| Horizon::Continuous { minutes, warmup })
    } else {
        let days = sim.days.as_ref().map_or(Some(1), |v| c.int(v, "simulation.days"));
        days.zip(hours).map(|(d, hours)| Horizon::Days { days: d as u32, hours })
    };

    let hall_capacity = match r.hall.as_ref().and_then(|h| h.get_ref().capacity.as_ref()) {
        Some(v) => c.int(v, "hall.capacity").map(|n| Some(n as u32)),
        None => Some(None),
    };

    // [targets]
    let completion_target = match r.targets.as_ref().and_then(|t| t.get_ref().completion_minutes.as_ref()) {
        Some(v) => c.num(v, "targets.completion_minutes"),
        None => Some(DEFAULT_COMPLETION_TARGET),
    };
    let mut wait_targets = Vec::new();
    if let Some(list) = r.targets.as_ref().and_then(|t| t.get_ref().wait_minutes.as_ref()) {
        if list.get_ref().len() > MAX_WAIT_TARGETS {
            c.err::<()>(
                list.span(),
                "targets.wait_minutes",
                format!("at most {MAX_WAIT_TARGETS} targets, got {}", list.get_ref().len()),
            );
        }
        for (i, v) in list.get_ref().iter().enumerate() {
            if let Some(t) = c.num(v, &format!("targets.wait_minutes[{i}]")) {
                if wait_targets.contains(&t) {
                    c.err::<()>(v.span(), format!("targets.wait_minutes[{i}]"), format!("{t} is listed twice"));
                }
                wait_targets.push(t);
            }
        }
        wait_targets.sort_by(f64::total_cmp);
    }
    let mut share = |v: Option<&S<f64>>, key: &str, default: f64| v.map_or(Some(default), |v| c.num(v, key));
    let targets = r.targets.as_ref().map(|t| t.get_ref());
    let completion = share(targets.and_then(|t| t.completion_share.as_ref()), "targets.completion_share", 0.95);
    let stage_budget = share(targets.and_then(|t| t.stage_budget_share.as_ref()), "targets.stage_budget_share", 0.90);
    let required = completion.zip(stage_budget).map(|(completion, stage_budget)| Required { completion, stage_budget });
    Run {
        replications,
        seed,
        max_arrivals,
        continuous,
        hours,
        horizon,
        hall_capacity,
        completion_target,
        wait_targets,
        required,
    }
}

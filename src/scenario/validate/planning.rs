//! `[planning]` and `[[shift]]`: the planning interval and the shifts a
//! staffing plan by the hour may use.

use super::*;

/// Most allowed starts of one shift (every half hour of a day is 48).
const MAX_STARTS: usize = 48;

pub(super) fn check_planning(c: &mut Checker, r: &RawScenario, run: &Run) -> Option<Option<Planning>> {
    if r.shifts.is_empty() {
        if let Some(p) = &r.planning
            && !r.unreadable.contains("shift")
        {
            return c.err(p.span(), "planning", "needs [[shift]] entries: the shifts the plan may use");
        }
        return Some(None);
    }
    let Some(hours) = run.hours else {
        if run.continuous {
            return c.err(r.shifts[0].span(), "shift", "shifts apply only to operating days (`simulation.days`)");
        }
        return None;
    };
    let interval = match r.planning.as_ref().and_then(|p| p.get_ref().interval_minutes.as_ref()) {
        Some(v) if [30, 60].contains(v.get_ref()) => Some(*v.get_ref() as f64),
        Some(v) => {
            c.err(v.span(), "planning.interval_minutes", format!("must be 30 or 60 minutes, got {}", v.get_ref()))
        }
        None => Some(60.0),
    };
    // With an invalid interval, the checks that need the grid are skipped.
    let on_grid = |t: f64| interval.is_none_or(|iv| t >= hours.opens && ((t - hours.opens) / iv).fract() == 0.0);
    let step = interval.unwrap_or(60.0);
    let pool_ids: BTreeMap<&str, usize> =
        r.pools.iter().enumerate().map(|(i, p)| (p.get_ref().name.get_ref().as_str(), i)).collect();
    let pools_complete = !r.unreadable.contains("pool");
    c.unique_names("shift", r.shifts.iter().enumerate().map(|(i, s)| (i, &s.get_ref().name)));
    let mut shifts = Vec::new();
    let mut ok = true;
    for (i, s) in r.shifts.iter().enumerate() {
        let s = s.get_ref();
        let p = format!("shift[{i}]");
        let name = c.ident(&s.name, &format!("{p}.name"));
        let length = c.num(&s.length_minutes, &format!("{p}.length_minutes"));
        let lunch = match &s.lunch_minutes {
            Some(v) => c.num(v, &format!("{p}.lunch_minutes")).and_then(|l| {
                if (l / step).fract() == 0.0 || interval.is_none() {
                    Some(l)
                } else {
                    c.err(
                        v.span(),
                        format!("{p}.lunch_minutes"),
                        format!("must be a whole number of planning intervals ({step} minutes), got {l}"),
                    )
                }
            }),
            None => Some(0.0),
        };
        let cost = match &s.cost_per_hour {
            Some(v) => c.num(v, &format!("{p}.cost_per_hour")),
            None => Some(1.0),
        };
        // Pools, each with its fewest and most staff.
        let mut pools: Vec<(usize, u32, u32)> = Vec::new();
        if s.pools.get_ref().is_empty() {
            c.err::<()>(s.pools.span(), format!("{p}.pools"), "must name at least one pool");
        }
        for (j, v) in s.pools.get_ref().iter().enumerate() {
            match pool_ids.get(v.get_ref().as_str()) {
                Some(&id) if pools.iter().any(|x| x.0 == id) => {
                    c.err::<()>(v.span(), format!("{p}.pools[{j}]"), format!("pool {:?} is listed twice", v.get_ref()));
                }
                Some(&id) => pools.push((id, 0, u32::MAX)),
                None if !pools_complete => {}
                None => {
                    let known: Vec<&str> = pool_ids.keys().copied().collect();
                    c.err::<()>(
                        v.span(),
                        format!("{p}.pools[{j}]"),
                        format!("unknown pool {:?}; the pools are {}", v.get_ref(), names(&known)),
                    );
                }
            }
        }
        for (key, bound) in [("min", &s.min), ("max", &s.max)] {
            let Some(table) = bound else { continue };
            for (k, v) in table.get_ref() {
                let path = format!("{p}.{key}.{}", k.get_ref());
                let Some(n) = c.int_as(v, &path, "[[pool]].count") else { continue };
                let id = pool_ids.get(k.get_ref().as_str());
                match id.and_then(|id| pools.iter_mut().find(|x| x.0 == *id)) {
                    Some(entry) if key == "min" => entry.1 = n as u32,
                    Some(entry) => entry.2 = n as u32,
                    None if !pools_complete => {}
                    None => {
                        c.err::<()>(k.span(), path, format!("{:?} is not one of this shift's `pools`", k.get_ref()));
                    }
                }
            }
        }
        for &(id, lo, hi) in &pools {
            if lo > hi {
                let span = s.max.as_ref().map_or(s.pools.span(), |m| m.span());
                let pool = r.pools[id].get_ref().name.get_ref();
                c.err::<()>(span, format!("{p}.max"), format!("pool {pool:?}: max {hi} is below min {lo}"));
            }
        }
        // Starts on the grid, each leaving room for the shift and its lunch.
        let mut starts: Vec<f64> = Vec::new();
        let list = s.starts.get_ref();
        if list.is_empty() || list.len() > MAX_STARTS {
            c.err::<()>(
                s.starts.span(),
                format!("{p}.starts"),
                format!("must list 1 to {MAX_STARTS} start times, got {}", list.len()),
            );
        }
        for (j, v) in list.iter().enumerate() {
            let path = format!("{p}.starts[{j}]");
            let Some(t) = c.clock(v, &path) else { continue };
            if !on_grid(t) {
                c.err::<()>(
                    v.span(),
                    path,
                    format!(
                        "{} is not on the planning grid: `hall.opens` ({}) plus whole intervals of {step} minutes",
                        clock(t),
                        clock(hours.opens)
                    ),
                );
            } else if starts.last().is_some_and(|&last| t <= last) {
                c.err::<()>(v.span(), path, "start times must be in ascending order without repeats");
            } else if length.is_some_and(|l| t + l > hours.staff_until) {
                c.err::<()>(
                    v.span(),
                    path,
                    format!(
                        "a shift starting at {} ends at {}, after the staffed hours end ({})",
                        clock(t),
                        clock(t + length.unwrap_or(0.0)),
                        clock(hours.staff_until)
                    ),
                );
            } else {
                starts.push(t);
            }
        }
        let window = match lunch {
            Some(l) if l > 0.0 => {
                let mut bound = |v: &Option<S<String>>, key: &str| match v {
                    Some(v) => c.clock(v, &format!("{p}.{key}")).and_then(|t| {
                        if on_grid(t) {
                            Some(t)
                        } else {
                            c.err(v.span(), format!("{p}.{key}"), format!("{} is not on the planning grid", clock(t)))
                        }
                    }),
                    None => c.err(
                        s.name.span(),
                        format!("{p}.{key}"),
                        format!("a shift with a lunch needs `{key}` (\"HH:MM\")"),
                    ),
                };
                let (from, to) = (bound(&s.lunch_earliest, "lunch_earliest"), bound(&s.lunch_latest, "lunch_latest"));
                match (from, to) {
                    (Some(a), Some(b)) if b < a => c.err(
                        s.lunch_latest.as_ref().map_or(s.name.span(), |v| v.span()),
                        format!("{p}.lunch_latest"),
                        format!("must not be earlier than lunch_earliest ({}), got {}", clock(a), clock(b)),
                    ),
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                }
            }
            Some(_) => Some((0.0, 0.0)),
            None => None,
        };
        if let (Some(l), Some((a, b)), Some(len)) = (lunch, window, length)
            && l > 0.0
        {
            for &t in &starts {
                if interval.is_some() && lunch_starts(t, len, l, (a, b), step).is_empty() {
                    c.err::<()>(
                        s.starts.span(),
                        format!("{p}.starts"),
                        format!(
                            "a shift starting at {} has no lunch start between {} and {} that ends inside the shift",
                            clock(t),
                            clock(a),
                            clock(b)
                        ),
                    );
                }
            }
        }
        match (name, length, lunch, cost, window) {
            (Some(name), Some(length), Some(lunch), Some(cost_per_hour), Some(lunch_window)) => {
                shifts.push(ShiftTemplate { name, pools, starts, length, lunch, lunch_window, cost_per_hour })
            }
            _ => ok = false,
        }
    }
    let interval = interval?;
    ok.then_some(Some(Planning { interval, shifts }))
}

/// The lunch starts a shift starting at `start` may take: on the grid inside
/// `window`, with the whole lunch inside the shift.
pub fn lunch_starts(start: f64, length: f64, lunch: f64, window: (f64, f64), interval: f64) -> Vec<f64> {
    if lunch <= 0.0 {
        return vec![f64::NAN];
    }
    let mut out = Vec::new();
    let mut t = window.0;
    while t <= window.1 {
        if t >= start && t + lunch <= start + length {
            out.push(t);
        }
        t += interval;
    }
    out
}

//! `[[case_type]]`: each type's share, route, service and hand-off times,
//! patience and the practices that apply to it.

use super::*;

pub(super) fn check_case_types(
    c: &mut Checker,
    r: &RawScenario,
    stages: &Stages,
    documents: &Option<(Documents, f64)>,
) -> Vec<CaseType> {
    let stage_present = &stages.present;
    // [[case_type]]
    if r.case_types.is_empty() && !r.unreadable.contains("case_type") {
        c.err::<()>(
            r.file_span.start..r.file_span.start,
            "case_type",
            "no case types: add at least one [[case_type]] with `name`, `share`, `route` and `service`",
        );
    }
    let mut case_types = Vec::new();
    let mut share_sum = 0.0;
    for (i, t) in r.case_types.iter().enumerate() {
        let t = t.get_ref();
        let p = format!("case_type[{i}]");
        let name = c.ident(&t.name, &format!("{p}.name"));
        let share = c.num(&t.share, &format!("{p}.share"));
        share_sum += t.share.get_ref();
        let priority = match &t.priority {
            Some(v) => c.int(v, &format!("{p}.priority")),
            None => Some(0),
        };
        let counts = t.counts_toward_target.as_ref().is_none_or(|v| *v.get_ref());
        let outside_share = match &t.outside_share {
            Some(v) => c.num(v, &format!("{p}.outside_share")),
            None => Some(0.0),
        };
        let route_raw = t.route.get_ref();
        if route_raw.is_empty() || route_raw.len() > MAX_ROUTE {
            c.err::<()>(
                t.route.span(),
                format!("{p}.route"),
                format!("must list 1 to {MAX_ROUTE} stages, got {}", route_raw.len()),
            );
        }
        let services = t.service.get_ref();
        let mut route = Vec::new();
        let mut route_stage_ids = Vec::new();
        let mut ok = true;
        for (j, s) in route_raw.iter().enumerate() {
            let Some(id) = stages.lookup(c, s, format!("{p}.route[{j}]")) else {
                ok = false;
                continue;
            };
            match services.iter().find(|(k, _)| k.get_ref() == s.get_ref()) {
                Some((_, d)) => match c.dist(d, &format!("{p}.service.{}", s.get_ref())) {
                    Some(service) => {
                        route_stage_ids.push(id);
                        route.push(Step { stage: id, service, handoff: None, parallel: false, later: false })
                    }
                    None => ok = false,
                },
                None => {
                    ok = false;
                    c.err::<()>(t.service.span(), format!("{p}.service"), format!("no service time for stage {:?}: add `service.{} = {{ dist = \"lognormal\", mean = ..., cv = ... }}`", s.get_ref(), s.get_ref()));
                }
            }
        }
        if let Some(h) = &t.handoff {
            for (k, d) in h.get_ref() {
                let path = format!("{p}.handoff.{}", k.get_ref());
                match route_raw.iter().position(|s| s.get_ref() == k.get_ref()) {
                    Some(0) => {
                        ok = false;
                        c.err::<()>(
                            k.span(),
                            path,
                            "a hand-off leads into a later stage; the first stage of the route starts at the ticket",
                        );
                    }
                    Some(j) => match (c.dist(d, &path), route.get_mut(j)) {
                        (Some(dist), Some(step)) => step.handoff = Some(dist),
                        _ => ok = false,
                    },
                    None => {
                        ok = false;
                        c.err::<()>(
                            k.span(),
                            path,
                            format!("stage {:?} is not on this case type's route", k.get_ref()),
                        );
                    }
                }
            }
        }
        let on_route: BTreeSet<&str> = route_raw.iter().map(|s| s.get_ref().as_str()).collect();
        for k in services.keys() {
            if !on_route.contains(k.get_ref().as_str()) {
                ok = false;
                c.err::<()>(
                    k.span(),
                    format!("{p}.service.{}", k.get_ref()),
                    format!("stage {:?} is not on this case type's route {:?}", k.get_ref(), on_route),
                );
            }
        }
        let patience = t.patience.as_ref().map(|d| c.dist(d, &format!("{p}.patience")));
        let never_leave_share = match &t.never_leave_share {
            Some(v) => c.num(v, &format!("{p}.never_leave_share")),
            None => Some(0.0),
        };
        let problem_share = match (&t.problem_share, documents) {
            (Some(v), Some(_)) => c.num(v, &format!("{p}.problem_share")),
            (Some(_), None) if r.unreadable.contains("documents") => None,
            (Some(v), None) => c.err(
                v.span(),
                format!("{p}.problem_share"),
                "document problems need a [documents] section (what happens to a case with a problem)",
            ),
            (None, Some(d)) => Some(d.1),
            (None, None) => Some(0.0),
        };
        for (key, list) in [("parallel", &t.parallel), ("later", &t.later)] {
            let Some(list) = list else { continue };
            for (j, v) in list.get_ref().iter().enumerate() {
                let path = format!("{p}.{key}[{j}]");
                let Some(pos) = route_raw.iter().position(|s| s.get_ref() == v.get_ref()) else {
                    ok = false;
                    c.err::<()>(v.span(), path, format!("stage {:?} is not on this case type's route", v.get_ref()));
                    continue;
                };
                if route.len() != route_raw.len() {
                    continue;
                }
                let step = &mut route[pos];
                let back_office = |id: StageId| stage_present.get(id).is_none_or(|present| !present);
                let problem = if !back_office(step.stage) {
                    let why = if key == "parallel" {
                        "the person cannot be in two places"
                    } else {
                        "the person has gone home"
                    };
                    Some(format!("must be a back-office stage (`present = false`): {why}"))
                } else if key == "parallel" && pos + 1 == route_raw.len() {
                    Some("a parallel step runs beside the next step; it cannot be the last".to_string())
                } else if key == "later" && !route_stage_ids[pos..].iter().all(|&id| back_office(id)) {
                    Some("every stage from a later step on must be back office: the person has gone home".to_string())
                } else {
                    None
                };
                match problem {
                    Some(m) => {
                        ok = false;
                        c.err::<()>(v.span(), path, m);
                    }
                    None if key == "parallel" => step.parallel = true,
                    None => step.later = true,
                }
            }
        }
        let steps = &route;
        if steps.windows(2).any(|w| w[0].parallel && (w[1].parallel || w[1].later))
            || steps.iter().any(|s| s.parallel && s.later)
        {
            ok = false;
            c.err::<()>(
                t.route.span(),
                format!("{p}.route"),
                "a parallel step joins the next step; that step may not be parallel or later itself",
            );
        }
        let label = c.label(&t.label, &format!("case_type[{i}].label"), t.name.get_ref());
        let label_zh = label.as_ref().and_then(|l| c.label(&t.label_zh, &format!("case_type[{i}].label_zh"), l));
        if let (
            Some(name),
            Some(share),
            Some(priority),
            Some(outside_share),
            Some(never_leave_share),
            Some(problem_share),
            true,
        ) = (
            name,
            share,
            priority,
            outside_share,
            never_leave_share,
            problem_share,
            ok && !matches!(patience, Some(None)),
        ) && let (Some(label), Some(label_zh)) = (label, label_zh)
        {
            case_types.push(CaseType {
                name,
                label,
                label_zh,
                share,
                counts_toward_target: counts,
                priority: priority as u8,
                outside_share,
                patience: patience.flatten(),
                never_leave_share,
                problem_share,
                route,
            });
        }
    }
    if !r.case_types.is_empty() && !r.unreadable.contains("case_type") && (share_sum - 1.0).abs() > SHARE_TOLERANCE {
        let first = r.case_types[0].get_ref().share.span();
        c.err::<()>(
            first,
            "case_type[*].share",
            format!("the case-type shares sum to {share_sum:.6}; they must sum to 1"),
        );
    }

    case_types
}

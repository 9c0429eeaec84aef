//! `[[stage]]`, `[[site]]`, `[city]` and `[[pool]]`: the work, the halls and
//! the staff, and the check that every stage a case needs has staff for it.

use super::*;

/// The stages as checked, with what later sections need to refer to them.
pub(super) struct Stages<'a> {
    pub list: Vec<Stage>,
    ids: BTreeMap<String, usize>,
    pub names: Vec<&'a str>,
    /// Whether every entry could be read (else unknown names are not reported).
    complete: bool,
    /// Whether each stage needs the person there (as written, even if invalid).
    pub present: Vec<bool>,
}

impl Stages<'_> {
    /// Finds a stage by name, or reports the name (with the path) as unknown.
    pub fn lookup(&self, c: &mut Checker, v: &S<String>, path: String) -> Option<StageId> {
        match self.ids.get(v.get_ref()) {
            Some(&id) => Some(id),
            None if !self.complete => None,
            None => {
                c.err(v.span(), path, format!("unknown stage {:?}; the stages are {}", v.get_ref(), names(&self.names)))
            }
        }
    }

    pub fn id(&self, name: &str) -> Option<StageId> {
        self.ids.get(name).copied()
    }
}

pub(super) fn check_stages<'a>(c: &mut Checker, r: &'a RawScenario) -> Stages<'a> {
    // [[stage]]
    let stages_complete = !r.unreadable.contains("stage");
    if r.stages.is_empty() && stages_complete {
        c.err::<()>(
            r.file_span.start..r.file_span.start,
            "stage",
            "no stages: add at least one [[stage]] with a `name`",
        );
    }
    let stage_ids = c.unique_names("stage", r.stages.iter().enumerate().map(|(i, s)| (i, &s.get_ref().name)));
    let mut stages = Vec::new();
    for (i, s) in r.stages.iter().enumerate() {
        let s = s.get_ref();
        let name = c.ident(&s.name, &format!("stage[{i}].name"));
        let budget = match &s.budget_minutes {
            Some(v) => c.num(v, &format!("stage[{i}].budget_minutes")),
            None => Some(DEFAULT_BUDGET),
        };
        let present = s.present.as_ref().is_none_or(|p| *p.get_ref());
        let label = c.label(&s.label, &format!("stage[{i}].label"), s.name.get_ref());
        let label_zh = label.as_ref().and_then(|l| c.label(&s.label_zh, &format!("stage[{i}].label_zh"), l));
        if let (Some(name), Some(budget), Some(label), Some(label_zh)) = (name, budget, label, label_zh) {
            stages.push(Stage { name, label, label_zh, budget, present });
        }
    }
    let stage_list: Vec<&str> = r.stages.iter().map(|s| s.get_ref().name.get_ref().as_str()).collect();
    let stage_present: Vec<bool> =
        r.stages.iter().map(|s| s.get_ref().present.as_ref().is_none_or(|p| *p.get_ref())).collect();
    Stages { list: stages, ids: stage_ids, names: stage_list, complete: stages_complete, present: stage_present }
}

/// The halls of a city as checked.
pub(super) struct Sites<'a> {
    pub list: Vec<Site>,
    ids: BTreeMap<String, usize>,
    pub names: Vec<&'a str>,
    pub shortest_queue_share: Option<f64>,
}

pub(super) fn check_sites<'a>(c: &mut Checker, r: &'a RawScenario) -> Sites<'a> {
    // [[site]] and [city]
    let site_ids = c.unique_names("site", r.sites.iter().enumerate().map(|(i, s)| (i, &s.get_ref().name)));
    let site_list: Vec<&str> = r.sites.iter().map(|s| s.get_ref().name.get_ref().as_str()).collect();
    let mut sites = Vec::new();
    let mut site_share_sum = 0.0;
    for (i, v) in r.sites.iter().enumerate() {
        let v = v.get_ref();
        let name = c.ident(&v.name, &format!("site[{i}].name"));
        let share = c.num(&v.share, &format!("site[{i}].share"));
        site_share_sum += v.share.get_ref();
        let label = c.label(&v.label, &format!("site[{i}].label"), v.name.get_ref());
        let label_zh = label.as_ref().and_then(|l| c.label(&v.label_zh, &format!("site[{i}].label_zh"), l));
        if let (Some(name), Some(share), Some(label), Some(label_zh)) = (name, share, label, label_zh) {
            sites.push(Site { name, label, label_zh, share });
        }
    }
    if let Some(first) = r.sites.first()
        && !r.unreadable.contains("site")
        && (site_share_sum - 1.0).abs() > SHARE_TOLERANCE
    {
        c.err::<()>(
            first.get_ref().share.span(),
            "site[*].share",
            format!("the site shares sum to {site_share_sum:.6}; they must sum to 1"),
        );
    }
    let shortest_queue_share = match r.city.as_ref().and_then(|v| v.get_ref().shortest_queue_share.as_ref()) {
        Some(v) if r.sites.is_empty() => c.err(
            v.span(),
            "city.shortest_queue_share",
            "needs two or more [[site]] entries (the halls people choose between)",
        ),
        Some(v) => c.num(v, "city.shortest_queue_share"),
        None => Some(0.0),
    };

    Sites { list: sites, ids: site_ids, names: site_list, shortest_queue_share }
}

pub(super) fn check_pools(c: &mut Checker, r: &RawScenario, stages: &Stages, sites: &Sites, run: &Run) -> Vec<Pool> {
    let (continuous, hours) = (run.continuous, run.hours);
    let (stage_list, site_ids, site_list) = (&stages.names, &sites.ids, &sites.names);
    // [[pool]]
    if r.pools.is_empty() && !r.unreadable.contains("pool") {
        c.err::<()>(
            r.file_span.start..r.file_span.start,
            "pool",
            "no pools: add at least one [[pool]] with `name`, `count` and `stages`",
        );
    }
    c.unique_names("pool", r.pools.iter().enumerate().map(|(i, p)| (i, &p.get_ref().name)));
    let type_ids = c.unique_names("case_type", r.case_types.iter().enumerate().map(|(i, t)| (i, &t.get_ref().name)));
    let type_list: Vec<&str> = r.case_types.iter().map(|t| t.get_ref().name.get_ref().as_str()).collect();
    let types_complete = !r.unreadable.contains("case_type");
    let mut pools = Vec::new();
    for (i, p) in r.pools.iter().enumerate() {
        let p = p.get_ref();
        let name = c.ident(&p.name, &format!("pool[{i}].name"));
        let count = c.int(&p.count, &format!("pool[{i}].count"));
        let mut served = Vec::new();
        if p.stages.get_ref().is_empty() {
            c.err::<()>(
                p.stages.span(),
                format!("pool[{i}].stages"),
                format!("must name at least one stage; the stages are {}", names(stage_list)),
            );
        }
        for (j, s) in p.stages.get_ref().iter().enumerate() {
            if let Some(id) = stages.lookup(c, s, format!("pool[{i}].stages[{j}]")) {
                if served.contains(&id) {
                    c.err::<()>(
                        s.span(),
                        format!("pool[{i}].stages[{j}]"),
                        format!("stage {:?} is listed twice", s.get_ref()),
                    );
                }
                served.push(id);
            }
        }
        let case_types = match &p.case_types {
            None => (0..r.case_types.len()).collect(),
            Some(list) => {
                if list.get_ref().is_empty() {
                    c.err::<()>(
                        list.span(),
                        format!("pool[{i}].case_types"),
                        "must name at least one case type, or be removed (all types)",
                    );
                }
                let mut ids = Vec::new();
                for (j, t) in list.get_ref().iter().enumerate() {
                    match type_ids.get(t.get_ref()) {
                        Some(&id) if ids.contains(&id) => {
                            c.err::<()>(
                                t.span(),
                                format!("pool[{i}].case_types[{j}]"),
                                format!("case type {:?} is listed twice", t.get_ref()),
                            );
                        }
                        Some(&id) => ids.push(id),
                        None if !types_complete => {}
                        None => {
                            c.err::<()>(
                                t.span(),
                                format!("pool[{i}].case_types[{j}]"),
                                format!(
                                    "unknown case type {:?}; the case types are {}",
                                    t.get_ref(),
                                    names(&type_list)
                                ),
                            );
                        }
                    }
                }
                ids
            }
        };
        let mut schedule = Vec::new();
        if let Some(entries) = &p.schedule {
            if continuous {
                c.err::<()>(
                    entries.span(),
                    format!("pool[{i}].schedule"),
                    "applies only to operating days (`simulation.days`)",
                );
            }
            for (j, e) in entries.get_ref().iter().enumerate() {
                let path = format!("pool[{i}].schedule[{j}]");
                let from = c.clock(&e.from, &format!("{path}.from"));
                let to = c.clock(&e.to, &format!("{path}.to"));
                let n = c.int_as(&e.count, &format!("{path}.count"), "[[pool]].count");
                let (Some(from), Some(to), Some(n)) = (from, to, n) else { continue };
                if to <= from {
                    c.err::<()>(
                        e.to.span(),
                        format!("{path}.to"),
                        format!("must be later than `from` ({}), got {}", clock(from), clock(to)),
                    );
                } else if hours.is_some_and(|h| from < h.opens || to > h.staff_until) {
                    let h = hours.unwrap_or(HallHours { opens: 0.0, last_ticket: 0.0, staff_until: 0.0 });
                    c.err::<()>(
                        e.from.span(),
                        path,
                        format!(
                            "{}-{} lies outside the staffed hours {}-{}",
                            clock(from),
                            clock(to),
                            clock(h.opens),
                            clock(h.staff_until)
                        ),
                    );
                } else if schedule.last().is_some_and(|&(_, end, _): &(f64, f64, u32)| from < end) {
                    c.err::<()>(
                        e.from.span(),
                        format!("{path}.from"),
                        "overlaps or precedes the previous entry; list entries in time order without overlap",
                    );
                } else {
                    schedule.push((from, to, n as u32));
                }
            }
        }
        let site = match (&p.site, r.sites.is_empty()) {
            // A [[site]] entry could not be read: already reported.
            _ if r.unreadable.contains("site") => None,
            (None, true) => Some(0),
            (Some(v), true) => {
                c.err(v.span(), format!("pool[{i}].site"), "there are no [[site]] entries; remove `site`")
            }
            (None, false) => c.err(
                p.name.span(),
                format!("pool[{i}]"),
                format!("with several halls every pool needs `site`, one of {}", names(site_list)),
            ),
            (Some(v), false) => match site_ids.get(v.get_ref()) {
                Some(&id) => Some(id),
                None => c.err(
                    v.span(),
                    format!("pool[{i}].site"),
                    format!("unknown site {:?}; the sites are {}", v.get_ref(), names(site_list)),
                ),
            },
        };
        let label = c.label(&p.label, &format!("pool[{i}].label"), p.name.get_ref());
        let label_zh = label.as_ref().and_then(|l| c.label(&p.label_zh, &format!("pool[{i}].label_zh"), l));
        let cost_per_hour = match &p.cost_per_hour {
            Some(v) => c.num_as(v, &format!("pool[{i}].cost_per_hour"), "[[pool]].cost_per_hour"),
            None => Some(1.0),
        };
        if let (Some(name), Some(count), Some(site), Some(label), Some(label_zh), Some(cost_per_hour)) =
            (name, count, site, label, label_zh, cost_per_hour)
        {
            let count = count as u32;
            pools.push(Pool {
                name,
                label,
                label_zh,
                count,
                schedule,
                stages: served,
                case_types,
                site,
                cost_per_hour,
            });
        }
    }

    pools
}

/// Every stage on every route, and the guides' and follow-up stages, must be
/// served by staff who take that case type (at every hall).
pub(super) fn check_staffing(c: &mut Checker, r: &RawScenario, stages: &Stages, sites: &Sites) {
    let (stage_list, site_list) = (&stages.names, &sites.names);
    let extra: Vec<&S<String>> = r
        .pre_review
        .iter()
        .map(|p| &p.get_ref().stage)
        .chain(r.documents.iter().filter_map(|d| d.get_ref().follow_up_stage.as_ref()))
        .collect();
    let site_names: Vec<Option<&str>> =
        if r.sites.is_empty() { vec![None] } else { site_list.iter().map(|n| Some(*n)).collect() };
    if !r.unreadable.contains("pool") {
        for site in &site_names {
            for (t, ct) in r.case_types.iter().enumerate() {
                let ct = ct.get_ref();
                for s in ct.route.get_ref().iter().chain(extra.iter().copied()) {
                    let Some(id) = stages.id(s.get_ref()) else { continue };
                    let staffed: i64 = r
                        .pools
                        .iter()
                        .map(|p| p.get_ref())
                        .filter(|p| site.is_none_or(|n| p.site.as_ref().is_some_and(|x| x.get_ref() == n)))
                        .filter(|p| p.stages.get_ref().iter().any(|x| x.get_ref() == s.get_ref()))
                        .filter(|p| {
                            p.case_types
                                .as_ref()
                                .is_none_or(|l| l.get_ref().iter().any(|x| x.get_ref() == ct.name.get_ref()))
                        })
                        .map(|p| {
                            // A negative count is reported at the pool; it is no second mistake here.
                            if *p.count.get_ref() < 0 {
                                return 1;
                            }
                            let scheduled =
                                p.schedule.iter().flat_map(|l| l.get_ref().iter().map(|e| *e.count.get_ref()));
                            scheduled.fold(*p.count.get_ref(), i64::max).max(0)
                        })
                        .sum();
                    if staffed == 0 {
                        let at = site.map_or(String::new(), |n| format!(" at site {n:?}"));
                        c.err::<()>(
                            s.span(),
                            format!("case_type[{t}].route"),
                            format!(
                                "no pool with staff serves stage {:?} for case type {:?}{at}; add both to a pool's `stages` and `case_types` (or leave `case_types` out) with `count` >= 1",
                                stage_list[id],
                                ct.name.get_ref()
                            ),
                        );
                    }
                }
            }
        }
    }
}

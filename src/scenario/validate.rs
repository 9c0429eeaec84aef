//! From the raw mirror to the trusted model. Every check runs, and every
//! failure becomes a [`Diagnostic`] with the span of the value at fault, so a
//! user sees all mistakes of a file at once.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::diagnostic::Diagnostic;
use super::model::*;
use super::raw::{self, S};
use super::schema;
use crate::dist::Dist;

/// The raw sections of one file, each already deserialized (or absent).
#[derive(Debug, Default)]
pub struct RawScenario {
    pub name: Option<S<String>>,
    pub description: Option<S<String>>,
    pub simulation: Option<S<raw::Simulation>>,
    pub hall: Option<S<raw::Hall>>,
    pub targets: Option<S<raw::Targets>>,
    pub arrivals: Option<S<raw::Arrivals>>,
    pub returns: Option<S<raw::Returns>>,
    pub appointments: Option<S<raw::Appointments>>,
    pub calling: Option<S<raw::Calling>>,
    pub documents: Option<S<raw::Documents>>,
    pub pre_review: Option<S<raw::PreReview>>,
    pub sites: Vec<S<raw::Site>>,
    pub city: Option<S<raw::City>>,
    pub stages: Vec<S<raw::Stage>>,
    pub pools: Vec<S<raw::Pool>>,
    pub case_types: Vec<S<raw::CaseType>>,
    /// Span of the whole file, for problems that belong to no key.
    pub file_span: Range<usize>,
    /// Top-level keys with an entry that could not be read; checks that
    /// need all their entries are skipped, so no false problem is reported.
    pub unreadable: BTreeSet<String>,
}

/// Tolerance on shares that must sum to 1.
const SHARE_TOLERANCE: f64 = 1e-6;
/// Default stage budget, minutes.
pub const DEFAULT_BUDGET: f64 = 20.0;
/// Default completion target, minutes.
pub const DEFAULT_COMPLETION_TARGET: f64 = 60.0;
/// Longest duration or duration target, minutes: the bound distributions keep.
pub const MAX_DURATION_MINUTES: f64 = crate::dist::MAX_MINUTES;
/// Most entries of `targets.wait_minutes`.
pub const MAX_WAIT_TARGETS: usize = 10;
/// Default replications.
pub const DEFAULT_REPLICATIONS: u32 = 100;
/// Default master seed.
pub const DEFAULT_SEED: u64 = 1;

struct Checker {
    diags: Vec<Diagnostic>,
}

impl Checker {
    fn err<T>(&mut self, span: Range<usize>, path: impl Into<String>, msg: impl Into<String>) -> Option<T> {
        self.diags.push(Diagnostic::new(Some(span), path, msg));
        None
    }

    /// A number within the limit the key reference gives `path`.
    fn num(&mut self, v: &S<f64>, path: &str) -> Option<f64> {
        self.num_as(v, path, path)
    }

    /// A number at `path` within the limit of the reference's key `key`.
    fn num_as(&mut self, v: &S<f64>, path: &str, key: &str) -> Option<f64> {
        let x = *v.get_ref();
        let k = schema::lookup(key).unwrap_or_else(|| panic!("{key} is not in the key reference"));
        if k.limit.allows(x) {
            Some(x)
        } else {
            self.err(v.span(), path, format!("must be {}, got {}", k.allowed_with_unit(), short(x)))
        }
    }

    /// An integer within the limit the key reference gives `path`.
    fn int(&mut self, v: &S<i64>, path: &str) -> Option<i64> {
        self.int_as(v, path, path)
    }

    /// An integer at `path` within the limit of the reference's key `key`.
    fn int_as(&mut self, v: &S<i64>, path: &str, key: &str) -> Option<i64> {
        let x = *v.get_ref();
        let k = schema::lookup(key).unwrap_or_else(|| panic!("{key} is not in the key reference"));
        if k.limit.allows_int(x) {
            Some(x)
        } else {
            self.err(v.span(), path, format!("must be {}, got {x}", k.allowed_with_unit()))
        }
    }

    fn clock(&mut self, v: &S<String>, path: &str) -> Option<f64> {
        match parse_clock(v.get_ref()) {
            Some(m) => Some(m),
            None => self.err(
                v.span(),
                path,
                format!("must be a time of day \"HH:MM\" from \"00:00\" to \"24:00\", got {:?}", v.get_ref()),
            ),
        }
    }

    fn ident(&mut self, v: &S<String>, path: &str) -> Option<String> {
        let s = v.get_ref();
        if is_name(s) {
            Some(s.clone())
        } else {
            self.err(
                v.span(),
                path,
                format!(
                    "must be a name of 1 to {MAX_NAME_LEN} letters, digits, '_' and '-' (it names output columns and folders), got {s:?}"
                ),
            )
        }
    }

    fn dist(&mut self, v: &S<raw::RawDist>, path: &str) -> Option<Dist> {
        let built = match v.get_ref() {
            raw::RawDist::Exponential { mean } => Dist::exponential(*mean),
            raw::RawDist::Deterministic { value } => Dist::deterministic(*value),
            raw::RawDist::Uniform { min, max } => Dist::uniform(*min, *max),
            raw::RawDist::Triangular { min, mode, max } => Dist::triangular(*min, *mode, *max),
            raw::RawDist::Lognormal { mean, cv } => Dist::lognormal(*mean, *cv),
            raw::RawDist::Gamma { mean, cv } => Dist::gamma(*mean, *cv),
            raw::RawDist::Empirical { values } => Dist::empirical(values.clone()),
        };
        match built {
            Ok(d) => Some(d),
            Err(m) => self.err(v.span(), path, m),
        }
    }

    fn unique_names<'a>(
        &mut self,
        kind: &str,
        names: impl Iterator<Item = (usize, &'a S<String>)>,
    ) -> BTreeMap<String, usize> {
        let mut seen = BTreeMap::new();
        for (i, n) in names {
            if seen.insert(n.get_ref().clone(), i).is_some() {
                self.err::<()>(
                    n.span(),
                    format!("{kind}[{i}].name"),
                    format!("{kind} name {:?} is used twice; names must be unique", n.get_ref()),
                );
            }
        }
        seen
    }
}

/// Longest name of a scenario, stage, pool, case type or hall: names become
/// folder and file names, which file systems limit to 255 bytes.
pub const MAX_NAME_LEN: usize = 100;

/// Whether `s` is a name: 1 to [`MAX_NAME_LEN`] ASCII letters, digits, `_`, `-`.
pub fn is_name(s: &str) -> bool {
    (1..=MAX_NAME_LEN).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A number as a person reads it: exponent notation when very large.
fn short(x: f64) -> String {
    if x.abs() >= 1e7 { format!("{x:e}") } else { format!("{x}") }
}

/// Parses `HH:MM` into minutes after midnight.
pub fn parse_clock(s: &str) -> Option<f64> {
    let (h, m) = s.split_once(':')?;
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !digits(h) || !digits(m) {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return None;
    }
    Some(f64::from(h * 60 + m))
}

fn names(list: &[&str]) -> String {
    list.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Checks everything and builds the model, or returns every problem found.
pub fn validate(r: RawScenario, default_name: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let mut c = Checker { diags: Vec::new() };

    let name = match &r.name {
        Some(n) => c.ident(n, "name"),
        None if is_name(default_name) => Some(default_name.to_string()),
        None => c.err(
            r.file_span.start..r.file_span.start,
            "name",
            format!("the file's name {default_name:?} is too long for an output folder; add a `name` key of at most {MAX_NAME_LEN} letters"),
        ),
    };
    let description = r.description.as_ref().map(|d| d.get_ref().clone()).unwrap_or_default();

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

    // [arrivals]
    let arrivals = check_arrivals(&mut c, &r, continuous, hours);

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
        if let (Some(name), Some(budget)) = (name, budget) {
            stages.push(Stage { name, budget, present });
        }
    }
    let stage_list: Vec<&str> = r.stages.iter().map(|s| s.get_ref().name.get_ref().as_str()).collect();
    let lookup_stage = |c: &mut Checker, v: &S<String>, path: String| -> Option<StageId> {
        match stage_ids.get(v.get_ref()) {
            Some(&id) => Some(id),
            None if !stages_complete => None,
            None => {
                c.err(v.span(), path, format!("unknown stage {:?}; the stages are {}", v.get_ref(), names(&stage_list)))
            }
        }
    };

    let stage_present: Vec<bool> =
        r.stages.iter().map(|s| s.get_ref().present.as_ref().is_none_or(|p| *p.get_ref())).collect();
    let Practices { returns, closing, calling, documents, pre_review, appointments } =
        check_practices(&mut c, &r, hours, &stage_present, &lookup_stage);
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
        if let (Some(name), Some(share)) = (name, share) {
            sites.push(Site { name, share });
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
                format!("must name at least one stage; the stages are {}", names(&stage_list)),
            );
        }
        for (j, s) in p.stages.get_ref().iter().enumerate() {
            if let Some(id) = lookup_stage(&mut c, s, format!("pool[{i}].stages[{j}]")) {
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
                format!("with several halls every pool needs `site`, one of {}", names(&site_list)),
            ),
            (Some(v), false) => match site_ids.get(v.get_ref()) {
                Some(&id) => Some(id),
                None => c.err(
                    v.span(),
                    format!("pool[{i}].site"),
                    format!("unknown site {:?}; the sites are {}", v.get_ref(), names(&site_list)),
                ),
            },
        };
        if let (Some(name), Some(count), Some(site)) = (name, count, site) {
            pools.push(Pool { name, count: count as u32, schedule, stages: served, case_types, site });
        }
    }

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
            let Some(id) = lookup_stage(&mut c, s, format!("{p}.route[{j}]")) else {
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
        let problem_share = match (&t.problem_share, &documents) {
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
        ) {
            case_types.push(CaseType {
                name,
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

    // Every stage on every route, and the guides' and follow-up stages, must
    // be served by staff who take that case type.
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
                    let Some(&id) = stage_ids.get(s.get_ref()) else { continue };
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

    let out = (name, horizon, replications, seed, max_arrivals, completion_target, arrivals, hall_capacity);
    let practices = (closing, returns, calling, shortest_queue_share);
    match (out, practices) {
        (
            (
                Some(name),
                Some(horizon),
                Some(reps),
                Some(seed),
                Some(max_arrivals),
                Some(target),
                Some(arrivals),
                Some(hall_capacity),
            ),
            (Some(closing), Some(returns), Some(calling), Some(shortest_queue_share)),
        ) if c.diags.is_empty() => Ok(Scenario {
            name,
            description,
            horizon,
            max_arrivals,
            replications: reps as u32,
            seed: seed as u64,
            completion_target: target,
            wait_targets,
            hall_capacity,
            closing,
            returns,
            arrivals,
            appointments: appointments.flatten(),
            calling,
            documents: documents.map(|(d, _)| d),
            pre_review: pre_review.flatten(),
            stages,
            pools,
            case_types,
            sites,
            shortest_queue_share,
        }),
        _ => {
            c.diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
            Err(c.diags)
        }
    }
}

/// Finds a stage by name, or reports the name (with the path) as unknown.
type StageLookup<'a> = dyn Fn(&mut Checker, &S<String>, String) -> Option<StageId> + 'a;

/// The practices' sections: what the engine may trust of them.
struct Practices {
    returns: Option<Returns>,
    closing: Option<Closing>,
    calling: Option<Calling>,
    documents: Option<(Documents, f64)>,
    pre_review: Option<Option<PreReview>>,
    appointments: Option<Option<Appointments>>,
}

/// Checks `[returns]`, `hall.closing`, `[calling]`, `[documents]` (with the
/// default problem share of every case type), `[pre_review]` and `[appointments]`.
fn check_practices(
    c: &mut Checker,
    r: &RawScenario,
    hours: Option<HallHours>,
    stage_present: &[bool],
    lookup_stage: &StageLookup,
) -> Practices {
    let on_a_route =
        |name: &str| r.case_types.iter().any(|t| t.get_ref().route.get_ref().iter().any(|s| s.get_ref() == name));

    // [returns]
    let returns = {
        let raw = r.returns.as_ref().map(|v| v.get_ref());
        let share = match raw.and_then(|v| v.share.as_ref()) {
            Some(v) => c.num(v, "returns.share"),
            None => Some(1.0),
        };
        let after_days = match raw.and_then(|v| v.after_days.as_ref()) {
            Some(v) => c.int(v, "returns.after_days"),
            None => Some(1),
        };
        share.zip(after_days).map(|(share, d)| Returns { share, after_days: d as u32 })
    };

    // [hall].closing
    let closing = match r.hall.as_ref().and_then(|h| h.get_ref().closing.as_ref()) {
        None => Some(Closing::Extended),
        Some(v) => match v.get_ref().as_str() {
            "extended" => Some(Closing::Extended),
            "hard" => Some(Closing::Hard),
            other => c.err(
                v.span(),
                "hall.closing",
                format!("must be \"extended\" (serve everyone holding a ticket) or \"hard\" (send the rest home), got {other:?}"),
            ),
        },
    };

    // [calling]
    let calling = {
        let raw = r.calling.as_ref().map(|v| v.get_ref());
        let field = |f: fn(&raw::Calling) -> &Option<S<f64>>| raw.and_then(|v| f(v).as_ref());
        let absent_share = match field(|v| &v.absent_share) {
            Some(v) => c.num(v, "calling.absent_share"),
            None => Some(0.0),
        };
        let absent_call = match field(|v| &v.absent_call_minutes) {
            Some(v) => c.num(v, "calling.absent_call_minutes"),
            None => Some(1.0),
        };
        let balk_above = match field(|v| &v.balk_above_minutes) {
            Some(v) => c.num(v, "calling.balk_above_minutes").map(Some),
            None => Some(None),
        };
        let balk_share = match field(|v| &v.balk_share) {
            Some(v) => c.num(v, "calling.balk_share"),
            None => Some(1.0),
        };
        match (absent_share, absent_call, balk_above, balk_share) {
            (Some(absent_share), Some(absent_call), Some(balk_above), Some(balk_share)) => {
                Some(Calling { absent_share, absent_call, balk_above, balk_share })
            }
            _ => None,
        }
    };

    // [documents]: the model and the default problem share of every case type.
    let documents = r.documents.as_ref().and_then(|d| {
        let d = d.get_ref();
        let problem_share = c.num(&d.problem_share, "documents.problem_share");
        let fixed_share = c.num(&d.fixed_share, "documents.fixed_share");
        let fix_time = c.dist(&d.fix_time, "documents.fix_time");
        let accept_missing = d.accept_missing.as_ref().is_some_and(|v| *v.get_ref());
        let accept_missing_share = match &d.accept_missing_share {
            Some(v) => c.num(v, "documents.accept_missing_share"),
            None => Some(1.0),
        };
        let accept_missing_time = match &d.accept_missing_time {
            Some(v) => c.dist(v, "documents.accept_missing_time"),
            None => Some(Dist::ZERO),
        };
        let follow_up = match (&d.follow_up_stage, &d.follow_up_time) {
            (Some(st), Some(time)) => {
                let id = lookup_stage(c, st, "documents.follow_up_stage".into());
                let time = c.dist(time, "documents.follow_up_time");
                if id.is_some_and(|id| stage_present.get(id).copied().unwrap_or(false)) {
                    c.err::<()>(
                        st.span(),
                        "documents.follow_up_stage",
                        "must be a back-office stage (`present = false`): the paper follows without the person",
                    );
                }
                Some(id.zip(time))
            }
            (None, None) => Some(None),
            (Some(st), None) => c.err(st.span(), "documents.follow_up_stage", "set `follow_up_time` too"),
            (None, Some(t)) => c.err(t.span(), "documents.follow_up_time", "set `follow_up_stage` too"),
        };
        let docs = Documents {
            fixed_share: fixed_share?,
            fix_time: fix_time?,
            accept_missing,
            accept_missing_share: accept_missing_share?,
            accept_missing_time: accept_missing_time?,
            follow_up: follow_up?,
        };
        Some((docs, problem_share?))
    });

    // [pre_review]
    let pre_review = r.pre_review.as_ref().map(|v| {
        let v = v.get_ref();
        let stage = lookup_stage(c, &v.stage, "pre_review.stage".into());
        if on_a_route(v.stage.get_ref()) {
            c.err::<()>(
                v.stage.span(),
                "pre_review.stage",
                "is on a case type's route; pre-review needs a stage of its own, served by the guides",
            );
        }
        let share = c.num(&v.share, "pre_review.share");
        let service = c.dist(&v.service, "pre_review.service");
        let catch_share = c.num(&v.catch_share, "pre_review.catch_share");
        let window_time_factor = match &v.window_time_factor {
            Some(f) => c.num(f, "pre_review.window_time_factor"),
            None => Some(1.0),
        };
        Some(PreReview {
            stage: stage?,
            share: share?,
            service: service?,
            catch_share: catch_share?,
            window_time_factor: window_time_factor?,
        })
    });

    // [appointments]
    let appointments = r.appointments.as_ref().map(|v| {
        let span = v.span();
        let v = v.get_ref();
        let Some(h) = hours else {
            return c.err(span, "appointments", "apply only to operating days (`simulation.days`)");
        };
        let first = c.clock(&v.first_slot, "appointments.first_slot");
        let last = c.clock(&v.last_slot, "appointments.last_slot");
        let every = c.num(&v.every_minutes, "appointments.every_minutes");
        let per_slot = c.int(&v.per_slot, "appointments.per_slot");
        let no_show = match &v.no_show_share {
            Some(x) => c.num(x, "appointments.no_show_share"),
            None => Some(0.0),
        };
        let early = match &v.early_minutes {
            Some(x) => c.num(x, "appointments.early_minutes"),
            None => Some(0.0),
        };
        let lateness = match &v.lateness {
            Some(x) => c.dist(x, "appointments.lateness"),
            None => Some(Dist::ZERO),
        };
        let (first, last) = (first?, last?);
        if first < h.opens || last > h.last_ticket || last < first {
            return c.err(
                v.first_slot.span(),
                "appointments.first_slot",
                format!(
                    "slots {}-{} must lie in order inside the ticket hours {}-{}",
                    clock(first),
                    clock(last),
                    clock(h.opens),
                    clock(h.last_ticket)
                ),
            );
        }
        Some(Appointments {
            first_slot: first,
            last_slot: last,
            every: every?,
            per_slot: per_slot? as u32,
            no_show_share: no_show?,
            early: early?,
            lateness: lateness?,
        })
    });

    Practices { returns, closing, calling, documents, pre_review, appointments }
}

fn check_arrivals(c: &mut Checker, r: &RawScenario, continuous: bool, hours: Option<HallHours>) -> Option<Arrivals> {
    let Some(a) = &r.arrivals else {
        if r.unreadable.contains("arrivals") {
            return None;
        }
        return c.err(
            r.file_span.start..r.file_span.start,
            "arrivals",
            "missing [arrivals]: set `per_day` (with an optional `profile`), `rate_per_minute` or `interarrival`",
        );
    };
    let span = a.span();
    let a = a.get_ref();
    let given = [a.per_day.is_some(), a.rate_per_minute.is_some(), a.interarrival.is_some()];
    if given.iter().filter(|&&g| g).count() != 1 {
        return c.err(
            span,
            "arrivals",
            "set exactly one of `per_day` (with an optional `profile`), `rate_per_minute` or `interarrival`",
        );
    }
    let day_factors = match &a.day_factors {
        Some(f) => {
            if continuous {
                c.err::<()>(f.span(), "arrivals.day_factors", "applies only to operating days (`simulation.days`)");
            }
            if f.get_ref().is_empty() {
                c.err::<()>(f.span(), "arrivals.day_factors", "must hold at least one factor, or be removed");
            }
            let mut out = Vec::new();
            for (i, v) in f.get_ref().iter().enumerate() {
                out.extend(c.num(v, &format!("arrivals.day_factors[{i}]")));
            }
            out
        }
        None => Vec::new(),
    };
    if a.profile.is_some() && a.per_day.is_none() {
        return c.err(
            a.profile.as_ref().map_or(span, |p| p.span()),
            "arrivals.profile",
            "a profile shares out `per_day`: set `per_day` too",
        );
    }
    let process = if let Some(per_day) = &a.per_day {
        // Checked first, so a mistake here is reported even when the hours are wrong too.
        let value = c.num(per_day, "arrivals.per_day");
        let Some(hours) = hours else {
            if continuous {
                c.err::<()>(
                    per_day.span(),
                    "arrivals.per_day",
                    "needs operating days; for a continuous run use `rate_per_minute` or `interarrival`",
                );
            }
            return None;
        };
        let per_day = value?;
        let segments = match &a.profile {
            None => vec![RateSegment {
                start: hours.opens,
                end: hours.last_ticket,
                rate: per_day / (hours.last_ticket - hours.opens),
            }],
            Some(p) => check_profile(c, p, per_day, hours)?,
        };
        ArrivalProcess::Poisson { segments }
    } else if let Some(rate) = &a.rate_per_minute {
        let rate = c.num(rate, "arrivals.rate_per_minute")?;
        let (start, end) = match hours {
            Some(h) => (h.opens, h.last_ticket),
            None => (0.0, f64::INFINITY),
        };
        ArrivalProcess::Poisson { segments: vec![RateSegment { start, end, rate }] }
    } else {
        let d = a.interarrival.as_ref()?;
        let interarrival = c.dist(d, "arrivals.interarrival")?;
        if interarrival.mean() <= 0.0 {
            return c.err(d.span(), "arrivals.interarrival", "the mean gap must be > 0 minutes");
        }
        ArrivalProcess::Renewal { interarrival }
    };
    let green_channel_share = match &a.green_channel_share {
        Some(v) => c.num(v, "arrivals.green_channel_share")?,
        None => 0.0,
    };
    Some(Arrivals { process, day_factors, green_channel_share })
}

fn check_profile(
    c: &mut Checker,
    p: &S<Vec<raw::ProfileEntry>>,
    per_day: f64,
    hours: HallHours,
) -> Option<Vec<RateSegment>> {
    if p.get_ref().is_empty() {
        return c.err(
            p.span(),
            "arrivals.profile",
            "is empty: list `{ from = \"HH:MM\", to = \"HH:MM\", share = ... }` entries, or remove it for a flat rate",
        );
    }
    let mut segments = Vec::new();
    let mut sum = 0.0;
    let mut ok = true;
    for (i, e) in p.get_ref().iter().enumerate() {
        let path = format!("arrivals.profile[{i}]");
        let from = c.clock(&e.from, &format!("{path}.from"));
        let to = c.clock(&e.to, &format!("{path}.to"));
        let share = {
            let x = *e.share.get_ref();
            if x.is_finite() && (0.0..=1.0).contains(&x) {
                Some(x)
            } else {
                c.err(e.share.span(), format!("{path}.share"), format!("must be a share in [0, 1], got {x}"))
            }
        };
        sum += e.share.get_ref();
        let (Some(from), Some(to), Some(share)) = (from, to, share) else {
            ok = false;
            continue;
        };
        if to <= from {
            ok = false;
            c.err::<()>(
                e.to.span(),
                format!("{path}.to"),
                format!("must be later than `from` ({}), got {}", clock(from), clock(to)),
            );
            continue;
        }
        if from < hours.opens || to > hours.last_ticket {
            ok = false;
            c.err::<()>(
                e.from.span(),
                path.clone(),
                format!(
                    "{}-{} lies outside the ticket hours {}-{}",
                    clock(from),
                    clock(to),
                    clock(hours.opens),
                    clock(hours.last_ticket)
                ),
            );
            continue;
        }
        if let Some(prev) = segments.last().map(|s: &RateSegment| s.end)
            && from < prev
        {
            ok = false;
            c.err::<()>(e.from.span(), format!("{path}.from"), format!("overlaps or precedes the previous entry, which ends at {}; list entries in time order without overlap", clock(prev)));
            continue;
        }
        segments.push(RateSegment { start: from, end: to, rate: per_day * share / (to - from) });
    }
    if (sum - 1.0).abs() > SHARE_TOLERANCE {
        ok = false;
        c.err::<()>(p.span(), "arrivals.profile", format!("the profile shares sum to {sum:.6}; they must sum to 1"));
    }
    ok.then_some(segments)
}

#[cfg(test)]
mod tests {
    use super::parse_clock;

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("08:30"), Some(510.0));
        assert_eq!(parse_clock("8:30"), Some(510.0));
        assert_eq!(parse_clock("24:00"), Some(1440.0));
        assert_eq!(parse_clock("24:01"), None);
        assert_eq!(parse_clock("12:60"), None);
        assert_eq!(parse_clock("1230"), None);
        assert_eq!(parse_clock("-1:30"), None);
        for signed in ["+8:30", "08:+3", " 8:30", "8:3 "] {
            assert_eq!(parse_clock(signed), None, "{signed}");
        }
    }
}

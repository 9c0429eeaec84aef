//! The scenario file exactly as written: a serde mirror of the TOML with a
//! span on every value, so that validation can point at the line and column of
//! each mistake. Nothing here is trusted yet; [`super::validate`] turns it into
//! a [`super::Scenario`]. What each key means is documented once, in
//! [`super::schema`].

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    pub days: Option<S<i64>>,
    pub horizon_minutes: Option<S<f64>>,
    pub warmup_minutes: Option<S<f64>>,
    pub max_arrivals: Option<S<i64>>,
    pub replications: Option<S<i64>>,
    pub seed: Option<S<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hall {
    pub opens: Option<S<String>>,
    pub last_ticket: Option<S<String>>,
    pub staff_until: Option<S<String>>,
    pub capacity: Option<S<i64>>,
    pub closing: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Returns {
    pub share: Option<S<f64>>,
    pub after_days: Option<S<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appointments {
    pub first_slot: S<String>,
    pub last_slot: S<String>,
    pub every_minutes: S<f64>,
    pub per_slot: S<i64>,
    pub no_show_share: Option<S<f64>>,
    pub early_minutes: Option<S<f64>>,
    pub lateness: Option<S<RawDist>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calling {
    pub absent_share: Option<S<f64>>,
    pub absent_call_minutes: Option<S<f64>>,
    pub balk_above_minutes: Option<S<f64>>,
    pub balk_share: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    pub problem_share: S<f64>,
    pub fixed_share: S<f64>,
    pub fix_time: S<RawDist>,
    pub accept_missing: Option<S<bool>>,
    pub accept_missing_share: Option<S<f64>>,
    pub accept_missing_time: Option<S<RawDist>>,
    pub follow_up_stage: Option<S<String>>,
    pub follow_up_time: Option<S<RawDist>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreReview {
    pub stage: S<String>,
    pub share: S<f64>,
    pub service: S<RawDist>,
    pub catch_share: S<f64>,
    pub window_time_factor: Option<S<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub completion_minutes: Option<S<f64>>,
    pub wait_minutes: Option<S<Vec<S<f64>>>>,
    pub completion_share: Option<S<f64>>,
    pub stage_budget_share: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileEntry {
    pub from: S<String>,
    pub to: S<String>,
    pub share: S<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrivals {
    pub per_day: Option<S<f64>>,
    pub profile: Option<S<Vec<ProfileEntry>>>,
    pub rate_per_minute: Option<S<f64>>,
    pub interarrival: Option<S<RawDist>>,
    pub day_factors: Option<S<Vec<S<f64>>>>,
    pub green_channel_share: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub label_zh: Option<S<String>>,
    pub budget_minutes: Option<S<f64>>,
    pub present: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub label_zh: Option<S<String>>,
    pub count: S<i64>,
    pub stages: S<Vec<S<String>>>,
    pub case_types: Option<S<Vec<S<String>>>>,
    pub schedule: Option<S<Vec<ScheduleEntry>>>,
    pub site: Option<S<String>>,
    pub cost_per_hour: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub label_zh: Option<S<String>>,
    pub share: S<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    pub shortest_queue_share: Option<S<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Planning {
    pub interval_minutes: Option<S<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    pub name: S<String>,
    pub pools: S<Vec<S<String>>>,
    pub starts: S<Vec<S<String>>>,
    pub length_minutes: S<f64>,
    pub lunch_minutes: Option<S<f64>>,
    pub lunch_earliest: Option<S<String>>,
    pub lunch_latest: Option<S<String>>,
    pub cost_per_hour: Option<S<f64>>,
    pub min: Option<S<BTreeMap<S<String>, S<i64>>>>,
    pub max: Option<S<BTreeMap<S<String>, S<i64>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleEntry {
    pub from: S<String>,
    pub to: S<String>,
    pub count: S<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseType {
    pub name: S<String>,
    pub label: Option<S<String>>,
    pub label_zh: Option<S<String>>,
    pub share: S<f64>,
    pub counts_toward_target: Option<S<bool>>,
    pub priority: Option<S<i64>>,
    pub outside_share: Option<S<f64>>,
    pub route: S<Vec<S<String>>>,
    pub service: S<BTreeMap<S<String>, S<RawDist>>>,
    pub handoff: Option<S<BTreeMap<S<String>, S<RawDist>>>>,
    pub patience: Option<S<RawDist>>,
    pub never_leave_share: Option<S<f64>>,
    pub problem_share: Option<S<f64>>,
    pub parallel: Option<S<Vec<S<String>>>>,
    pub later: Option<S<Vec<S<String>>>>,
}

/// A distribution as written: `{ dist = "lognormal", mean = 14, cv = 0.5 }`.
#[derive(Debug, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
pub enum RawDist {
    Exponential { mean: f64 },
    Deterministic { value: f64 },
    Uniform { min: f64, max: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    Lognormal { mean: f64, cv: f64 },
    Gamma { mean: f64, cv: f64 },
    Empirical { values: Vec<f64> },
}

/// Every key a [`RawDist`] may hold, for messages that tell a distribution
/// from a table of them.
pub const DIST_FIELDS: &[&str] = &["dist", "mean", "value", "min", "max", "mode", "cv", "values"];

/// The top-level keys, in the order the documentation lists them.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "name",
    "description",
    "simulation",
    "hall",
    "returns",
    "targets",
    "arrivals",
    "appointments",
    "calling",
    "documents",
    "pre_review",
    "site",
    "city",
    "stage",
    "pool",
    "case_type",
    "planning",
    "shift",
];

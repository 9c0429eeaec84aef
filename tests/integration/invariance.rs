//! The same hall written two ways gives the same bytes, and a change to one
//! random attribute leaves every other draw as it was (common random numbers).

use hallsim::engine::Model;
use hallsim::experiment::run_replications;
use hallsim::report::files::summary_json;
use hallsim::scenario::{self, LoadedScenario};

use crate::common::*;

/// `summary.json` of a scenario text, under one name and hash whatever the text.
fn summary(toml: &str, seed: u64, replications: u32) -> String {
    let s = scenario::parse(toml, "same.toml", "same").unwrap_or_else(|e| panic!("invalid:\n{e}"));
    let loaded =
        LoadedScenario { scenario: s, file: "same.toml".into(), content_hash: "0".into(), source: String::new() };
    let r = run_replications(&Model::new(loaded.scenario.clone()), seed, replications);
    String::from_utf8(summary_json(&loaded, &r).unwrap()).unwrap()
}

fn hall(closing: &str, count: u32, schedule: &str) -> String {
    format!(
        r#"
[simulation]
days = 2
[hall]
opens = "08:30"
last_ticket = "16:30"
staff_until = "17:00"
closing = "{closing}"
[arrivals]
per_day = 150
[[stage]]
name = "accept"
[[pool]]
name = "windows"
count = {count}
stages = ["accept"]
schedule = [{schedule}]
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = {{ dist = "exponential", mean = 5 }}
"#
    )
}

#[test]
fn schedule_entries_that_meet_apply_as_one() {
    let split = hall(
        "extended",
        2,
        r#"{ from = "12:00", to = "13:00", count = 1 }, { from = "13:00", to = "14:00", count = 1 }"#,
    );
    let joined = hall("extended", 2, r#"{ from = "12:00", to = "14:00", count = 1 }"#);
    assert_eq!(summary(&split, 3, 20), summary(&joined, 3, 20));
}

#[test]
fn a_schedule_from_opening_under_a_hard_close_is_the_count() {
    let scheduled = hall("hard", 2, r#"{ from = "08:30", to = "17:00", count = 3 }"#);
    let counted = hall("hard", 3, "");
    assert_eq!(summary(&scheduled, 5, 20), summary(&counted, 5, 20));
}

fn three_stages(issue: &str) -> String {
    format!(
        r#"
[hall]
opens = "08:30"
last_ticket = "16:30"
[arrivals]
per_day = 300
green_channel_share = 0.05
[[stage]]
name = "accept"
[[stage]]
name = "approve"
present = false
[[stage]]
name = "issue"
[[pool]]
name = "windows"
count = 6
stages = ["accept"]
[[pool]]
name = "approvers"
count = 4
stages = ["approve"]
[[pool]]
name = "printers"
count = 2
stages = ["issue"]
[[case_type]]
name = "transfer"
share = 0.6
patience = {{ dist = "lognormal", mean = 115, cv = 0.8 }}
route = ["accept", "approve", "issue"]
service.accept = {{ dist = "lognormal", mean = 12, cv = 0.5 }}
service.approve = {{ dist = "gamma", mean = 8, cv = 0.6 }}
service.issue = {issue}
handoff.approve = {{ dist = "uniform", min = 2, max = 4 }}
[[case_type]]
name = "cancel"
share = 0.4
route = ["accept", "approve"]
service.accept = {{ dist = "exponential", mean = 5 }}
service.approve = {{ dist = "exponential", mean = 3 }}
"#
    )
}

#[test]
fn changing_one_steps_distribution_leaves_the_stages_before_it_unchanged() {
    let a = run(&three_stages(r#"{ dist = "deterministic", value = 4 }"#), 11, 10);
    let b = run(&three_stages(r#"{ dist = "uniform", min = 3, max = 5 }"#), 11, 10);
    // Time-averages are left out: they run over the day, which ends when the
    // last certificate is issued.
    let upstream = |k: &str| {
        (k.starts_with("stage.accept.") || k.starts_with("stage.approve.") || k.starts_with("wait_"))
            && !k.ends_with("queue_mean")
    };
    let keys: Vec<&str> = a.kpi_defs.iter().map(|d| d.key.as_str()).filter(|k| upstream(k)).collect();
    assert!(keys.len() > 10);
    for key in keys {
        let (x, y) = (column(&a, key), column(&b, key));
        assert!(x.iter().zip(&y).all(|(x, y)| x.to_bits() == y.to_bits()), "{key}: {x:?} against {y:?}");
    }
    assert_ne!(column(&a, "stage.issue.service_mean"), column(&b, "stage.issue.service_mean"));
}

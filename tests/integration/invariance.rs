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
    String::from_utf8(summary_json(&loaded, &r)).unwrap()
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

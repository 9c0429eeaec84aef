//! Practices of the reform: each switch moves the KPIs in the expected
//! direction, shown by a paired difference whose 95% interval excludes zero.

use hallsim::experiment::compare::compare;
use hallsim::experiment::run_replications;
use hallsim::stats::estimate::Estimate;

use crate::cli::{hallsim, temp_dir};
use crate::common::{column, model};

fn municipal() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml")).unwrap()
}

/// A hall with two case types and four windows, either two per type or all four for both.
fn two_types(pools: &str) -> String {
    format!(
        r#"
[simulation]
days = 1
[hall]
opens = "09:00"
last_ticket = "12:00"
[arrivals]
per_day = 120
[[stage]]
name = "accept"
{pools}
[[case_type]]
name = "transfer"
share = 0.5
route = ["accept"]
service.accept = {{ dist = "lognormal", mean = 7, cv = 0.5 }}
[[case_type]]
name = "mortgage"
share = 0.5
route = ["accept"]
service.accept = {{ dist = "lognormal", mean = 5, cv = 0.5 }}
"#
    )
}

#[test]
fn one_integrated_window_pool_waits_less_than_windows_per_type() {
    let dedicated = two_types(
        "[[pool]]\nname = \"transfer_windows\"\ncount = 2\nstages = [\"accept\"]\ncase_types = [\"transfer\"]\n\
         [[pool]]\nname = \"mortgage_windows\"\ncount = 2\nstages = [\"accept\"]\ncase_types = [\"mortgage\"]\n",
    );
    let integrated = two_types("[[pool]]\nname = \"windows\"\ncount = 4\nstages = [\"accept\"]\n");
    let a = run_replications(&model(&dedicated), 11, 100);
    let b = run_replications(&model(&integrated), 11, 100);
    let c = compare(&[("dedicated".into(), &a), ("integrated".into(), &b)]);
    let row = c.rows.iter().find(|r| r.key == "wait_mean").unwrap();
    let d = row.differences[1].unwrap();
    assert!(d.mean < 0.0 && row.significant(1), "integrated − dedicated wait: {} ± {}", d.mean, d.half_width);
    // Dedicated windows never serve the other type: each pool's work is its own type's.
    let transfer_service = a.estimate("type.transfer.time_in_system_mean").unwrap().mean;
    assert!(transfer_service > a.estimate("type.mortgage.time_in_system_mean").unwrap().mean);
}

#[test]
fn the_green_channel_is_called_first() {
    let text = municipal().replace("per_day = 2000", "per_day = 2000\ngreen_channel_share = 0.03");
    let r = run_replications(&model(&text), 12, 40);
    let green = column(&r, "green_channel.wait_mean");
    let all = column(&r, "wait_mean");
    let d = Estimate::from_values(green.iter().zip(&all).map(|(g, a)| g - a));
    assert!(d.high() < 0.0, "green − everyone: {} ± {}", d.mean, d.half_width);
    // Switching the channel on leaves every person's draws as they were.
    let base = run_replications(&model(&municipal()), 12, 40);
    assert_eq!(r.estimate("arrived").unwrap().mean, base.estimate("arrived").unwrap().mean);
}

#[test]
fn bank_outreach_takes_demand_out_of_the_hall() {
    // Cixi: a share of first mortgages registered at bank branches.
    let text = municipal().replace(
        "name = \"mortgage_first\"\nshare = 0.17",
        "name = \"mortgage_first\"\nshare = 0.17\noutside_share = 0.3",
    );
    assert!(text.contains("outside_share"));
    let r = run_replications(&model(&text), 13, 60);
    let base = run_replications(&model(&municipal()), 13, 60);
    let diverted = r.estimate("diverted").unwrap();
    assert!(diverted.covers(2000.0 * 0.17 * 0.3), "diverted {} ± {}", diverted.mean, diverted.half_width);
    let c = compare(&[("base".into(), &base), ("outreach".into(), &r)]);
    let row = c.rows.iter().find(|r| r.key == "wait_mean").unwrap();
    assert!(row.differences[1].unwrap().mean < 0.0 && row.significant(1));
}

#[test]
fn skills_mistakes_are_reported() {
    let dir = temp_dir("skills");
    let f = dir.join("s.toml");
    std::fs::write(
        &f,
        two_types(
            "[[pool]]\nname = \"w\"\ncount = 2\nstages = [\"accept\"]\ncase_types = [\"transfer\", \"mortgag\"]\n",
        ),
    )
    .unwrap();
    let out = hallsim(&["check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown case type \"mortgag\"; the case types are `transfer`, `mortgage`"), "{err}");
    assert!(err.contains("no pool with staff serves stage \"accept\" for case type \"mortgage\""), "{err}");
}

#[test]
fn closing_windows_at_lunch_costs_waits() {
    // No lunch break (the file) against 10 of the 34 accept windows open 12:00-13:30.
    let lunch = municipal().replace(
        "count = 34               # assumption (DOMAIN calibration)\nstages = [\"accept\"]",
        "count = 34\nstages = [\"accept\"]\nschedule = [{ from = \"12:00\", to = \"13:30\", count = 10 }]",
    );
    assert!(lunch.contains("schedule"));
    let a = run_replications(&model(&municipal()), 14, 40);
    let b = run_replications(&model(&lunch), 14, 40);
    let c = compare(&[("no_lunch_break".into(), &a), ("lunch".into(), &b)]);
    for key in ["wait_mean", "stage.accept.wait_mean"] {
        let row = c.rows.iter().find(|r| r.key == key).unwrap();
        assert!(row.differences[1].unwrap().mean > 0.0 && row.significant(1), "{key}");
    }
    let row = c.rows.iter().find(|r| r.key == "within_60_min").unwrap();
    assert!(row.differences[1].unwrap().mean < 0.0 && row.significant(1));
}

//! Staffing by the hour with shifts (`plan --shifts`): the templates'
//! mistakes, the roster's cover of the requirement, and its files.

use std::path::Path;

use crate::cli::{hallsim, temp_dir};

fn municipal() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/municipal.toml")).unwrap()
}

fn check_text(name: &str, text: &str) -> String {
    let dir = temp_dir(name);
    let file = dir.join("m.toml");
    std::fs::write(&file, text).unwrap();
    let out = hallsim(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{name} should be refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn shift_template_mistakes_are_reported_at_once() {
    let text = municipal()
        .replace("interval_minutes = 30", "interval_minutes = 45")
        .replace("starts = [\"12:30\", \"13:00\"]", "starts = [\"12:45\", \"14:00\"]")
        .replace("lunch_latest = \"13:00\"", "lunch_latest = \"11:00\"")
        .replacen(
            "pools = [\"guides\", \"accept_windows\", \"inquiry_windows\", \"issue_windows\"]",
            "pools = [\"guides\", \"windows\"]",
            1,
        );
    let err = check_text("shift_mistakes", &text);
    for expected in [
        "planning.interval_minutes: must be 30 or 60 minutes, got 45",
        "shift[1].pools[1]: unknown pool \"windows\"",
        "shift[0].lunch_latest: must not be earlier than lunch_earliest (11:30), got 11:00",
    ] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
    let text = municipal().replace("starts = [\"12:30\", \"13:00\"]", "starts = [\"12:45\", \"14:00\"]");
    let err = check_text("shift_grid", &text);
    assert!(err.contains("shift[2].starts[0]: 12:45 is not on the planning grid"), "{err}");
    assert!(
        err.contains(
            "shift[2].starts[1]: a shift starting at 14:00 ends at 18:00, after the staffed hours end (17:00)"
        ),
        "{err}"
    );
    let text = municipal().replace("lunch_minutes = 60", "lunch_minutes = 45");
    let err = check_text("shift_lunch", &text);
    assert!(
        err.contains("shift[0].lunch_minutes: must be a whole number of planning intervals (30 minutes), got 45"),
        "{err}"
    );
}

/// Runs `plan --shifts` on `text` and returns (exit code, stderr, output folder).
fn plan_shifts(name: &str, text: &str, reps: &str) -> (Option<i32>, String, std::path::PathBuf) {
    let dir = temp_dir(name);
    let file = dir.join("municipal.toml");
    std::fs::write(&file, text).unwrap();
    let out = hallsim(&[
        "plan",
        file.to_str().unwrap(),
        "--shifts",
        "--target",
        "within_60_min >= 0.95",
        "-r",
        reps,
        "-q",
        "-o",
        dir.to_str().unwrap(),
    ]);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), dir.join("municipal-roster"))
}

#[test]
fn a_roster_covers_its_requirement_and_its_file_reproduces_the_claim() {
    let (code, err, out) = plan_shifts("roster", &municipal(), "10");
    assert_eq!(code, Some(0), "{err}");
    let staffing = std::fs::read_to_string(out.join("staffing_by_hour.csv")).unwrap();
    let mut rows = 0;
    for line in staffing.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (required, on_duty): (u32, u32) = (f[4].parse().unwrap(), f[5].parse().unwrap());
        assert!(on_duty >= required, "fewer on duty than required: {line}");
        rows += 1;
    }
    assert_eq!(rows, 5 * 17, "5 pools × 17 half hours from 08:30 to 17:00");
    // Whatever the target looks at (inquiries do not count toward it), every
    // pool keeps someone on duty and the roster serves as many people.
    for line in staffing.lines().filter(|l| l.starts_with("inquiry_windows,")) {
        assert!(line.split(',').nth(5).unwrap() != "0", "nobody at the inquiry windows: {line}");
    }
    // The roster's staff on duty are what its shifts put there.
    let roster = std::fs::read_to_string(out.join("roster.csv")).unwrap();
    assert!(roster.starts_with("shift,pool,start,end,lunch_start,lunch_end,count,paid_hours,cost\n"));
    let plan: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["confirmed"], true);
    let completed = plan["headline_before_after"].as_array().unwrap().iter().find(|c| c["key"] == "completed").unwrap();
    assert!(completed["after"].as_f64().unwrap() >= 0.99 * completed["before"].as_f64().unwrap(), "{completed}");
    let paid: f64 = roster.lines().skip(1).map(|l| l.split(',').nth(7).unwrap().parse::<f64>().unwrap()).sum();
    assert!((paid - plan["paid_hours"].as_f64().unwrap()).abs() < 1e-9);
    // The plan's file passes `check`, and `run` on the confirmation seed gives the claimed figure.
    let toml = out.join("municipal-roster.toml");
    assert!(hallsim(&["check", toml.to_str().unwrap()]).status.success());
    let seed = plan["confirmation_seed"].as_u64().unwrap().to_string();
    let rerun = temp_dir("roster-rerun");
    let run = hallsim(&[
        "run",
        toml.to_str().unwrap(),
        "--seed",
        &seed,
        "-r",
        "10",
        "-q",
        "--no-charts",
        "-o",
        rerun.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rerun.join("municipal-roster/summary.json")).unwrap()).unwrap();
    let within = summary["kpis"].as_array().unwrap().iter().find(|k| k["key"] == "within_60_min").unwrap();
    assert_eq!(within["mean"], plan["targets_on_confirmation_seed"][0]["mean"]);
    assert!(within["ci95_low"].as_f64().unwrap() >= 0.95);
    let svg = std::fs::read_to_string(out.join("charts/staffing_by_interval.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the staffing chart is valid SVG");
    let texts: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).map(str::trim).collect();
    for t in &texts {
        let t = t.trim();
        if t.parse::<f64>().is_ok() {
            assert!(t.parse::<u32>().is_ok(), "a count of staff reads as a whole number, not {t:?}");
        }
        if t.contains(':') {
            assert!(t.len() == 5 && t.ends_with(":00"), "hour ticks read HH:00, not {t:?}");
        }
    }
    assert!(texts.iter().any(|t| t.contains(":00")), "the hour axis is in clock time: {texts:?}");
    assert!(texts.contains(&"required") && texts.contains(&"on duty"), "one key names both curves: {texts:?}");
    for pool in ["guides", "accept_windows", "inquiry_windows", "approvers", "issue_windows"] {
        assert!(svg.contains(pool), "a panel for {pool}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let dtd = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(&html, dtd).expect("the roster's report is well-formed");
    assert!(html.contains("id=\"staffing_by_interval\"") && html.contains("id=\"frontier\""), "both charts inline");
    assert!(html.contains("<td>completed</td>"), "the headline figures before and after");
}

#[test]
fn shifts_that_cannot_cover_the_day_or_a_maximum_too_low_end_with_exit_4() {
    // Only morning shifts for the accept windows: the afternoon is uncovered.
    let text = municipal()
        .replace(
            "pools = [\"guides\", \"accept_windows\", \"inquiry_windows\", \"approvers\", \"issue_windows\"]",
            "pools = [\"guides\", \"inquiry_windows\", \"approvers\", \"issue_windows\"]",
        )
        .replace(
            "name = \"afternoon_half\"\npools = [\"guides\", \"accept_windows\", ",
            "name = \"afternoon_half\"\npools = [\"guides\", ",
        );
    let (code, err, _) = plan_shifts("uncovered", &text, "5");
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("no shift covers pool accept_windows at 13:30-14:00 (20 needed), 14:00-14:30"), "{err}");
    assert!(err.contains("16:30-17:00"), "every uncovered interval is named: {err}");
    let text = municipal().replace("lunch_latest = \"13:00\"\n", "lunch_latest = \"13:00\"\nmax = { approvers = 3 }\n");
    let (code, err, _) = plan_shifts("capped", &text, "5");
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("the shifts cannot cover pool approvers at 09:00-09:30 ("), "the interval is named: {err}");
    assert!(err.contains("needed, at most 3)") && err.contains("within the templates' min and max"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn the_erlang_c_requirement_is_the_contact_centre_rule() {
    // One window stage, a person a minute from 08:00 to 12:00, exponential service of 15
    // minutes (a = 15) in a 20-minute budget: at most 5 minutes' wait. By hand, with
    // P(wait <= t) = 1 - C(c, a) exp(-(c - a) t / 15): c = 19 serves 93.6% in time, c = 20
    // 97.0%, c = 18 86.7%; so 20 staff for a 95% target and 19 for 90%.
    let text = r#"
name = "one"
[simulation]
days = 1
replications = 5
seed = 1
[hall]
opens = "08:00"
last_ticket = "12:00"
staff_until = "12:00"
[arrivals]
per_day = 240
profile = [{ from = "08:00", to = "12:00", share = 1.0 }]
[[stage]]
name = "serve"
[[pool]]
name = "windows"
count = 20
stages = ["serve"]
[[case_type]]
name = "case"
share = 1.0
route = ["serve"]
service.serve = { dist = "exponential", mean = 15 }
[planning]
interval_minutes = 60
[[shift]]
name = "morning"
pools = ["windows"]
starts = ["08:00"]
length_minutes = 240
"#;
    for (share, staff) in [("0.95", "20"), ("0.9", "19")] {
        let dir = temp_dir(&format!("erlang_c_{share}"));
        let file = dir.join("one.toml");
        std::fs::write(&file, text).unwrap();
        let target = format!("within_60_min >= {share}");
        let out = hallsim(&[
            "plan",
            file.to_str().unwrap(),
            "--shifts",
            "--requirement",
            "erlang-c",
            "--target",
            &target,
            "-q",
            "--no-charts",
            "-o",
            dir.to_str().unwrap(),
        ]);
        assert!(matches!(out.status.code(), Some(0 | 4)), "{}", String::from_utf8_lossy(&out.stderr));
        let csv = std::fs::read_to_string(dir.join("one-roster/staffing_by_hour.csv")).unwrap();
        let required: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(4).unwrap()).collect();
        assert_eq!(required, [staff; 4], "target {share}:\n{csv}");
        let json = std::fs::read_to_string(dir.join("one-roster/plan.json")).unwrap();
        assert!(
            json.contains("\"method\": \"erlang_c\"") && json.contains(&format!("\"service_level\": {share}")),
            "{json}"
        );
    }
}

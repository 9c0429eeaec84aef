//! Comparisons with common random numbers.

use hallsim::experiment::compare::compare;
use hallsim::experiment::run_replications;

use crate::cli::{hallsim, temp_dir};
use crate::common::model;

fn municipal() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml")).unwrap()
}

#[test]
fn pairing_narrows_the_interval_of_a_difference() {
    // Two nearby halls: 34 and 35 accept windows, the same seed, so the same people.
    let base = municipal();
    let more = base.replace("count = 34 ", "count = 35 ");
    let a = run_replications(&model(&base), 5, 40);
    let b = run_replications(&model(&more), 5, 40);
    let c = compare(&[("a".into(), &a), ("b".into(), &b)]).unwrap();
    for key in ["wait_mean", "time_in_system_mean", "stage.accept.within_budget"] {
        let row = c.rows.iter().find(|r| r.key == key).unwrap();
        let paired = row.differences[1].unwrap().half_width;
        let unpaired = row.unpaired_half_widths[1].unwrap();
        assert!(paired < 0.4 * unpaired, "{key}: paired ± {paired} is not much narrower than unpaired ± {unpaired}");
        assert!(row.significant(1), "{key}: one more window makes a difference that pairing detects");
    }
    // The inquiry windows serve other people, who are exactly the same in both runs.
    let row = c.rows.iter().find(|r| r.key == "stage.inquiry.wait_mean").unwrap();
    assert_eq!(row.differences[1].unwrap().mean, 0.0);
}

#[test]
fn compare_writes_csv_and_json_and_marks_significance() {
    let dir = temp_dir("compare");
    let more = dir.join("more.toml");
    std::fs::write(
        &more,
        municipal().replace("count = 34 ", "count = 38 ").replace("name = \"municipal\"", "name = \"more\""),
    )
    .unwrap();
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");
    let out = hallsim(&["compare", base, more.to_str().unwrap(), "-r", "20", "-o", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("more − municipal") && stdout.contains(" *"), "{stdout}");
    let csv = std::fs::read_to_string(dir.join("comparison/comparison.csv")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("wait_mean,minutes,more,")).expect("a wait_mean row for `more`");
    assert!(row.contains(",true,"), "four more windows shorten the mean wait significantly: {row}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("comparison/comparison.json")).unwrap()).unwrap();
    assert_eq!(json["baseline"], "municipal");
    assert_eq!(json["scenarios"].as_array().unwrap().len(), 2);
    for f in ["charts/comparison.svg", "charts/comparison.png", "report.html"] {
        assert!(dir.join("comparison").join(f).metadata().unwrap().len() > 1000, "{f}");
    }
}

#[test]
fn runs_of_another_seed_or_length_are_refused() {
    let m = model(&municipal());
    let a = run_replications(&m, 5, 4);
    for (what, b) in [("seed", run_replications(&m, 6, 4)), ("replications", run_replications(&m, 5, 5))] {
        let err = compare(&[("a".into(), &a), ("b".into(), &b)]).unwrap_err();
        assert!(err.contains("same seed and replications"), "{what}: {err}");
    }
}

#[test]
fn the_comparison_report_shows_real_differences_in_points_and_what_changed() {
    let dir = temp_dir("compare_report");
    let more = dir.join("more.toml");
    // Four more accept windows at twice the cost an hour: the wait falls; the
    // inquiry windows' people are the same.
    std::fs::write(
        &more,
        municipal()
            .replace("count = 34 ", "cost_per_hour = 2\ncount = 38 ")
            .replace("name = \"municipal\"", "name = \"more\""),
    )
    .unwrap();
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");
    for lang in ["en", "zh"] {
        let out = hallsim(&[
            "compare",
            base,
            more.to_str().unwrap(),
            "-r",
            "10",
            "--lang",
            lang,
            "-q",
            "-o",
            dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let html = std::fs::read_to_string(dir.join("comparison/report.html")).unwrap();
        assert!(!html.contains("NaN") && !html.contains("inf"), "{lang}: NaN or inf in the report");
        assert!(html.contains("<section id=\"verdict\">"), "{lang}: no verdict");
        for chart in ["comparison", "within_target_by_hour"] {
            assert!(html.contains(&format!("<figure id=\"{chart}\">")), "{lang}: no {chart} chart");
        }
        // The key that differs, with both values.
        assert!(html.contains("<tr><td>pool[1].count</td><td>34</td><td>38</td></tr>"), "{lang}: no key change");
        let (points, real, wait) = if lang == "en" {
            ("points", "more against municipal: ", "mean wait before call -")
        } else {
            ("个百分点", "more 与 municipal 相比：", "平均叫号等待 -")
        };
        assert!(html.contains(points), "{lang}: shares not in points");
        let verdict = &html[html.find("<section id=\"verdict\">").unwrap()..html.find("</section>").unwrap()];
        assert!(verdict.contains(real) && verdict.contains(wait), "{lang}: the real fall of the wait:\n{verdict}");
        // 83 staff from 08:30 to 17:00 at 1 an hour; 87, of whom 38 at 2 an hour.
        assert!(
            html.contains("<tr><td>municipal</td><td>705.5</td><td>705.5</td></tr>"),
            "{lang}: base staff and cost"
        );
        assert!(html.contains("<tr><td>more</td><td>739.5</td><td>1062.5</td></tr>"), "{lang}: staff-hours and cost");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("comparison/comparison.json")).unwrap()).unwrap();
    assert_eq!(json["scenarios"][1]["staff_hours_per_day"], 739.5);
    assert_eq!(json["scenarios"][1]["cost_per_day"], 1062.5);
}

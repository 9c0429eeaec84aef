//! Visit records (`run --trace`) and fitting a hall from them (`fit`).

use crate::cli::{hallsim, temp_dir};

const HAND: &str = r#"
name = "hand"
[simulation]
days = 1
replications = 2
[hall]
opens = "08:00"
last_ticket = "08:35"
staff_until = "09:00"
[arrivals]
interarrival = { dist = "deterministic", value = 10 }
[[stage]]
name = "accept"
[[pool]]
name = "window"
count = 1
stages = ["accept"]
[[case_type]]
name = "case"
share = 1
route = ["accept"]
service.accept = { dist = "deterministic", value = 15 }
"#;

#[test]
fn a_trace_holds_every_call_as_computed_by_hand() {
    let dir = temp_dir("trace_hand");
    let file = dir.join("hand.toml");
    std::fs::write(&file, HAND).unwrap();
    let out =
        hallsim(&["run", file.to_str().unwrap(), "--trace", "2", "-q", "--no-charts", "-o", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Tickets at 08:10, 08:20 and 08:30 (08:40 is after the last ticket), one
    // window serving 15 minutes each: calls at 08:10, 08:25, 08:40.
    // Replication 2 of a one-day run is the Monday after replication 1's.
    let d = "2026-01-12";
    let row = |n: u32, ticket: &str, called: &str, finished: &str| {
        format!("{n},{d},{d} {ticket},case,accept,{d} {ticket},{d} {called},{d} {finished},window,served,1,2")
    };
    let want = [
        "ticket,date,ticket_time,case_type,stage,queued,called,finished,window,outcome,trip,replication".to_string(),
        row(1, "08:10:00", "08:10:00", "08:25:00"),
        row(2, "08:20:00", "08:25:00", "08:40:00"),
        row(3, "08:30:00", "08:40:00", "08:55:00"),
    ];
    let csv = std::fs::read_to_string(dir.join("hand/visits.csv")).unwrap();
    assert_eq!(csv.lines().collect::<Vec<_>>(), want);
    let bad = hallsim(&["run", file.to_str().unwrap(), "--trace", "3", "-q", "-o", dir.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2), "a replication beyond the run is a usage error");
}

#[test]
fn tracing_changes_no_result() {
    let dir = temp_dir("trace_same");
    let county = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/county.toml");
    let run = |out: &str, trace: bool| {
        let out = dir.join(out);
        let mut args = vec!["run", county, "-r", "4", "-q", "--no-charts", "-o", out.to_str().unwrap()];
        if trace {
            args.extend(["--trace", "1-4"]);
        }
        let o = hallsim(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out.join("county")
    };
    let (plain, traced) = (run("plain", false), run("traced", true));
    for f in ["summary.json", "hourly.csv", "replications.csv"] {
        assert_eq!(std::fs::read(plain.join(f)).unwrap(), std::fs::read(traced.join(f)).unwrap(), "{f}");
    }
    let csv = std::fs::read_to_string(traced.join("visits.csv")).unwrap();
    let reps: std::collections::BTreeSet<&str> = csv.lines().skip(1).filter_map(|l| l.rsplit(',').next()).collect();
    assert_eq!(reps.into_iter().collect::<Vec<_>>(), ["1", "2", "3", "4"]);
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Whether `truth` lies in the reported 95% interval `[low, high]` of a
/// figure widened to a family-wise 95% over `checks` figures (Bonferroni):
/// each interval's half-width times z(1 − 0.025/checks) / z(0.975).
fn covers(v: &serde_json::Value, truth: f64, checks: usize) -> bool {
    let (mean, low, high) = (v["value"].as_f64().unwrap(), v["low"].as_f64().unwrap(), v["high"].as_f64().unwrap());
    let z = hallsim::stats::estimate::student_t_quantile(1.0 - 0.025 / checks as f64, 1e6) / 1.959_963_985;
    mean - (mean - low) * z <= truth && truth <= mean + (high - mean) * z
}

#[test]
fn a_shipped_hall_survives_the_round_trip_through_its_records() {
    let dir = temp_dir("round_trip");
    let city = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/city.toml");
    let base = hallsim::scenario::load(std::path::Path::new(city)).unwrap().scenario;
    let out = dir.to_str().unwrap();
    let traced = hallsim(&["run", city, "-r", "40", "--trace", "1-40", "-q", "--no-charts", "-o", out]);
    assert!(traced.status.success(), "{}", String::from_utf8_lossy(&traced.stderr));
    let visits = dir.join("city/visits.csv");
    let fitted = hallsim(&["fit", visits.to_str().unwrap(), "--base", city, "-r", "40", "-q", "-o", out]);
    assert!(fitted.status.success(), "{}", String::from_utf8_lossy(&fitted.stderr));
    let fit = json(&dir.join("city-fit/fit.json"));
    // Every figure recovered inside its interval: tickets a day, each
    // case type's share, each service mean.
    let mix = fit["mix"].as_array().unwrap();
    let service = fit["service"].as_array().unwrap();
    let checks = 1 + mix.len() + service.len();
    assert!(covers(&fit["per_day"], 220.0, checks), "tickets a day: {}", fit["per_day"]);
    assert_eq!(mix.len(), base.case_types().len());
    for m in mix {
        let t = base.case_types().iter().find(|t| t.name == m["case_type"].as_str().unwrap()).unwrap();
        assert!(covers(&m["share"], t.share, checks), "{}: share {} against {}", t.name, m["share"], t.share);
    }
    for s in service {
        let t = base.case_types().iter().find(|t| t.name == s["case_type"].as_str().unwrap()).unwrap();
        let step = t.route.iter().find(|r| base.stages()[r.stage].name == s["stage"].as_str().unwrap()).unwrap();
        let mean = step.service.mean();
        assert!(covers(&s["mean"], mean, checks), "{} at {}: {} against {mean}", t.name, s["stage"], s["mean"]);
        assert_eq!(s["chosen"]["dist"], "lognormal", "{} at {}: the family the file draws from", t.name, s["stage"]);
    }
    // The fitted scenario's headline figures inside the original's intervals
    // (both run on the same seed and replications).
    let rerun = dir.join("rerun");
    let file = dir.join("city-fit/city_fit.toml");
    let both =
        hallsim(&["run", city, file.to_str().unwrap(), "-r", "40", "-q", "--no-charts", "-o", rerun.to_str().unwrap()]);
    assert!(both.status.success(), "{}", String::from_utf8_lossy(&both.stderr));
    let kpis = |name: &str| json(&rerun.join(name).join("summary.json"))["kpis"].as_array().unwrap().clone();
    let (original, refit) = (kpis("city"), kpis("city_fit"));
    for key in ["within_60_min", "wait_mean", "time_in_system_mean", "stage.accept.within_budget"] {
        let find = |k: &[serde_json::Value]| k.iter().find(|x| x["key"] == key).unwrap().clone();
        let (o, f) = (find(&original), find(&refit));
        let m = f["mean"].as_f64().unwrap();
        assert!(
            o["ci95_low"].as_f64().unwrap() <= m && m <= o["ci95_high"].as_f64().unwrap(),
            "{key}: fitted {m} outside the original's {} to {}",
            o["ci95_low"],
            o["ci95_high"]
        );
    }
    // The report and its charts are well-formed: a chart per case type.
    let html = std::fs::read_to_string(dir.join("city-fit/report.html")).unwrap();
    let dtd = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(&html, dtd).expect("the fit report is well-formed");
    for t in base.case_types() {
        let svg = std::fs::read_to_string(dir.join(format!("city-fit/charts/service_{}.svg", t.name))).unwrap();
        roxmltree::Document::parse(&svg).expect("a valid SVG");
        assert!(html.contains(&format!("<figure id=\"service_{}\">", t.name)), "{} inline", t.name);
    }
    // And the records agree with the fitted scenario hour by hour.
    let differ: Vec<&serde_json::Value> =
        fit["validation"].as_array().unwrap().iter().filter(|c| c["differs"] == true).collect();
    assert!(!fit["validation"].as_array().unwrap().is_empty());
    assert!(differ.len() <= 1, "hours where the fit disagrees with its own records: {differ:?}");
    let stages = fit["validation_by_stage"].as_array().unwrap();
    assert_eq!(stages.len(), 3, "accept, approve, issue");
    assert!(stages.iter().all(|c| c["differs"] == false), "{stages:?}");
}

#[test]
fn bad_records_are_each_named_with_their_line() {
    let dir = temp_dir("bad_records");
    let header = "ticket,date,ticket_time,case_type,stage,queued,called,finished,window,outcome\n";
    let ok = |n: u32, t: &str| format!("{n},2026-01-05,08:{t}:00,case,accept,,08:{t}:30,08:{t}:50,w1,served\n");
    let text = [
        header.to_string(),
        ok(1, "10"),
        "2,2026-01-05,08:11:00,case,accept,,08:12:00,08:11:30,w1,served\n".into(), // line 3: finished before called
        "3,2026-01-05,eight,case,accept,,08:12:00,08:13:00,w1,served\n".into(),    // line 4: unreadable time
        "4,2026-01-05,08:14:00,case,accept,,08:15:00,08:16:00,w1,vanished\n".into(), // line 5: unknown outcome
        ok(1, "10"), // line 6: the same ticket and call again
        "5,2026-01-04,08:14:00,case,accept,,08:15:00,08:16:00,w1,served\n".into(), // line 7: a day earlier
        ok(6, "20"),
    ]
    .concat();
    let file = dir.join("records.csv");
    std::fs::write(&file, text).unwrap();
    let out = hallsim(&["fit", file.to_str().unwrap(), "-q", "-o", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let name = file.display().to_string();
    for (line, what) in [
        (3, "before it was called"),
        (4, "\"eight\" is not a time"),
        (5, "\"vanished\""),
        (6, "repeats"),
        (7, "out of order"),
    ] {
        assert!(err.contains(&format!("{name}:{line}: ")) && err.contains(what), "line {line} ({what}) in:\n{err}");
    }
    assert!(err.contains("5 bad rows of 7"), "{err}");
    assert!(!err.contains("panicked"));
    // --skip-bad fits the two good rows and counts the rest.
    let skipped = hallsim(&["fit", file.to_str().unwrap(), "--skip-bad", "-q", "-o", dir.to_str().unwrap()]);
    assert!(skipped.status.success(), "{}", String::from_utf8_lossy(&skipped.stderr));
    let fit = json(&dir.join("records-fit/fit.json"));
    assert_eq!((fit["rows"].as_u64(), fit["rows_skipped"].as_u64()), (Some(2), Some(5)));
    // A missing column is one error for the file, naming what the header has.
    std::fs::write(&file, "ticket,when,case_type\n1,08:00,case\n").unwrap();
    let out = hallsim(&["fit", file.to_str().unwrap(), "-q", "-o", dir.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains(&format!("{name}:1: no column `ticket_time`, `called`, `finished`, `outcome`")), "{err}");
}

#[test]
fn an_export_with_its_own_names_reads_through_a_column_map() {
    let dir = temp_dir("column_map");
    let export = "No,Day,Taken,Service,Counter,Start,End,Status\n\
                  A001,2026-03-02,09:00:00,护照,W1,09:02:00,09:12:00,DONE\n\
                  A002,2026-03-02,09:05:00,护照,W2,09:06:00,09:14:00,DONE\n\
                  A003,2026-03-02,09:07:00,护照,,,09:30:00,GAVE UP\n";
    let map = "[columns]\nticket = \"No\"\ndate = \"Day\"\nticket_time = \"Taken\"\ncase_type = \"Service\"\n\
               window = \"Counter\"\ncalled = \"Start\"\nfinished = \"End\"\noutcome = \"Status\"\n\
               [outcomes]\nserved = [\"DONE\"]\nleft = [\"GAVE UP\"]\n";
    std::fs::write(dir.join("export.csv"), export).unwrap();
    std::fs::write(dir.join("map.toml"), map).unwrap();
    let out = hallsim(&[
        "fit",
        dir.join("export.csv").to_str().unwrap(),
        "--columns",
        dir.join("map.toml").to_str().unwrap(),
        "-q",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fit = json(&dir.join("export-fit/fit.json"));
    assert_eq!(fit["visits"], 3);
    // Services of 10 and 8 minutes; one left after 23 minutes, two were called
    // after 2 and 1: patience 26 minutes over 1 departure.
    assert_eq!(fit["service"][0]["mean"]["value"], 9.0);
    assert_eq!(fit["patience"][0]["mean"]["value"], 26.0);
    // Without a base, a scenario from the records alone: the Chinese service
    // name becomes a label, each window a pool of one.
    let file = dir.join("export-fit/export_fit.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("name = \"type_1\"\nlabel = \"护照\""), "{text}");
    assert!(text.contains("name = \"W1\"\ncount = 1"), "{text}");
    let check = hallsim(&["check", file.to_str().unwrap()]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn busier_mondays_are_found_in_the_records() {
    // The county file draws Monday to Friday at 1.10, 0.97, 0.95, 0.97, 1.05.
    let dir = temp_dir("weekdays");
    let county = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/county.toml");
    let out = dir.to_str().unwrap();
    let traced = hallsim(&["run", county, "-r", "20", "--trace", "1-20", "-q", "--no-charts", "-o", out]);
    assert!(traced.status.success(), "{}", String::from_utf8_lossy(&traced.stderr));
    let visits = dir.join("county/visits.csv");
    let fitted =
        hallsim(&["fit", visits.to_str().unwrap(), "--base", county, "-r", "10", "-q", "--no-charts", "-o", out]);
    assert!(fitted.status.success(), "{}", String::from_utf8_lossy(&fitted.stderr));
    let fit = json(&dir.join("county-fit/fit.json"));
    assert_eq!(fit["days"], 100, "20 replications of 5 working days");
    assert_eq!(fit["weekday_test"]["differ"], true, "{}", fit["weekday_test"]);
    let factors: Vec<f64> = fit["weekdays"].as_array().unwrap().iter().map(|w| w["factor"].as_f64().unwrap()).collect();
    let most = factors.iter().copied().fold(f64::MIN, f64::max);
    let least = factors.iter().copied().fold(f64::MAX, f64::min);
    assert_eq!((factors[0], factors[2]), (most, least), "Monday busiest, Wednesday quietest: {factors:?}");
    let text = std::fs::read_to_string(dir.join("county-fit/county_fit.toml")).unwrap();
    assert!(text.contains("day_factors = [") && text.contains("# fitted: Monday to Friday; weekdays differ"), "{text}");
}

//! The command line as a user meets it: exit codes and the text of errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn hallsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hallsim")).args(args).output().expect("hallsim runs")
}

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hallsim-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn municipal() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/municipal.toml")).unwrap()
}

/// Writes `text` as a scenario, runs `hallsim check` on it, returns (exit code, stderr).
fn check(name: &str, text: &str) -> (i32, String) {
    let dir = temp_dir(name);
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let out = hallsim(&["check", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).replace(dir.to_str().unwrap(), "DIR");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

fn assert_reports(stderr: &str, expected: &[&str]) {
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
}

#[test]
fn shipped_scenarios_are_valid() {
    let files: Vec<String> =
        crate::common::shipped_scenarios().iter().map(|p| p.to_str().unwrap().to_string()).collect();
    let args: Vec<&str> = std::iter::once("check").chain(files.iter().map(String::as_str)).collect();
    let out = hallsim(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn malformed_toml_is_reported_with_position() {
    let (code, err) = check("syntax", "[hall\nopens = \"08:30\"\n");
    assert_eq!(code, 1);
    assert_reports(&err, &["DIR/syntax.toml:1:", "|"]);
}

#[test]
fn every_mistake_of_a_file_is_reported_at_once() {
    let text = municipal()
        .replace("budget_minutes = 20      # article (Ninghai): 20 minutes per stage", "budget_minutes = -5")
        .replace("count = 22 ", "count = \"many\" ")
        .replace("share = 0.17\ncounts_toward_target", "share = 0.25\ncounts_toward_target")
        .replace(
            "route = [\"accept\", \"approve\", \"issue\"]\nservice.accept = { dist = \"lognormal\", mean = 10",
            "route = [\"accept\", \"aprove\", \"issue\"]\nservice.accept = { dist = \"lognormal\", mean = 10",
        )
        .replace("mean = 8, cv = 0.5", "mean = 8, cv = -0.5")
        .replace("[targets]", "[targets]\ncompletion_minute = 60");
    let (code, err) = check("many", &text);
    assert_eq!(code, 1);
    assert_reports(
        &err,
        &[
            "DIR/many.toml:39:1: targets.completion_minute: unknown key `completion_minute`; the keys here are `completion_minutes`",
            "stage[1].budget_minutes: must be > 0, at most 100000 (minutes), got -5",
            "pool[3].count: must be an integer: 0 to 100000 (servers), got the text \"many\"",
            "case_type[*].share: the case-type shares sum to 1.080000; they must sum to 1",
            "case_type[1].route[1]: unknown stage \"aprove\"; the stages are `pre_review`, `accept`, `approve`, `issue`, `follow_up`, `inquiry`",
            "case_type[2].service.accept: cv must be a finite number > 0, got -0.5",
            "case_type[1].service.approve: stage \"approve\" is not on this case type's route",
            "case_type[1].handoff.approve: stage \"approve\" is not on this case type's route",
            "8 problems",
        ],
    );
    let lines: Vec<usize> = err
        .lines()
        .filter_map(|l| l.strip_prefix("DIR/many.toml:").or(l.strip_prefix("error: DIR/many.toml:")))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    assert!(lines.len() == 8 && lines.is_sorted(), "messages in file order: {lines:?}");
}

#[test]
fn mistakes_of_type_speak_the_key_reference() {
    let text = municipal()
        .replace("per_day = 2000", "per_day = \"many\"")
        .replace("opens = \"08:30\"", "opens = 8")
        .replace("replications = ", "replications = 1.5 #");
    let (code, err) = check("types", &text);
    assert_eq!(code, 1);
    assert_reports(
        &err,
        &[
            "simulation.replications: must be an integer: 1 to 1000000, got the number 1.5",
            "hall.opens: must be a time of day \"HH:MM\": 00:00 to 24:00",
            "arrivals.per_day: must be a number: > 0 (people/day), got the text \"many\"",
            "3 problems",
        ],
    );
    for parser_words in ["expected", "i64", "f64", "invalid type"] {
        assert!(!err.contains(parser_words), "{parser_words:?} in:\n{err}");
    }
    // A key of a dotted table (`service.accept = ...`) is named in full.
    let text = municipal().replace(
        "service.accept = { dist = \"lognormal\", mean = 14",
        "service.accept = { dist = \"weibull\", mean = 14",
    );
    let (_, err) = check("dotted", &text);
    assert_reports(&err, &["case_type[0].service.accept.dist: `weibull` is not allowed here"]);
    // A distribution written where a table of stages goes.
    let text = municipal()
        .replace("service.inquiry = { dist = \"lognormal\", mean = 4", "service = { dist = \"lognormal\", mean = 4");
    let (_, err) = check("service_table", &text);
    assert_reports(
        &err,
        &["case_type[6].service.cv: \"cv\" is not a stage: service holds a distribution for each stage"],
    );
}

#[test]
fn an_unreadable_section_adds_no_untrue_errors() {
    // A continuous run whose [simulation] cannot be read: no "missing [hall]".
    let text = "[simulation]\nhorizon_minutes = \"long\"\n[arrivals]\nrate_per_minute = 1\n[[stage]]\nname = \"a\"\n\
                [[pool]]\nname = \"w\"\ncount = 2\nstages = [\"a\"]\n[[case_type]]\nname = \"c\"\nshare = 1\n\
                route = [\"a\"]\nservice.a = { dist = \"exponential\", mean = 1 }\n";
    let (_, err) = check("unknown_mode", text);
    assert_reports(&err, &["simulation.horizon_minutes: must be a number"]);
    assert_eq!(err.matches("DIR/").count(), 1, "one problem only:\n{err}");
    // An unreadable [arrivals] is not also missing.
    let (_, err) = check("bad_arrivals", &municipal().replace("per_day = 2000", "per_day = [1]"));
    assert_reports(&err, &["arrivals.per_day: must be a number"]);
    assert_eq!(err.matches("DIR/").count(), 1, "one problem only:\n{err}");
}

#[test]
fn a_signed_time_is_not_a_time() {
    let (_, err) = check("signed", &municipal().replace("opens = \"08:30\"", "opens = \"+8:30\""));
    assert_reports(&err, &["hall.opens: must be a time of day \"HH:MM\"", "got \"+8:30\""]);
}

#[test]
fn a_file_that_is_not_utf8_names_the_line_and_column_of_the_bad_byte() {
    let dir = temp_dir("latin1");
    let file = dir.join("latin1.toml");
    let mut bytes = municipal().into_bytes();
    let at = municipal().find("description").unwrap() + 3;
    bytes[at] = 0xe9;
    std::fs::write(&file, &bytes).unwrap();
    let out = hallsim(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = municipal()[..at].matches('\n').count() + 1;
    assert!(err.contains(&format!("latin1.toml:{line}:4: byte 0xe9 is not UTF-8 text")), "{err}");
}

#[test]
fn arrivals_mistakes() {
    let empty = municipal().replace(
        &municipal()[municipal().find("profile = [").unwrap()..municipal().find("]\n\n[calling]").unwrap() + 1],
        "profile = []",
    );
    let (_, err) = check("empty_profile", &empty);
    assert_reports(&err, &["arrivals.profile: is empty"]);

    let (_, err) = check("profile_sum", &municipal().replace("share = 0.07 }", "share = 0.17 }"));
    assert_reports(&err, &["arrivals.profile: the profile shares sum to 1.100000; they must sum to 1"]);

    let (_, err) = check("zero_rate", &municipal().replace("per_day = 2000", "per_day = 0"));
    assert_reports(&err, &["arrivals.per_day: must be > 0 (people/day), got 0"]);

    let (_, err) = check("bad_clock", &municipal().replace("opens = \"08:30\"", "opens = \"8h30\""));
    assert_reports(&err, &["hall.opens: must be a time of day \"HH:MM\""]);

    // A bad rate is reported even when the hours it depends on are wrong too.
    let both = municipal().replace("opens = \"08:30\"", "opens = \"8h30\"").replace("per_day = 2000", "per_day = -5");
    let (_, err) = check("bad_clock_and_rate", &both);
    assert_reports(&err, &["hall.opens: must be a time of day", "arrivals.per_day: must be > 0 (people/day), got -5"]);
}

#[test]
fn a_stage_no_pool_serves_is_named() {
    let text = municipal().replace("stages = [\"issue\"]", "stages = [\"inquiry\"]");
    let (code, err) = check("unserved", &text);
    assert_eq!(code, 1);
    assert_reports(&err, &["no pool with staff serves stage \"issue\""]);
}

#[test]
fn impossible_distribution_parameters() {
    let text = municipal()
        .replace(
            "service.issue = { dist = \"lognormal\", mean = 4, cv = 0.4 }",
            "service.issue = { dist = \"uniform\", min = 5, max = 2 }",
        )
        .replace(
            "service.inquiry = { dist = \"lognormal\", mean = 4, cv = 0.6 }",
            "service.inquiry = { dist = \"weibull\", mean = 4 }",
        );
    let (_, err) = check("dists", &text);
    assert_reports(
        &err,
        &[
            "max must be greater than min, got min 5 and max 2",
            "case_type[6].service.inquiry.dist: `weibull` is not allowed here; allowed: one of `exponential`, `deterministic`",
        ],
    );
}

#[test]
fn unreadable_and_missing_files() {
    let out = hallsim(&["check", "no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.toml:1:1: cannot read the file"));
    let dir = temp_dir("binary");
    let f = dir.join("b.toml");
    std::fs::write(&f, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let out = hallsim(&["check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
}

#[test]
fn run_writes_every_file_with_seed_and_hash() {
    let dir = temp_dir("run");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/municipal.toml");
    let out = hallsim(&["run", scenario.to_str().unwrap(), "-r", "20", "--seed", "99", "-o", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("within_60_min"), "{stdout}");
    let hash = hallsim::scenario::content_hash(&std::fs::read(&scenario).unwrap());
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("municipal/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["seed"], 99);
    for f in ["summary.csv", "hourly.csv", "replications.csv"] {
        let text = std::fs::read_to_string(dir.join("municipal").join(f)).unwrap();
        assert!(text.contains(&hash), "{f} lacks the content hash");
        let mut lines = text.lines();
        let seed = lines.next().unwrap().split(',').position(|c| c == "seed").expect("a seed column");
        assert!(lines.all(|l| l.split(',').nth(seed) == Some("99")), "{f}: a row without seed 99");
        assert!(text.ends_with('\n'));
    }
}

#[test]
fn run_refuses_an_unwritable_folder_before_simulating() {
    let dir = temp_dir("blocked");
    let blocker = dir.join("file");
    std::fs::write(&blocker, "x").unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/municipal.toml");
    let out = hallsim(&["run", scenario.to_str().unwrap(), "-o", blocker.join("out").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).lines().last().unwrap().starts_with("error: cannot write"));
    assert!(out.stdout.is_empty(), "nothing ran");
}

#[test]
fn usage_errors_exit_2() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/municipal.toml");
    let out = hallsim(&["run", scenario.to_str().unwrap(), "-r", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = hallsim(&["run"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn scenario_reference_in_docs_is_current() {
    let out = hallsim(&["schema"]);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario.md")).unwrap();
    assert!(out.stdout == docs.as_bytes(), "docs/scenario.md is stale: run `hallsim schema > docs/scenario.md`");
}

#[test]
fn every_command_line_mistake_is_refused_before_any_replication() {
    let dir = temp_dir("refusals");
    let o = dir.to_str().unwrap();
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/tiny.toml");
    let cases: [(&[&str], &str); 9] = [
        (&["compare", tiny, tiny, "--name", "../outside", "-o", o], "a folder inside the output folder"),
        (&["compare", tiny, tiny, "--name", "/tmp/x", "-o", o], "a folder inside the output folder"),
        (&["compare", tiny, tiny, "--name", "", "-o", o], "a folder inside the output folder"),
        (&["sweep", tiny, "--set", "simulation.seed=1..3", "-o", o], "not a property of the hall"),
        (&["sweep", tiny, "--set", "simulation.replications=1..3", "-o", o], "not a property of the hall"),
        (&["sweep", tiny, "--set", "pool.windows.count=2..3", "--set", "pool.windows.count=2,3", "-o", o], "twice"),
        (&["plan", tiny, "--target", "within_60_min >= nan", "-o", o], "not a finite number"),
        (&["plan", tiny, "--target", "within_60_min > 0.9", "-o", o], "write KPI >= VALUE"),
        (&["run", tiny, "-r", "0", "-o", o], "1..=1000000"),
    ];
    for (args, expected) in cases {
        let out = hallsim(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert!(!dir.join("..").join("outside").exists());
    let out = hallsim(&["run", tiny, "--seed", "9223372036854775808", "-o", o]);
    assert_eq!(out.status.code(), Some(2));
    let long = dir.join(format!("{}.toml", "a".repeat(150)));
    std::fs::write(&long, std::fs::read_to_string(tiny).unwrap().replace("name = \"tiny\"\n", "")).unwrap();
    let out = hallsim(&["check", long.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_label_is_a_short_line_of_text() {
    let text = municipal().replacen("label_zh = \"受理\"", "label_zh = \"\"", 1).replacen(
        "[[pool]]\nname = \"guides\"",
        &format!("[[pool]]\nname = \"guides\"\nlabel = \"{}\"", "x".repeat(41)),
        1,
    );
    let (code, err) = check("labels", &text);
    assert_eq!(code, 1);
    assert_reports(
        &err,
        &[
            "stage[1].label_zh: must be a text of 1 to 40 characters, no line breaks or tabs, got \"\"",
            "pool[0].label: must be a text of 1 to 40 characters",
        ],
    );
}

#[test]
fn a_negative_count_is_one_mistake_not_one_per_case_type() {
    let (code, err) = check("negative", &municipal().replacen("count = 34 ", "count = -3 ", 1));
    assert_eq!(code, 1);
    assert_reports(&err, &["pool[1].count: must be 0 to 100000 (servers), got -3"]);
    assert!(!err.contains("no pool with staff serves"), "{err}");
}

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

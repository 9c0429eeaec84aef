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

//! No input makes the loader panic: mangled copies of a real scenario must
//! each come back as Ok or as rendered problems.

use hallsim::rng::Stream;
use rand::Rng;

#[test]
fn mangled_scenarios_never_panic() {
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml")).unwrap();
    let bytes = base.as_bytes();
    let pieces: [&[u8]; 10] = [b"\"", b"]", b"[", b"=", b"-1", b"0", b"\n", b"{", b"1e999", "名".as_bytes()];
    let mut rng = Stream::from_seed_u64(2026);
    for _ in 0..3000 {
        let mut text = bytes.to_vec();
        for _ in 0..1 + rng.next_u32() % 3 {
            let at = rng.next_u32() as usize % text.len();
            match rng.next_u32() % 3 {
                0 => {
                    let n = (rng.next_u32() % 8) as usize;
                    text.drain(at..(at + n).min(text.len()));
                }
                1 => {
                    let p = pieces[rng.next_u32() as usize % pieces.len()];
                    text.splice(at..at, p.iter().copied());
                }
                _ => {
                    let end = (at + 1 + rng.next_u32() as usize % 40).min(text.len());
                    let copy = text[at..end].to_vec();
                    text.splice(at..at, copy);
                }
            }
        }
        let s = String::from_utf8_lossy(&text);
        if let Err(e) = hallsim::scenario::parse(&s, "m.toml", "m") {
            assert!(!e.diagnostics.is_empty());
            let _ = e.to_string();
        }
    }
}

/// One window, `service` as the accept time, `extra` added to the file.
fn hall(service: &str, extra: &str) -> String {
    format!(
        r#"
[simulation]
days = 30
replications = 2
[hall]
opens = "08:30"
last_ticket = "17:00"
[arrivals]
per_day = 50
{extra}
[[stage]]
name = "accept"
[[pool]]
name = "w"
count = 2
stages = ["accept"]
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = {service}
"#
    )
}

#[test]
fn durations_beyond_what_a_hall_can_mean_are_refused() {
    for value in ["3e38", "1e12", "100001"] {
        let text = hall(&format!("{{ dist = \"deterministic\", value = {value} }}"), "");
        let e = hallsim::scenario::parse(&text, "long.toml", "long").unwrap_err().to_string();
        assert!(e.contains("case_type[0].service.accept") && e.contains("at most 100000 minutes"), "{e}");
    }
    let text = hall(r#"{ dist = "lognormal", mean = 5, cv = 50 }"#, "");
    let e = hallsim::scenario::parse(&text, "cv.toml", "cv").unwrap_err().to_string();
    assert!(e.contains("at most 10"), "{e}");
}

#[test]
fn the_longest_allowed_service_runs_in_time_that_grows_with_events() {
    // Every person served for 100,000 minutes (69 days): the hourly
    // bookkeeping adds whole days at once, so the run ends at once.
    let text = hall(r#"{ dist = "deterministic", value = 100000 }"#, "");
    let r = hallsim::experiment::run_replications(&crate::common::model(&text), 1, 2);
    let util = r.estimate("pool.w.utilization").unwrap().mean;
    assert!((0.0..=1.0).contains(&util), "{util}");
}

#[test]
fn a_slot_count_that_would_overflow_is_refused() {
    let booked = "[appointments]\nfirst_slot = \"09:00\"\nlast_slot = \"16:00\"\nevery_minutes = 1e-9\nper_slot = 1\n";
    let e = hallsim::scenario::parse(&hall(r#"{ dist = "exponential", mean = 5 }"#, booked), "b.toml", "b")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("appointments.every_minutes")
            && e.contains("must be 1 to 1440 (minutes; so at most 1441 slots a day), got 0.000000001"),
        "{e}"
    );
}

#[test]
fn work_and_memory_beyond_the_limits_are_refused_before_the_run() {
    use crate::cli::{hallsim, temp_dir};
    let dir = temp_dir("workload");
    let o = dir.to_str().unwrap();
    // M/M/10 at utilization 2 for a million minutes, no max_arrivals.
    let overloaded = dir.join("overloaded.toml");
    std::fs::write(
        &overloaded,
        crate::common::single_stage(20.0, 10, r#"{ dist = "exponential", mean = 1.0 }"#, 1e6, 0.0),
    )
    .unwrap();
    let out = hallsim(&["run", overloaded.to_str().unwrap(), "-r", "2", "-o", o]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("grows without end") && err.contains("MB"), "{err}");
    assert!(err.contains("offered load 20.0 against 10 staff"), "{err}");
    // A billion tickets a day.
    let huge = dir.join("huge.toml");
    let text = hall(r#"{ dist = "exponential", mean = 5 }"#, "").replace("per_day = 50", "per_day = 1e9");
    std::fs::write(&huge, text).unwrap();
    let out = hallsim(&["run", huge.to_str().unwrap(), "-o", o]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("people per replication") && err.contains("--max-people"), "{err}");
    // The same in a sweep point.
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/tiny.toml");
    let out = hallsim(&["sweep", tiny, "--set", "arrivals.per_day=40,1e308", "-o", o]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // Nothing was written for any of them.
    assert_eq!(std::fs::read_dir(&dir).unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count(), 0);
}

#[test]
fn check_names_the_hours_a_stage_is_over_its_staff() {
    use crate::cli::{hallsim, temp_dir};
    let dir = temp_dir("overload-check");
    // 50 a day over 8.5 hours at 30 minutes each: 2.9 busy servers for 2 windows.
    let file = dir.join("busy.toml");
    std::fs::write(&file, hall(r#"{ dist = "exponential", mean = 30 }"#, "")).unwrap();
    let out = hallsim(&["check", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("stage accept at 09:00-10:00") && err.contains("against 2 staff"), "{err}");
    assert!(err.contains("stage accept at 16:00-17:00"), "{err}");
}

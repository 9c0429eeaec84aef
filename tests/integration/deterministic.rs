//! Hand-computed cases: fixed gaps and fixed service times, so every wait is
//! known exactly.

use crate::common::*;

#[test]
fn one_window_with_fixed_gaps_and_services() {
    // Arrivals every 2 minutes (at 2, 4, 6, 8, 10), service 3 minutes:
    // calls at 2, 5, 8, 11, 14, so waits 0, 1, 2, 3, 4 and times 3..7.
    let toml = r#"
[simulation]
horizon_minutes = 1000
max_arrivals = 5
[targets]
wait_minutes = [2, 3.5]
[arrivals]
interarrival = { dist = "deterministic", value = 2 }
[[stage]]
name = "serve"
[[pool]]
name = "w"
count = 1
stages = ["serve"]
[[case_type]]
name = "c"
share = 1
route = ["serve"]
service.serve = { dist = "deterministic", value = 3 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "arrived", 5.0);
    assert_exact(&r, "wait_mean", 2.0);
    assert_exact(&r, "wait_max", 4.0);
    assert_exact(&r, "waited", 0.8);
    assert_exact(&r, "wait_within_2_min", 0.6);
    assert_exact(&r, "wait_within_3.5_min", 0.8);
    assert_exact(&r, "stage.serve.wait_within_2_min", 0.6);
    assert_exact(&r, "type.c.wait_within_3.5_min", 0.8);
    assert_exact(&r, "case_wait_mean", 2.0);
    assert_exact(&r, "time_in_system_mean", 5.0);
    assert_exact(&r, "time_in_system_max", 7.0);
    // Observed until the last arrival (minute 10): waiting [4,5], [6,8], [8,10].
    assert_exact(&r, "queue_mean", 5.0 / 10.0);
    assert_exact(&r, "queue_max", 2.0);
    // Busy over [2, 10] of the window [0, 10].
    assert_exact(&r, "pool.w.utilization", 0.8);
    let p50 = value(&r, "wait_p50");
    assert!((p50 / 2.0 - 1.0).abs() < 0.004, "median wait {p50} within bucket precision of 2");
}

#[test]
fn closing_time_overtime_and_budgets() {
    // Tickets 09:00-09:10 every 2 minutes: 09:02, 09:04, 09:06, 09:08.
    // One window, 5 minutes each: calls 09:02, 09:07, 09:12, 09:17; last
    // person leaves 09:22. Waits 0, 3, 6, 9; times 5, 8, 11, 14.
    let toml = r#"
[hall]
opens = "09:00"
last_ticket = "09:10"
[arrivals]
interarrival = { dist = "deterministic", value = 2 }
[[stage]]
name = "accept"
budget_minutes = 10
[[pool]]
name = "w"
count = 1
stages = ["accept"]
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = { dist = "deterministic", value = 5 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "arrived", 4.0);
    assert_exact(&r, "wait_mean", 4.5);
    assert_exact(&r, "time_in_system_mean", 9.5);
    assert_exact(&r, "stage.accept.within_budget", 0.5);
    // The two late ones are late by their waits; a 4-minute budget is missed by the service alone.
    assert_exact(&r, "stage.accept.missed_by_wait", 0.5);
    assert_exact(&r, "stage.accept.missed_by_service", 0.0);
    assert_exact(&r, "type.c.stage.accept.within_budget", 0.5);
    let hour = |r: &hallsim::experiment::RunResult, key: &str| {
        r.hourly_defs.iter().position(|d| d.key == key).map(|j| r.hourly[j][9].mean)
    };
    assert_eq!(hour(&r, "stage.accept.within_budget"), Some(0.5));
    let tight = run(&toml.replace("budget_minutes = 10", "budget_minutes = 4"), 1, 1);
    assert_exact(&tight, "stage.accept.missed_by_service", 1.0);
    assert_exact(&tight, "stage.accept.missed_by_wait", 0.0);
    // Called within 5 minutes of the ticket: waits 0 and 3 of 0, 3, 6, 9.
    let waits = run(&toml.replace("[hall]", "[targets]\nwait_minutes = [5]\n[hall]"), 1, 1);
    assert_eq!(hour(&waits, "wait_within_5_min"), Some(0.5));
    assert_exact(&r, "within_60_min", 1.0);
    assert_exact(&r, "pool.w.utilization", 0.8);
    assert_exact(&r, "pool.w.overtime", 12.0);
    assert_exact(&r, "overrun", 12.0);
    // Waiting: [9:04,9:07] + [9:06,9:12] + [9:08,9:17] = 18 person-minutes over 09:00-09:22.
    assert_exact(&r, "queue_mean", 18.0 / 22.0);
}

#[test]
fn a_freed_window_calls_the_longest_waiting_ticket_before_the_next_stage() {
    // One integrated window does accept (5 min) and issue (1 min). A arrives
    // at 1, B at 2. A: accept [1,6]. B has waited since 2, so B is called at 6
    // before A joins the issue queue: B accept [6,11], A issue [11,12],
    // B issue [12,13].
    let toml = r#"
[simulation]
horizon_minutes = 100
max_arrivals = 2
[arrivals]
interarrival = { dist = "deterministic", value = 1 }
[[stage]]
name = "accept"
[[stage]]
name = "issue"
[[pool]]
name = "window"
count = 1
stages = ["accept", "issue"]
[[case_type]]
name = "c"
share = 1
route = ["accept", "issue"]
service.accept = { dist = "deterministic", value = 5 }
service.issue = { dist = "deterministic", value = 1 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "wait_mean", 2.0);
    assert_exact(&r, "stage.issue.wait_mean", 3.0);
    assert_exact(&r, "time_in_system_mean", 11.0);
    assert_exact(&r, "time_in_system_max", 11.0);
}

#[test]
fn priority_class_is_called_first() {
    // Service 4 minutes, one window. With a ticket every 5 minutes nobody
    // waits; with one every 3 minutes a queue builds, and the priority class,
    // always called first, waits less than the regular class.
    let toml = r#"
[simulation]
horizon_minutes = 10000
max_arrivals = 200
[arrivals]
interarrival = { dist = "deterministic", value = 5 }
[[stage]]
name = "s"
[[pool]]
name = "w"
count = 1
stages = ["s"]
[[case_type]]
name = "green"
share = 0.5
priority = 1
route = ["s"]
service.s = { dist = "deterministic", value = 4 }
[[case_type]]
name = "regular"
share = 0.5
route = ["s"]
service.s = { dist = "deterministic", value = 4 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "wait_max", 0.0);
    let r = run(&toml.replace("value = 5", "value = 3"), 1, 1);
    let (green, regular) = (value(&r, "type.green.wait_mean"), value(&r, "type.regular.wait_mean"));
    assert!(green < regular / 2.0, "green {green} vs regular {regular}");
}

/// One window, 09:00-11:00, a ticket every 20 minutes (09:20 ... 10:40), 15
/// minutes each, and a schedule that takes the window off duty.
fn scheduled(off_from: &str) -> String {
    format!(
        r#"
[hall]
opens = "09:00"
last_ticket = "11:00"
[arrivals]
interarrival = {{ dist = "deterministic", value = 20 }}
[[stage]]
name = "accept"
[[pool]]
name = "w"
count = 1
stages = ["accept"]
schedule = [{{ from = "{off_from}", to = "10:30", count = 0 }}]
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = {{ dist = "deterministic", value = 15 }}
"#
    )
}

#[test]
fn a_window_off_duty_at_lunch_and_back() {
    // Off 10:00-10:30. The 10:00 ticket and the duty change fall on the same
    // instant; the change was scheduled first, so the window is already off.
    // Calls: 09:20, 09:40, then 10:30 (waited 30), 10:45 (25), 11:00 (20).
    let r = run(&scheduled("10:00"), 1, 1);
    assert_exact(&r, "wait_mean", 15.0);
    assert_exact(&r, "wait_max", 30.0);
    // On duty 90 of the 120 staffed minutes, busy 60 of them; 11:00-11:15 is overtime.
    assert_exact(&r, "pool.w.utilization", 60.0 / 90.0);
    assert_exact(&r, "pool.w.overtime", 15.0);
}

#[test]
fn a_shift_that_ends_during_a_case_finishes_it_as_overtime() {
    // Off 09:50-10:30: the 09:40 case runs to 09:55, five minutes past the
    // shift's end. Waits are as above; overtime is 5 + 15 minutes.
    let r = run(&scheduled("09:50"), 1, 1);
    assert_exact(&r, "wait_mean", 15.0);
    assert_exact(&r, "pool.w.overtime", 20.0);
    // On duty 80 minutes, busy 55 of them (09:20-09:35, 09:40-09:50, 10:30-11:00).
    assert_exact(&r, "pool.w.utilization", 55.0 / 80.0);
}

#[test]
fn a_hand_off_counts_in_the_stage_but_not_in_its_queue() {
    // Ticket at 2; accept [2, 7]; hand-off to the back office [7, 10];
    // approve [10, 14]. The approve stage takes 7 minutes against a 6-minute budget.
    let toml = r#"
[simulation]
horizon_minutes = 100
max_arrivals = 1
[arrivals]
interarrival = { dist = "deterministic", value = 2 }
[[stage]]
name = "accept"
[[stage]]
name = "approve"
budget_minutes = 6
present = false
[[pool]]
name = "w"
count = 1
stages = ["accept", "approve"]
[[case_type]]
name = "c"
share = 1
route = ["accept", "approve"]
service.accept = { dist = "deterministic", value = 5 }
service.approve = { dist = "deterministic", value = 4 }
handoff.approve = { dist = "deterministic", value = 3 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "time_in_system_mean", 12.0);
    assert_exact(&r, "stage.approve.wait_mean", 0.0);
    assert_exact(&r, "stage.approve.time_mean", 7.0);
    assert_exact(&r, "stage.approve.within_budget", 0.0);
    assert_exact(&r, "stage.approve.missed_by_wait", 1.0);
    assert_exact(&r, "type.c.stage.accept.within_budget", 1.0);
    let first = toml.replace("handoff.approve", "handoff.accept");
    let err = hallsim::scenario::parse(&first, "h.toml", "h").unwrap_err().to_string();
    assert!(err.contains("case_type[0].handoff.accept: a hand-off leads into a later stage"), "{err}");
}

#[test]
fn people_leave_when_their_patience_runs_out() {
    // One window, 10 minutes each; tickets at 2, 4, 6; patience 5 minutes.
    // The first is called at once; the others give up at 9 and 11.
    let toml = r#"
[simulation]
horizon_minutes = 100
max_arrivals = 3
[arrivals]
interarrival = { dist = "deterministic", value = 2 }
[[stage]]
name = "accept"
[[pool]]
name = "w"
count = 1
stages = ["accept"]
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = { dist = "deterministic", value = 10 }
patience = { dist = "deterministic", value = 5 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "abandoned", 2.0 / 3.0);
    assert_exact(&r, "completed", 1.0);
    assert_exact(&r, "wait_mean", 0.0);
    // Bank staff and agents never leave: then calls at 2, 12 and 22.
    let r = run(&toml.replace("value = 5 }", "value = 5 }\nnever_leave_share = 1"), 1, 1);
    assert_exact(&r, "abandoned", 0.0);
    assert_exact(&r, "wait_mean", 8.0);
}

#[test]
fn a_full_hall_turns_people_away() {
    // Room for 2. One window, 10 minutes each; tickets at 2, 4, 6, 8 (09:00 opening).
    // At 6 and at 8 two people are inside (one served, one waiting): both are turned away.
    let toml = r#"
[hall]
opens = "09:00"
last_ticket = "09:09"
capacity = 2
[arrivals]
interarrival = { dist = "deterministic", value = 2 }
[[stage]]
name = "accept"
[[pool]]
name = "w"
count = 1
stages = ["accept"]
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = { dist = "deterministic", value = 10 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "turned_away", 0.5);
    assert_exact(&r, "arrived", 2.0);
    assert_exact(&r, "completed", 2.0);
    assert_exact(&r, "wait_mean", 4.0);
}

#[test]
fn an_overrun_into_the_next_days_hours_is_observed_once() {
    // 24-hour days; tickets every 8 hours: 08:00 and 16:00 of each day; one
    // window, 700 minutes each. Day 0: served 480-1180 and 1180-1880 (the
    // second waits 960-1180 and runs into day 1). Day 1: 1920-2620 and
    // 2620-3320 (waiting 2400-2620). 440 person-minutes of queue over
    // 0-3320, the minutes 1440-1880 counted once.
    let toml = r#"
[simulation]
days = 2
[hall]
opens = "00:00"
last_ticket = "24:00"
[arrivals]
interarrival = { dist = "deterministic", value = 480 }
[[stage]]
name = "serve"
[[pool]]
name = "w"
count = 1
stages = ["serve"]
[[case_type]]
name = "c"
share = 1
route = ["serve"]
service.serve = { dist = "deterministic", value = 700 }
"#;
    let r = run(toml, 1, 1);
    assert_exact(&r, "arrived", 2.0);
    assert_exact(&r, "queue_mean", 440.0 / 3320.0);
    assert_exact(&r, "queue_max", 1.0);
}

//! Hand-computed cases of the practices that change trips and routes:
//! documents, pre-review, a hard close, parallel and later-day steps, absent
//! tickets, balking and appointments. One window (or one per stage), fixed
//! gaps and fixed service times, so every figure is known exactly.

use crate::common::*;

/// One window from 09:00; tickets every 2 minutes until `last`; `extra` adds
/// sections and keys (TOML) after the accept stage.
fn hall(days: u32, last: &str, max_arrivals: u32, extra: &str, case_extra: &str) -> String {
    format!(
        r#"
[simulation]
days = {days}
max_arrivals = {max_arrivals}
[hall]
opens = "09:00"
last_ticket = "{last}"
[arrivals]
interarrival = {{ dist = "deterministic", value = 2 }}
[[stage]]
name = "accept"
[[pool]]
name = "w"
count = 1
stages = ["accept"]
{extra}
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = {{ dist = "deterministic", value = 10 }}
{case_extra}
"#
    )
}

const DOCS: &str = r#"
[documents]
problem_share = 1
fixed_share = 1
fix_time = { dist = "deterministic", value = 3 }
"#;

#[test]
fn a_problem_fixed_at_the_window_costs_window_time() {
    let r = run(&hall(1, "09:05", 1, DOCS, ""), 1, 1);
    assert_exact(&r, "time_in_system_mean", 13.0);
    assert_exact(&r, "one_trip", 1.0);
    assert_exact(&r, "trips_per_case", 1.0);
}

#[test]
fn a_missing_paper_sends_the_person_home_for_a_second_trip() {
    // Ticket at 09:02 on day 0, 10 minutes at the window, sent home; back at
    // 09:02 on day 1 with the paper, served in 10 minutes.
    let docs = DOCS.replace("fixed_share = 1", "fixed_share = 0");
    let r = run(&hall(2, "09:05", 1, &docs, ""), 1, 1);
    assert_exact(&r, "one_trip", 0.0);
    assert_exact(&r, "trips_per_case", 2.0);
    assert_exact(&r, "sent_home", 1.0);
    assert_exact(&r, "returns", 0.5);
    assert_exact(&r, "completed", 0.5);
    assert_exact(&r, "time_in_system_mean", 10.0);
    assert_exact(&r, "stage.accept.served", 1.0);
    // Nobody comes back: the case is lost after one trip.
    let r = run(&hall(2, "09:05", 1, &format!("{docs}[returns]\nshare = 0\n"), ""), 1, 1);
    assert_exact(&r, "one_trip", 0.0);
    assert_exact(&r, "trips_per_case", 1.0);
    assert_exact(&r, "completed", 0.0);
    // In a one-day run the return is a trip the run does not see.
    let r = run(&hall(1, "09:05", 1, &docs, ""), 1, 1);
    assert_exact(&r, "trips_per_case", 2.0);
    assert_exact(&r, "completed", 0.0);
}

#[test]
fn accepting_with_a_missing_paper_completes_on_the_first_trip_and_leaves_a_follow_up() {
    let docs = DOCS.replace("fixed_share = 1", "fixed_share = 0")
        + "accept_missing = true\naccept_missing_time = { dist = \"deterministic\", value = 3 }\n\
           follow_up_stage = \"follow\"\nfollow_up_time = { dist = \"deterministic\", value = 5 }\n\
           [[stage]]\nname = \"follow\"\npresent = false\n[[pool]]\nname = \"back\"\ncount = 1\nstages = [\"follow\"]\n";
    let r = run(&hall(1, "09:05", 1, &docs, ""), 1, 1);
    assert_exact(&r, "one_trip", 1.0);
    assert_exact(&r, "time_in_system_mean", 13.0);
    assert_exact(&r, "follow_ups", 1.0);
    assert_exact(&r, "stage.follow.served", 1.0);
    assert_exact(&r, "stage.follow.service_mean", 5.0);
}

#[test]
fn a_guide_fixes_problems_before_the_ticket_and_shortens_the_window() {
    let pre = format!(
        "{DOCS}[pre_review]\nstage = \"guide\"\nshare = 1\nservice = {{ dist = \"deterministic\", value = 4 }}\n\
         catch_share = 1\nwindow_time_factor = 0.5\n[[stage]]\nname = \"guide\"\n\
         [[pool]]\nname = \"guides\"\ncount = 1\nstages = [\"guide\"]\n"
    );
    // Guide 09:02-09:06, ticket at 09:06, window 5 minutes (10 x 0.5), no fix
    // time: 9 minutes from entering the hall.
    let r = run(&hall(1, "09:05", 1, &pre, ""), 1, 1);
    assert_exact(&r, "time_in_system_mean", 9.0);
    assert_exact(&r, "wait_mean", 0.0);
    assert_exact(&r, "stage.guide.served", 1.0);
    // A missing paper caught by the guide: home before the window.
    let r = run(&hall(1, "09:05", 1, &pre.replace("fixed_share = 1", "fixed_share = 0"), ""), 1, 1);
    assert_exact(&r, "stage.accept.served", 0.0);
    assert_exact(&r, "sent_home", 1.0);
}

#[test]
fn a_hard_close_sends_the_waiting_home_and_extended_hours_serve_them() {
    // Tickets at 09:02 and 09:04, staff until 09:10. The first is in service
    // 09:02-09:12 and finishes; the second is sent home at 09:10 and served
    // on day 1 at 09:04, at once.
    let hard =
        hall(2, "09:05", 2, "", "").replace("last_ticket", "staff_until = \"09:10\"\nclosing = \"hard\"\nlast_ticket");
    let r = run(&hard, 1, 1);
    assert_exact(&r, "one_trip", 0.5);
    assert_exact(&r, "trips_per_case", 1.5);
    assert_exact(&r, "sent_home", 0.5);
    assert_exact(&r, "wait_mean", 0.0);
    assert_exact(&r, "completed", 1.0);
    let extended = hard.replace("\"hard\"", "\"extended\"");
    let r = run(&extended, 1, 1);
    assert_exact(&r, "one_trip", 1.0);
    assert_exact(&r, "wait_mean", 4.0);
}

/// accept (10 minutes) -> approve (back office, 8) -> tax (window, 5), a pool per stage.
fn three_steps(case_extra: &str) -> String {
    let extra = "[[stage]]\nname = \"approve\"\npresent = false\n[[stage]]\nname = \"tax\"\n\
                 [[pool]]\nname = \"approvers\"\ncount = 1\nstages = [\"approve\"]\n\
                 [[pool]]\nname = \"tax_windows\"\ncount = 1\nstages = [\"tax\"]\n";
    let case = format!(
        "{case_extra}\nservice.approve = {{ dist = \"deterministic\", value = 8 }}\n\
         service.tax = {{ dist = \"deterministic\", value = 5 }}\n"
    );
    hall(2, "09:05", 1, extra, &case).replace("route = [\"accept\"]", "route = [\"accept\", \"approve\", \"tax\"]")
}

#[test]
fn parallel_steps_join_when_both_are_done() {
    let serial = run(&three_steps(""), 1, 1);
    assert_exact(&serial, "time_in_system_mean", 23.0);
    // Approval (8) beside the tax window (5): the case waits for approval.
    let parallel = run(&three_steps("parallel = [\"approve\"]"), 1, 1);
    assert_exact(&parallel, "time_in_system_mean", 18.0);
    assert_exact(&parallel, "stage.approve.served", 0.5);
    assert_exact(&parallel, "stage.tax.served", 0.5);
}

/// One window (10 minutes), then approval in the back office by one approver
/// (`approve`: the case type's keys for it), over two days.
fn accept_then_approve(last: &str, max_arrivals: u32, approve: &str) -> String {
    let extra = "[[stage]]\nname = \"approve\"\npresent = false\n\
                 [[pool]]\nname = \"approvers\"\ncount = 1\nstages = [\"approve\"]\n";
    hall(2, last, max_arrivals, extra, approve).replace("route = [\"accept\"]", "route = [\"accept\", \"approve\"]")
}

#[test]
fn later_day_work_is_done_without_the_person() {
    let toml = accept_then_approve(
        "09:05",
        1,
        "later = [\"approve\"]\nservice.approve = { dist = \"deterministic\", value = 8 }",
    );
    let r = run(&toml, 1, 1);
    // The person leaves after acceptance at 09:12; approval is done on day 1 at 09:12.
    assert_exact(&r, "completed", 0.0);
    assert_exact(&r, "completed_later", 0.5);
    assert_exact(&r, "one_trip", 1.0);
    assert_exact(&r, "stage.approve.served", 0.5);
    assert_exact(&r, "stage.approve.time_mean", 8.0);
}

#[test]
fn an_absent_ticket_costs_call_time() {
    // Both holders left unseen: calls at 09:02 (1 minute) and 09:04.
    let r = run(&hall(1, "09:05", 2, "[calling]\nabsent_share = 0.9999999\n", ""), 1, 1);
    assert_exact(&r, "absent", 1.0);
    assert_exact(&r, "completed", 0.0);
    assert_exact(&r, "one_trip", 0.0);
    // Two minutes of calling in the five staffed minutes 09:00-09:05.
    assert_exact(&r, "pool.w.utilization", 0.4);
}

#[test]
fn people_balk_at_a_long_displayed_wait() {
    // Tickets at 2, 4, 6, 8 minutes past 09:00; the machine shows waiting x 10
    // minutes. At 09:08 two wait (20 > 15 minutes): that person leaves.
    let r = run(&hall(1, "09:09", 4, "[calling]\nbalk_above_minutes = 15\n", ""), 1, 1);
    assert_exact(&r, "balked", 0.25);
    assert_exact(&r, "arrived", 3.0);
    assert_exact(&r, "one_trip", 0.75);
}

#[test]
fn booked_tickets_are_called_before_walk_ins() {
    // Walk-ins at 09:02 and 09:04; one booking for 09:05, on time. The window
    // serves 09:02, then the booked person at 09:12 (wait 7), then 09:04 at
    // 09:22 (wait 18).
    let booked = "[appointments]\nfirst_slot = \"09:05\"\nlast_slot = \"09:05\"\nevery_minutes = 10\nper_slot = 1\n";
    let r = run(&hall(1, "09:05", 2, booked, ""), 1, 1);
    assert_exact(&r, "arrived", 3.0);
    assert_exact(&r, "green_channel.wait_mean", 7.0);
    assert_exact(&r, "wait_mean", 25.0 / 3.0);
}

#[test]
fn patience_runs_again_on_the_return_visit() {
    // Every case lacks a paper; patience 9 minutes. Day 0: tickets at 09:02
    // and 09:04; both are served (the second after 8 minutes) and sent home.
    // Day 1: a new ticket at 09:02 is served first; the two come back at 09:02
    // and 09:04; the one back at 09:04 would wait until 09:22 and leaves at 09:13.
    let docs = DOCS.replace("fixed_share = 1", "fixed_share = 0");
    let patience = "patience = { dist = \"deterministic\", value = 9 }\nnever_leave_share = 0";
    let r = run(&hall(2, "09:05", 3, &docs, patience), 1, 1);
    assert_exact(&r, "abandoned", 1.0 / 3.0);
    assert_exact(&r, "completed", 0.5);
    assert_exact(&r, "returns", 1.0);
}

/// The one window with a completion target of 12 minutes: a ticket at 09:02
/// done at 09:12 is on time; at 09:04, waiting until 09:12, done 09:22, late.
fn target_12(last: &str, people: u32, extra: &str, case_extra: &str) -> String {
    hall(1, last, people, &format!("[targets]\ncompletion_minutes = 12\n{extra}"), case_extra)
}

#[test]
fn a_late_completion_is_a_miss_of_both_targets() {
    let r = run(&target_12("09:05", 2, "", ""), 1, 1);
    assert_exact(&r, "within_12_min", 0.5);
    assert_exact(&r, "first_trip_within_12_min", 0.5);
}

#[test]
fn giving_up_is_a_miss() {
    // The second person leaves at 09:09, five minutes after the ticket.
    let patience = "patience = { dist = \"deterministic\", value = 5 }\nnever_leave_share = 0";
    let r = run(&target_12("09:05", 2, "", patience), 1, 1);
    assert_exact(&r, "abandoned", 0.5);
    assert_exact(&r, "within_12_min", 0.5);
    assert_exact(&r, "first_trip_within_12_min", 0.5);
}

#[test]
fn turning_people_away_never_scores_better_than_serving_them_late() {
    // Tickets at 09:02, 09:04 and 09:06. Served, the third is done at 09:32:
    // late, like the second. Balking at the displayed wait (10 minutes at
    // 09:06) or a full hall (two inside) turns the third away: a miss too.
    let served = run(&target_12("09:07", 3, "", ""), 1, 1);
    assert_exact(&served, "within_12_min", 1.0 / 3.0);
    let balk = target_12("09:07", 3, "[calling]\nbalk_above_minutes = 1\nbalk_share = 1\n", "");
    let full = target_12("09:07", 3, "", "").replace("last_ticket", "capacity = 2\nlast_ticket");
    for (what, text) in [("balking", balk), ("a full hall", full)] {
        let r = run(&text, 1, 1);
        for key in ["within_12_min", "first_trip_within_12_min"] {
            assert_exact(&r, key, 1.0 / 3.0);
            assert!(value(&r, key) <= value(&served, key), "{what}: {key} better than serving late");
        }
    }
}

#[test]
fn a_hard_close_is_a_miss_and_extended_hours_are_not_worse() {
    // Tickets at 09:02 and 09:04, staff until 09:10. Hard: the second is sent
    // home at 09:10 (a miss) and served at once on day 1 (on time): two of
    // three visits, one of two cases on the first trip. Extended: done 09:22,
    // inside 60 minutes.
    let hard =
        hall(2, "09:05", 2, "", "").replace("last_ticket", "staff_until = \"09:10\"\nclosing = \"hard\"\nlast_ticket");
    let r = run(&hard, 1, 1);
    assert_exact(&r, "within_60_min", 2.0 / 3.0);
    assert_exact(&r, "first_trip_within_60_min", 0.5);
    let e = run(&hard.replace("\"hard\"", "\"extended\""), 1, 1);
    assert_exact(&e, "within_60_min", 1.0);
    assert_exact(&e, "first_trip_within_60_min", 1.0);
}

#[test]
fn a_missing_paper_and_an_absent_ticket_leave_the_visit_out() {
    // Sent home for a paper after the window on day 0: left out; back on day
    // 1 and done in 10 minutes: on time. Not on the first trip.
    let docs = DOCS.replace("fixed_share = 1", "fixed_share = 0");
    let r = run(&hall(2, "09:05", 1, &docs, ""), 1, 1);
    assert_exact(&r, "within_60_min", 1.0);
    assert_exact(&r, "first_trip_within_60_min", 0.0);
    // The only ticket is absent: no visit counts, and no case is on time.
    let r = run(&hall(1, "09:05", 1, "[calling]\nabsent_share = 0.9999999\n", ""), 1, 1);
    assert!(value(&r, "within_60_min").is_nan());
    assert_exact(&r, "first_trip_within_60_min", 0.0);
}

#[test]
fn the_guides_queue_counts_toward_the_target() {
    // Two people at 09:02 and 09:04, one guide for 4 minutes each: the second
    // waits for the guide until 09:06, is guided until 09:10, then waits for
    // the window (busy 09:06-09:11) and is done at 09:16: 12 minutes in the hall.
    let pre = "[pre_review]\nstage = \"guide\"\nshare = 1\nservice = { dist = \"deterministic\", value = 4 }\n\
               catch_share = 1\nwindow_time_factor = 0.5\n[[stage]]\nname = \"guide\"\n\
               [[pool]]\nname = \"guides\"\ncount = 1\nstages = [\"guide\"]\n";
    let r = run(&hall(1, "09:05", 2, &format!("{DOCS}{pre}[targets]\ncompletion_minutes = 10\n"), ""), 1, 1);
    assert_exact(&r, "time_in_system_max", 12.0);
    assert_exact(&r, "wait_max", 1.0);
    assert_exact(&r, "within_10_min", 0.5);
}

#[test]
fn later_day_work_is_not_counted_among_the_people_waiting() {
    // Tickets at 09:02, 09:04 and 09:06; the window serves them 09:02-09:12,
    // 09:12-09:22, 09:22-09:32, so 8 + 16 = 24 person-minutes of waiting in the
    // hall, 2 at once at most. Each person then goes home; their approvals of
    // 15 minutes come in on day 1 at 09:12, 09:22 and 09:32 and wait 5 and 10
    // minutes for the one approver: work waiting, nobody in the hall.
    let toml = accept_then_approve(
        "09:07",
        3,
        "later = [\"approve\"]\nservice.approve = { dist = \"deterministic\", value = 15 }",
    );
    let r = run(&toml, 1, 1);
    assert_exact(&r, "stage.approve.wait_mean", 5.0);
    assert_exact(&r, "stage.accept.wait_mean", 8.0);
    assert!(value(&r, "stage.approve.queue_mean") > 0.0);
    assert_exact(&r, "queue_mean", value(&r, "stage.accept.queue_mean"));
    assert_exact(&r, "queue_max", 2.0);
}

#[test]
fn a_hard_close_takes_the_people_waiting_for_the_back_office_out_of_the_count() {
    // Tickets at 09:02 and 09:04, 2 minutes at the window each, then 15 of
    // approval in the back office. The second person waits for approval from
    // 09:06 until staff leave at 09:10 and goes home, the work staying queued:
    // 4 person-minutes of waiting in the hall, and none after.
    let toml = accept_then_approve("09:05", 2, "service.approve = { dist = \"deterministic\", value = 15 }")
        .replace("value = 10 }", "value = 2 }")
        .replace("last_ticket", "staff_until = \"09:10\"\nclosing = \"hard\"\nlast_ticket");
    let record = hallsim::engine::simulate(&model(&toml), 1, 0).record;
    assert_eq!(record.queue.area, 4.0);
    assert_eq!(record.queue.max, 1);
    // The work itself waited on, for the next day's approver.
    assert!(record.stage_queue[1].area > 4.0, "{}", record.stage_queue[1].area);
}

//! Practices of the reform: each switch moves the KPIs in the expected
//! direction, shown by a paired difference whose 95% interval excludes zero.

use hallsim::experiment::compare::compare;
use hallsim::experiment::run_replications;
use hallsim::stats::estimate::Estimate;

use crate::cli::{hallsim, temp_dir};
use crate::common::{check_golden, column, model, value};
use std::path::Path;

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
    let c = compare(&[("dedicated".into(), &a), ("integrated".into(), &b)]).unwrap();
    let row = c.rows.iter().find(|r| r.key == "wait_mean").unwrap();
    let d = row.differences[1].unwrap();
    assert!(d.mean < 0.0 && row.significant(1), "integrated − dedicated wait: {} ± {}", d.mean, d.half_width);
    // Dedicated windows never serve the other type: slowing transfers down
    // leaves every mortgage wait as it was, bit for bit; with integrated
    // windows the mortgages wait longer.
    let slow = |t: &str| t.replace("mean = 7, cv", "mean = 14, cv");
    let a_slow = run_replications(&model(&slow(&dedicated)), 11, 100);
    let key = "type.mortgage.wait_mean";
    assert_eq!(column(&a, key), column(&a_slow, key));
    let b_slow = run_replications(&model(&slow(&integrated)), 11, 100);
    assert!(value(&b_slow, key) > value(&b, key));
}

#[test]
fn the_green_channel_is_called_first() {
    let text = municipal().replace("green_channel_share = 0.03", "green_channel_share = 0.06");
    assert!(text.contains("0.06"));
    let r = run_replications(&model(&text), 12, 40);
    let green = column(&r, "green_channel.wait_mean");
    let all = column(&r, "wait_mean");
    let d = Estimate::from_values(green.iter().zip(&all).map(|(g, a)| g - a));
    assert!(d.high() < 0.0, "green − everyone: {} ± {}", d.mean, d.half_width);
    // Changing the channel's share leaves every person's other draws as they
    // were: in a hall where nobody leaves, everyone's service is the same.
    let hall = |share: f64| {
        let t = two_types("[[pool]]\nname = \"windows\"\ncount = 4\nstages = [\"accept\"]\n");
        t.replace("per_day = 120", &format!("per_day = 120\ngreen_channel_share = {share}"))
    };
    let (few, many) = (run_replications(&model(&hall(0.03)), 12, 40), run_replications(&model(&hall(0.3)), 12, 40));
    let key = "stage.accept.service_mean";
    for (x, y) in column(&few, key).iter().zip(column(&many, key)) {
        assert!((x / y - 1.0).abs() < 1e-12, "{key}: {x} against {y}");
    }
    assert!(value(&many, "green_channel.wait_mean") < value(&few, "wait_mean"));
}

#[test]
fn bank_outreach_takes_demand_out_of_the_hall() {
    // Cixi: a share of first mortgages registered at bank branches.
    let text = municipal().replace(
        "name = \"mortgage_first\"\nshare = 0.13",
        "name = \"mortgage_first\"\nshare = 0.13\noutside_share = 0.3",
    );
    assert!(text.contains("outside_share"));
    let r = run_replications(&model(&text), 13, 60);
    let base = run_replications(&model(&municipal()), 13, 60);
    let diverted = r.estimate("diverted").unwrap();
    assert!(diverted.covers(2000.0 * 0.13 * 0.3), "diverted {} ± {}", diverted.mean, diverted.half_width);
    let c = compare(&[("base".into(), &base), ("outreach".into(), &r)]).unwrap();
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
    let c = compare(&[("no_lunch_break".into(), &a), ("lunch".into(), &b)]).unwrap();
    for key in ["wait_mean", "stage.accept.wait_mean"] {
        let row = c.rows.iter().find(|r| r.key == key).unwrap();
        assert!(row.differences[1].unwrap().mean > 0.0 && row.significant(1), "{key}");
    }
    let row = c.rows.iter().find(|r| r.key == "within_60_min").unwrap();
    assert!(row.differences[1].unwrap().mean < 0.0 && row.significant(1));
}

/// The shipped before/after pairs: a base scenario with one change each.
/// (base file, generated file, its change, text edits), paths under `scenarios/`.
type Pair = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const PAIRS: &[Pair] = &[
    (
        "municipal.toml",
        "pairs/municipal_36_windows.toml",
        "36 accept windows instead of 34",
        &[(
            "count = 34               # assumption (DOMAIN calibration)",
            "count = 36               # the change: two more windows",
        )],
    ),
    (
        "municipal.toml",
        "pairs/municipal_lunch.toml",
        "a staggered lunch, 10 of the 34 accept windows open 12:00-13:30",
        &[(
            "count = 34               # assumption (DOMAIN calibration)\nstages = [\"accept\"]\n",
            "count = 34               # assumption (DOMAIN calibration)\nstages = [\"accept\"]\n\
             schedule = [{ from = \"12:00\", to = \"13:30\", count = 10 }]   # the change: lunch\n",
        )],
    ),
    (
        "municipal.toml",
        "pairs/municipal_no_pre_review.toml",
        "no pre-review (the guides stay idle)",
        &[("share = 0.7              # assumption", "share = 0                # the change: nobody sees a guide")],
    ),
    (
        "municipal.toml",
        "pairs/municipal_no_accept_missing.toml",
        "no accepting with missing documents (容缺受理 off)",
        &[("accept_missing = true    # article: 容缺受理", "accept_missing = false   # the change: no 容缺受理")],
    ),
    (
        "municipal.toml",
        "pairs/municipal_dedicated_windows.toml",
        "the 34 accept windows split by case type (18 transfer, 11 mortgage, 5 other) instead of one integrated pool",
        &[
            (
                "name = \"accept_windows\"\ncount = 34               # assumption (DOMAIN calibration)\nstages = [\"accept\"]\n",
                "name = \"transfer_windows\"         # the change: windows per group of types\ncount = 18\nstages = [\"accept\"]\n\
             case_types = [\"transfer_second_hand\", \"transfer_new_home\"]\n\n\
             [[pool]]\nname = \"mortgage_windows\"\ncount = 11\nstages = [\"accept\"]\n\
             case_types = [\"mortgage_first\", \"mortgage_cancellation\"]\n\n\
             [[pool]]\nname = \"other_windows\"\ncount = 5\nstages = [\"accept\"]\n\
             case_types = [\"preregistration\", \"change_correction\"]\n",
            ),
            (
                "\"guides\", \"accept_windows\",",
                "\"guides\", \"transfer_windows\", \"mortgage_windows\", \"other_windows\",",
            ),
            (
                "\"guides\", \"accept_windows\",",
                "\"guides\", \"transfer_windows\", \"mortgage_windows\", \"other_windows\",",
            ),
            (
                "\"guides\", \"accept_windows\",",
                "\"guides\", \"transfer_windows\", \"mortgage_windows\", \"other_windows\",",
            ),
        ],
    ),
    (
        "district.toml",
        "pairs/district_parallel.toml",
        "the deed tax paid at its window while approval runs (变串联为并联) instead of after it",
        &[(
            "route = [\"accept\", \"approve\", \"tax\", \"issue\"]\n",
            "route = [\"accept\", \"approve\", \"tax\", \"issue\"]\nparallel = [\"approve\"]   # the change: tax beside approval\n",
        )],
    ),
    (
        "district.toml",
        "pairs/district_booked.toml",
        "30 of the 140 people a day booking a slot (every 15 minutes, 10% no-shows, from 10 minutes early to 10 late) instead of walking in",
        &[
            (
                "per_day = 140            # assumption (DOMAIN calibration)",
                "per_day = 110            # the change: 30 of the 140 book a slot instead",
            ),
            (
                "[calling]\n",
                "[appointments]           # the change: booked slots (assumptions)\nfirst_slot = \"08:30\"\nlast_slot = \"16:30\"\n\
                 every_minutes = 15\nper_slot = 1\nno_show_share = 0.1\nearly_minutes = 10\n\
                 lateness = { dist = \"uniform\", min = 0, max = 20 }\n\n[calling]\n",
            ),
        ],
    ),
    (
        "county.toml",
        "zhenhai.toml",
        "extended hours (延时服务, as in Zhenhai: 479 extended sessions, article): everyone holding a ticket at 17:00 is served",
        &[(
            "closing = \"hard\"         # assumption: no extended hours",
            "closing = \"extended\"     # the change (article, Zhenhai)",
        )],
    ),
    (
        "county.toml",
        "cixi.toml",
        "mortgage registration at bank branches for 60% of first mortgages and cancellations (Cixi, article; the share is an assumption)",
        &[
            (
                "outside_share = 0.3      # assumption (DOMAIN): registered at bank branches",
                "outside_share = 0.6      # the change: Cixi's bank outreach (share assumed)",
            ),
            ("outside_share = 0.3      # assumption (DOMAIN)", "outside_share = 0.6      # the change"),
        ],
    ),
    (
        "city.toml",
        "pairs/city_choose.toml",
        "30% of the people going to the hall whose ticket machine shows the shorter wait (同城通办)",
        &[(
            "shortest_queue_share = 0 # nobody switches (see pairs/city_choose.toml)",
            "shortest_queue_share = 0.3   # the change (share assumed)",
        )],
    ),
];

fn read_scenario(path: &str) -> String {
    std::fs::read_to_string(format!("{}/scenarios/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn pair_text((base, path, change, edits): &Pair) -> String {
    let mut t = read_scenario(base);
    for (from, to) in edits.iter() {
        assert!(t.contains(from), "{path}: {base} no longer holds {from:?}");
        t = t.replacen(from, to, 1);
    }
    let stem = path.trim_start_matches("pairs/").trim_end_matches(".toml");
    let (name, description) =
        (t.lines().find(|l| l.starts_with("name = ")), t.lines().find(|l| l.starts_with("description = ")));
    let (name, description) = (name.unwrap().to_string(), description.unwrap().to_string());
    t = t.replacen(&name, &format!("name = \"{stem}\""), 1);
    t = t.replacen(&description, &format!("description = \"As {base}, with {change}\""), 1);
    format!(
        "# Before/after pair with {base}: {change}; nothing else changed.\n\
         # Generated from {base} by tests/integration/practices.rs\n\
         # (`UPDATE_GOLDEN=1 cargo test --release pairs` rewrites it).\n{t}"
    )
}

#[test]
fn shipped_pairs_are_the_municipal_file_with_one_change() {
    let files: Vec<_> = PAIRS
        .iter()
        .map(|pair| (Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(pair.1), pair_text(pair)))
        .collect();
    check_golden(&files);
}

/// Runs a pair's base and the pair with the same seed and people; the paired
/// difference (pair − base) of each key must have the given sign and a 95%
/// interval that excludes zero.
fn assert_pair_moves(path: &str, replications: u32, expected: &[(&str, f64)]) {
    let pair = PAIRS.iter().find(|p| p.1 == path).unwrap();
    let base = run_replications(&model(&read_scenario(pair.0)), 21, replications);
    let after = run_replications(&model(&pair_text(pair)), 21, replications);
    let c = compare(&[("base".into(), &base), (path.to_string(), &after)]).unwrap();
    for (key, sign) in expected {
        let row = c.rows.iter().find(|r| r.key == *key).unwrap_or_else(|| panic!("no KPI {key}"));
        let d = row.differences[1].unwrap();
        assert!(
            d.mean * sign > 0.0 && row.significant(1),
            "{path}: {key} changed by {} ± {}, expected sign {sign}",
            d.mean,
            d.half_width
        );
    }
}

#[test]
fn pairs_two_more_windows_raise_the_60_minute_rate() {
    assert_pair_moves(
        "pairs/municipal_36_windows.toml",
        40,
        &[("within_60_min", 1.0), ("stage.accept.wait_mean", -1.0)],
    );
}

#[test]
fn pairs_a_lunch_break_costs_waits() {
    assert_pair_moves("pairs/municipal_lunch.toml", 40, &[("within_60_min", -1.0), ("wait_mean", 1.0)]);
}

#[test]
fn pairs_without_guides_windows_take_longer() {
    assert_pair_moves(
        "pairs/municipal_no_pre_review.toml",
        40,
        &[("stage.accept.service_mean", 1.0), ("wait_mean", 1.0)],
    );
}

#[test]
fn pairs_without_accepting_missing_papers_more_people_come_twice() {
    assert_pair_moves("pairs/municipal_no_accept_missing.toml", 40, &[("one_trip", -1.0), ("trips_per_case", 1.0)]);
}

#[test]
fn pairs_windows_per_type_wait_longer_than_one_integrated_pool() {
    assert_pair_moves(
        "pairs/municipal_dedicated_windows.toml",
        40,
        &[("wait_mean", 1.0), ("stage.accept.within_budget", -1.0)],
    );
}

#[test]
fn the_municipal_scenario_reproduces_the_articles_daily_figures() {
    // Article: nearly 2,000 cases a day, 740 certificates. Stated margin: 5%,
    // and the run's 95% interval inside it.
    let r = run_replications(&model(&municipal()), 22, 60);
    for (key, article) in [("arrived", 2000.0), ("stage.issue.served", 740.0)] {
        let e = r.estimate(key).unwrap();
        assert!(
            e.low() > article * 0.95 && e.high() < article * 1.05,
            "{key}: {} ± {} against the article's {article}",
            e.mean,
            e.half_width
        );
    }
}

#[test]
fn pairs_tax_beside_approval_shortens_transfers() {
    let key = "type.transfer_second_hand.time_in_system_mean";
    assert_pair_moves("pairs/district_parallel.toml", 60, &[(key, -1.0), ("within_60_min", 1.0)]);
}

#[test]
fn pairs_extended_hours_save_second_trips() {
    // Serving everyone late instead of sending them home never lowers the
    // 60-minute rates: those sent home count as misses.
    let expected = [("one_trip", 1.0), ("sent_home", -1.0), ("within_60_min", 1.0), ("first_trip_within_60_min", 1.0)];
    assert_pair_moves("zhenhai.toml", 20, &expected);
}

#[test]
fn pairs_bank_outreach_takes_mortgages_out_of_the_hall() {
    assert_pair_moves("cixi.toml", 20, &[("diverted", 1.0), ("wait_mean", -1.0)]);
}

/// Two halls of a city, 70% and 30% of the people living near each, three
/// windows in each; `choice` is the share who go to the shortest queue.
fn two_halls(choice: f64) -> String {
    let hall = |name: &str| {
        format!("[[pool]]\nname = \"{name}_windows\"\ncount = 3\nstages = [\"accept\"]\nsite = \"{name}\"\n")
    };
    format!(
        r#"
[hall]
opens = "09:00"
last_ticket = "12:00"
[arrivals]
per_day = 150
[[site]]
name = "north"
share = 0.7
[[site]]
name = "south"
share = 0.3
[city]
shortest_queue_share = {choice}
[[stage]]
name = "accept"
{}{}
[[case_type]]
name = "c"
share = 1
route = ["accept"]
service.accept = {{ dist = "lognormal", mean = 7, cv = 0.5 }}
"#,
        hall("north"),
        hall("south")
    )
}

#[test]
fn city_wide_processing_evens_out_the_halls() {
    let home = run_replications(&model(&two_halls(0.0)), 31, 60);
    let choose = run_replications(&model(&two_halls(0.5)), 31, 60);
    let north = home.estimate("site.north.arrived").unwrap();
    assert!(north.covers(150.0 * 0.7), "north arrivals {} ± {}", north.mean, north.half_width);
    let c = compare(&[("home".into(), &home), ("choose".into(), &choose)]).unwrap();
    for (key, sign) in [("wait_mean", -1.0), ("site.north.arrived", -1.0), ("site.south.wait_mean", 1.0)] {
        let row = c.rows.iter().find(|r| r.key == key).unwrap();
        let d = row.differences[1].unwrap();
        assert!(d.mean * sign > 0.0 && row.significant(1), "{key}: {} ± {}", d.mean, d.half_width);
    }
}

#[test]
fn site_mistakes_are_reported() {
    let dir = temp_dir("sites");
    let f = dir.join("s.toml");
    let text = two_halls(0.5).replace("site = \"south\"\n", "").replace("site = \"north\"", "site = \"nort\"");
    std::fs::write(&f, text).unwrap();
    let out = hallsim(&["check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pool[0].site: unknown site \"nort\"; the sites are `north`, `south`"), "{err}");
    assert!(err.contains("pool[1]: with several halls every pool needs `site`"), "{err}");
}

#[test]
fn pairs_choosing_the_shorter_queue_shortens_the_busy_halls_wait() {
    let expected = [("site.centre.wait_mean", -1.0), ("site.centre.arrived", -1.0), ("wait_mean", -1.0)];
    assert_pair_moves("pairs/city_choose.toml", 100, &expected);
}

#[test]
fn practice_mistakes_are_reported_at_once() {
    let text = read_scenario("district.toml")
        .replace("closing = \"extended\"", "closing = \"soft\"")
        .replace(
            "route = [\"accept\", \"approve\", \"tax\", \"issue\"]",
            "route = [\"accept\", \"approve\", \"tax\", \"issue\"]\nparallel = [\"tax\"]",
        )
        .replace(
            "later = [\"approve\"]\nservice.accept = { dist = \"lognormal\", mean = 7",
            "later = [\"accept\"]\nservice.accept = { dist = \"lognormal\", mean = 7",
        )
        .replace("stage = \"pre_review\"     # article", "stage = \"accept\"     # article")
        .replace("[calling]\nabsent_share = 0.03", "[calling]\nabsent_share = 1.5")
        .replace("[returns]\nshare = 0.9", "[returns]\nshare = 0.9\nafter_days = 0")
        + "\n[appointments]\nfirst_slot = \"07:00\"\nlast_slot = \"16:00\"\nevery_minutes = 15\nper_slot = 1\n";
    let dir = temp_dir("practice-mistakes");
    let f = dir.join("d.toml");
    std::fs::write(&f, text).unwrap();
    let out = hallsim(&["check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "hall.closing: must be \"extended\" (serve everyone holding a ticket) or \"hard\"",
        "returns.after_days: must be 1 to 365 (days), got 0",
        "calling.absent_share: must be 0 to 1 (not 1) (share), got 1.5",
        "pre_review.stage: is on a case type's route",
        "case_type[0].parallel[0]: must be a back-office stage",
        "case_type[3].later[0]: must be a back-office stage (`present = false`): the person has gone home",
        "appointments.first_slot: slots 07:00-16:00 must lie in order inside the ticket hours 08:30-17:00",
        "7 problems",
    ] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"));
}

#[test]
fn pairs_booked_slots_smooth_the_day() {
    assert_pair_moves("pairs/district_booked.toml", 100, &[("wait_mean", -1.0), ("wait_p90", -1.0)]);
}

#[test]
fn an_unreadable_section_is_reported_once_without_follow_on_errors() {
    let text = read_scenario("district.toml")
        .replace("closing = \"extended\"", "clossing = \"extended\"")
        .replace("accept_missing = true ", "accept_missing = \"yes\" ");
    let dir = temp_dir("unreadable");
    let f = dir.join("d.toml");
    std::fs::write(&f, text).unwrap();
    let out = hallsim(&["check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hall.clossing: unknown key `clossing`; the keys here are `opens`"), "{err}");
    assert!(err.contains("documents.accept_missing: must be true or false, got the text \"yes\""), "{err}");
    assert!(err.contains("2 problems"), "no follow-on errors expected:\n{err}");
}

//! The engine against queueing theory. Each check runs independent
//! replications with a warm-up and asserts that the exact value lies inside
//! the run's 99% Student-t confidence interval (see `common::LEVEL`).

use crate::common::*;

#[test]
fn mmc_wait_formula_matches_published_values() {
    // M/M/1: Wq = ρ / (μ - λ)
    assert!((mmc_wq(1, 0.8, 1.0) - 4.0).abs() < 1e-12);
}

#[test]
fn mm1_waits_queue_and_utilization() {
    let r = run(&single_stage(0.8, 1, r#"{ dist = "exponential", mean = 1.0 }"#, 30_000.0, 3_000.0), 1, 40);
    assert_covers(&r, "wait_mean", 4.0);
    assert_covers(&r, "waited", 0.8);
    assert_covers(&r, "time_in_system_mean", 5.0);
    assert_covers(&r, "queue_mean", 0.8 * 4.0);
    assert_covers(&r, "pool.servers.utilization", 0.8);
}

#[test]
fn mmc_matches_erlang_c() {
    let (c, lambda) = (10, 9.0);
    let r = run(&single_stage(lambda, c, r#"{ dist = "exponential", mean = 1.0 }"#, 20_000.0, 2_000.0), 2, 40);
    assert_covers(&r, "waited", erlang_c(c, lambda));
    assert_covers(&r, "wait_mean", mmc_wq(c, lambda, 1.0));
    assert_covers(&r, "pool.servers.utilization", 0.9);
}

#[test]
fn md1_and_mg1_match_pollaczek_khinchine() {
    // Wq = λ E[S²] / (2 (1 - ρ)) with mean service 1, λ = 0.8.
    let pk = |second_moment: f64| 0.8 * second_moment / (2.0 * 0.2);
    let cases = [
        (r#"{ dist = "deterministic", value = 1.0 }"#, 1.0),
        (r#"{ dist = "gamma", mean = 1.0, cv = 0.5 }"#, 1.25),
        (r#"{ dist = "uniform", min = 0.5, max = 1.5 }"#, 1.0 + 1.0 / 12.0),
        (r#"{ dist = "lognormal", mean = 1.0, cv = 0.7 }"#, 1.49),
    ];
    for (i, (service, m2)) in cases.into_iter().enumerate() {
        let r = run(&single_stage(0.8, 1, service, 30_000.0, 3_000.0), 10 + i as u64, 40);
        assert_covers(&r, "wait_mean", pk(m2));
    }
}

#[test]
fn tandem_of_mmc_stations_sums_erlang_c_sojourns() {
    // The peer benchmark's hall: a Jackson network, so each station is M/M/c.
    let stations = [(8, 3.5), (9, 4.0), (3, 1.2)];
    let lambda = 2.0;
    let exact: f64 = stations.iter().map(|&(c, m)| mmc_wq(c, lambda, m) + m).sum();
    let toml = format!(
        r#"
[simulation]
horizon_minutes = 20000
warmup_minutes = 2000
[arrivals]
rate_per_minute = {lambda}
[[stage]]
name = "accept"
[[stage]]
name = "approve"
[[stage]]
name = "issue"
[[pool]]
name = "a"
count = 8
stages = ["accept"]
[[pool]]
name = "b"
count = 9
stages = ["approve"]
[[pool]]
name = "c"
count = 3
stages = ["issue"]
[[case_type]]
name = "case"
share = 1.0
route = ["accept", "approve", "issue"]
service.accept = {{ dist = "exponential", mean = 3.5 }}
service.approve = {{ dist = "exponential", mean = 4.0 }}
service.issue = {{ dist = "exponential", mean = 1.2 }}
"#
    );
    let r = run(&toml, 3, 40);
    assert_covers(&r, "time_in_system_mean", exact);
    for (name, (c, m)) in ["accept", "approve", "issue"].iter().zip(stations) {
        assert_covers(&r, &format!("stage.{name}.wait_mean"), mmc_wq(c, lambda, m));
    }
}

#[test]
fn non_preemptive_priority_matches_cobham() {
    // M/M/1, λ = 0.8, mean service 1; 30% of arrivals have priority.
    // Cobham: W_k = W0 / ((1 - σ_{k-1}) (1 - σ_k)), W0 = Σ λ_i E[S_i²] / 2.
    let (lambda, high) = (0.8, 0.3);
    let w0 = lambda * 2.0 / 2.0;
    let s1 = lambda * high;
    let exact_high = w0 / (1.0 - s1);
    let exact_low = w0 / ((1.0 - s1) * (1.0 - lambda));
    let toml = format!(
        r#"
[simulation]
horizon_minutes = 30000
warmup_minutes = 3000
[arrivals]
rate_per_minute = {lambda}
[[stage]]
name = "serve"
[[pool]]
name = "window"
count = 1
stages = ["serve"]
[[case_type]]
name = "green"
share = {high}
priority = 1
route = ["serve"]
service.serve = {{ dist = "exponential", mean = 1.0 }}
[[case_type]]
name = "regular"
share = {low}
route = ["serve"]
service.serve = {{ dist = "exponential", mean = 1.0 }}
"#,
        low = 1.0 - high
    );
    let r = run(&toml, 4, 40);
    assert_covers(&r, "type.green.wait_mean", exact_high);
    assert_covers(&r, "type.regular.wait_mean", exact_low);
    // Little's law per class: L = λ_k W_k.
    assert_covers(&r, "class.1.queue_mean", s1 * exact_high);
    assert_covers(&r, "class.0.queue_mean", lambda * (1.0 - high) * exact_low);
}

#[test]
fn littles_law_holds_on_the_municipal_hall() {
    // Every person is observed from ticket to exit in days mode, so the area
    // under the queue-length path equals the sum of all waits (of those
    // served and of those who gave up), and the area
    // under the busy-server path equals the sum of all service times.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");
    let loaded = hallsim::scenario::load(std::path::Path::new(path)).unwrap();
    let follow_up = loaded.scenario.stages().iter().position(|s| s.name == "follow_up").unwrap();
    let model = hallsim::engine::Model::new(loaded.scenario);
    for rep in 0..5 {
        let r = hallsim::engine::simulate(&model, 7, rep).record;
        let waits: f64 = r.stage_wait.iter().map(|t| t.sum).sum::<f64>() + r.unserved_wait.sum;
        let area: f64 = r.stage_queue.iter().map(|q| q.area).sum();
        assert!((area / waits - 1.0).abs() < 1e-9, "queue area {area} vs waits {waits}");
        let tasks = r.stage_queue[follow_up].area;
        assert!((r.queue.area - (area - tasks)).abs() < 1e-6 * area, "people's queue leaves out the follow-ups");
        // Little's law on people present: the area under the people-in-the-hall
        // path is the sum of every visit's time in the hall.
        assert!((r.present.area / r.visit_time.sum - 1.0).abs() < 1e-9, "people present");
        let service: f64 = r.stage_service.iter().map(|t| t.sum).sum();
        let busy: f64 = r.pool_busy.iter().map(|b| b.area).sum();
        assert!((busy / service - 1.0).abs() < 1e-9, "busy {busy} vs service {service}");
        assert_eq!(r.arrived, r.cases, "every case is settled by the end of the run");
    }
}

#[test]
fn mmck_blocking_matches_theory() {
    // M/M/2/4 (hall.capacity = 4 people, waiting or served), λ = 1, μ = 1:
    // p_n ∝ a^n / n! for n ≤ 2 and a^n / (2! 2^(n-2)) above; blocked: p_4.
    let (c, k, a) = (2u32, 4u32, 1.0f64);
    let weights: Vec<f64> = (0..=k)
        .map(|n| {
            let n_f = f64::from(n);
            if n <= c {
                a.powf(n_f) / (1..=n).map(f64::from).product::<f64>()
            } else {
                a.powf(n_f) / (2.0 * 2f64.powf(n_f - f64::from(c)))
            }
        })
        .collect();
    let blocked = weights[k as usize] / weights.iter().sum::<f64>();
    let toml = single_stage(1.0, c, r#"{ dist = "exponential", mean = 1.0 }"#, 20000.0, 1000.0)
        .replace("[arrivals]", &format!("[hall]\ncapacity = {k}\n[arrivals]"));
    let r = run(&toml, 8, 30);
    assert_covers(&r, "turned_away", blocked);
}

#[test]
fn a_continuous_hall_takes_a_capacity_but_no_hours() {
    let base = single_stage(1.0, 2, r#"{ dist = "exponential", mean = 1.0 }"#, 100.0, 0.0);
    let hours = base.replace("[arrivals]", "[hall]\ncapacity = 4\nopens = \"08:00\"\n[arrivals]");
    let e = hallsim::scenario::parse(&hours, "c.toml", "c").unwrap_err();
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    assert!(e.to_string().contains("hall.opens") && e.to_string().contains("only `capacity`"), "{e}");
}

#[test]
fn mmc_wait_distribution_and_quantiles_match_theory() {
    // M/M/c: P(W <= t) = 1 - C e^(-(cμ - λ) t), C the Erlang C probability;
    // so the p-quantile, for p above 1 - C, is ln(C / (1 - p)) / (cμ - λ).
    let (c, lambda) = (10, 9.0);
    let erlang = erlang_c(c, lambda);
    let rate = f64::from(c) - lambda;
    let toml = single_stage(lambda, c, r#"{ dist = "exponential", mean = 1.0 }"#, 20_000.0, 2_000.0)
        .replace("[arrivals]", "[targets]\nwait_minutes = [0.5, 1, 2]\n[arrivals]");
    let r = run(&toml, 31, 40);
    for t in [0.5, 1.0, 2.0] {
        let key = format!("wait_within_{t}_min").replace(".0_", "_");
        assert_covers(&r, &key, 1.0 - erlang * (-rate * t).exp());
    }
    for (key, p) in [("wait_p50", 0.5), ("wait_p90", 0.9), ("wait_p95", 0.95)] {
        assert!(1.0 - erlang < p);
        assert_covers(&r, key, (erlang / (1.0 - p)).ln() / rate);
    }
}

#[test]
fn erlang_a_abandonment_matches_theory() {
    // M/M/c+M: a birth-death chain with death rate min(n, c) μ + (n - c)+ θ;
    // the abandoning share is θ E[(N - c)+] / λ.
    let (c, lambda, mu, theta) = (3usize, 3.0, 1.0, 0.5);
    let mut weights = vec![1.0f64];
    for n in 1..400 {
        let death = n.min(c) as f64 * mu + n.saturating_sub(c) as f64 * theta;
        weights.push(weights[n - 1] * lambda / death);
    }
    let total: f64 = weights.iter().sum();
    let queue: f64 = weights.iter().enumerate().map(|(n, w)| n.saturating_sub(c) as f64 * w).sum::<f64>() / total;
    let exact = theta * queue / lambda;
    let toml = single_stage(lambda, c as u32, r#"{ dist = "exponential", mean = 1.0 }"#, 20_000.0, 2_000.0)
        .replace("service.serve", "patience = { dist = \"exponential\", mean = 2.0 }\nservice.serve");
    // 200 replications: the abandoning share is a small difference of rates.
    let r = run(&toml, 32, 200);
    assert_covers(&r, "abandoned", exact);
    // Those who wait and those who leave: E[queue] = λ × mean wait over all arrivals.
    assert_covers(&r, "wait_mean_all", queue / lambda);
}

#[test]
fn hourly_arrival_counts_match_the_profile() {
    // Days mode, a profile of four hours: each hour's mean count is its share
    // of per_day. Nine checks (incl. empty hours) at 99.9% each keep the
    // family's false-alarm chance under 1% (Bonferroni).
    let toml = r#"
[simulation]
days = 5
[hall]
opens = "08:00"
last_ticket = "12:00"
[arrivals]
per_day = 400
profile = [
  { from = "08:00", to = "09:00", share = 0.1 },
  { from = "09:00", to = "10:00", share = 0.4 },
  { from = "10:00", to = "11:00", share = 0.3 },
  { from = "11:00", to = "12:00", share = 0.2 },
]
[[stage]]
name = "serve"
[[pool]]
name = "w"
count = 20
stages = ["serve"]
[[case_type]]
name = "c"
share = 1
route = ["serve"]
service.serve = { dist = "exponential", mean = 2 }
"#;
    let m = model(toml);
    let per_rep: Vec<[f64; 24]> = (0..40)
        .map(|rep| {
            let rec = hallsim::engine::simulate(&m, 33, rep).record;
            hallsim::stats::kpi::hourly(m.scenario(), &rec)[0].values
        })
        .collect();
    let expected = [(7, 0.0), (8, 40.0), (9, 160.0), (10, 120.0), (11, 80.0), (12, 0.0)];
    for (hour, exact) in expected {
        let e = hallsim::stats::estimate::Estimate::with_level(per_rep.iter().map(|v| v[hour]), 0.999);
        assert!(
            e.covers(exact) || (exact == 0.0 && e.mean == 0.0),
            "hour {hour}: {} ± {} against {exact}",
            e.mean,
            e.half_width
        );
    }
}

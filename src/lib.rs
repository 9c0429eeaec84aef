//! hallsim: discrete-event simulation of public service halls (ticket
//! machine, windows, back-office approval, certificate issuing) for planning
//! their capacity.
//!
//! The layers, each usable on its own, each using only those listed before it:
//! - [`rng`]: the random streams every draw comes from;
//! - [`dist`]: the distributions a scenario draws durations from;
//! - [`scenario`]: TOML text to a validated [`scenario::Scenario`], with every
//!   problem located by file, line and column;
//! - [`stats`]: what a replication records, its KPIs, Student-t estimates;
//! - [`engine`]: one replication, a pure function of (model, seed, replication);
//! - [`experiment`]: replications in parallel, comparisons, sweeps, plans, shards;
//! - [`fit`]: a hall's inputs estimated from its visit records, and the fitted scenario;
//! - [`report`]: tables, CSV and JSON bytes, charts and the HTML report;
//! - [`cli`]: the `hallsim` command, the only layer that prints.
//!
//! ```
//! use hallsim::engine::Model;
//! use hallsim::experiment::run_replications;
//!
//! // One window, a ticket every 2 minutes on average, 1.5 minutes of service.
//! let toml = r#"
//! [simulation]
//! horizon_minutes = 5000
//! warmup_minutes = 500
//! [arrivals]
//! rate_per_minute = 0.5
//! [[stage]]
//! name = "serve"
//! [[pool]]
//! name = "window"
//! count = 1
//! stages = ["serve"]
//! [[case_type]]
//! name = "case"
//! share = 1
//! route = ["serve"]
//! service.serve = { dist = "exponential", mean = 1.5 }
//! "#;
//! let scenario = hallsim::scenario::parse(toml, "example.toml", "example").unwrap();
//! let result = run_replications(&Model::new(scenario), 1, 20);
//! let wait = result.estimate("wait_mean").unwrap();
//! // M/M/1 with ρ = 0.75: the mean wait is ρ/(μ − λ) = 4.5 minutes, inside
//! // the run's 95% confidence interval.
//! assert!(wait.covers(4.5), "{} ± {}", wait.mean, wait.half_width);
//! ```

pub mod cli;
pub mod dist;
pub mod engine;
pub mod experiment;
pub mod fit;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod stats;

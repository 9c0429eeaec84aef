//! A property test over mutated copies of every shipped scenario: `check`
//! never panics, and every file it accepts runs two replications to the end
//! or is refused with the figures, within bounded time and memory. The
//! mutations put awkward values where numbers and times stand, and delete,
//! repeat or break lines. The seed is fixed, so a failure replays; proptest
//! shrinks it to the fewest mutations. `HALLSIM_FUZZ_CASES` runs more cases.

use std::time::{Duration, Instant};

use hallsim::engine::Model;
use hallsim::experiment::{run_replications, workload};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Values a colleague's edit might leave where a number or time was.
const VALUES: [&str; 16] = [
    "0",
    "-1",
    "1",
    "0.5",
    "2.5",
    "1e-9",
    "1e9",
    "100000",
    "1e308",
    "nan",
    "inf",
    "99999999999999999999",
    "3e38",
    "\"x\"",
    "\"+8:30\"",
    "\"24:00\"",
];

/// Text a mistake might insert anywhere.
const PIECES: [&str; 8] = ["\"", "]", "[", "=", "\n", "{", "[[pool]]\n", "名"];

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the n-th number (or time) by one of [`VALUES`].
    Number(usize, usize),
    DeleteLine(usize),
    RepeatLine(usize),
    /// Insert one of [`PIECES`] at a share of the file's length (per mille).
    Insert(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<usize>(), 0..VALUES.len()).prop_map(|(n, v)| Mutation::Number(n, v)),
        2 => any::<usize>().prop_map(Mutation::DeleteLine),
        2 => any::<usize>().prop_map(Mutation::RepeatLine),
        1 => (0..1000usize, 0..PIECES.len()).prop_map(|(at, p)| Mutation::Insert(at, p)),
    ]
}

/// Byte ranges of the numbers in `text`, and of the times inside strings.
fn numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'));
        if starts {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b"._:+-".contains(&b[j])) {
                j += 1;
            }
            out.push(i..j);
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut t = text.to_string();
    for m in mutations {
        match *m {
            Mutation::Number(n, v) => {
                let found = numbers(&t);
                if !found.is_empty() {
                    t.replace_range(found[n % found.len()].clone(), VALUES[v]);
                }
            }
            Mutation::DeleteLine(n) | Mutation::RepeatLine(n) => {
                let mut lines: Vec<&str> = t.lines().collect();
                let i = n % lines.len().max(1);
                if i < lines.len() {
                    if matches!(m, Mutation::DeleteLine(_)) {
                        lines.remove(i);
                    } else {
                        lines.insert(i, lines[i]);
                    }
                }
                t = lines.join("\n");
            }
            Mutation::Insert(at, p) => {
                let mut pos = t.len() * at / 1000;
                while !t.is_char_boundary(pos) {
                    pos -= 1;
                }
                t.insert_str(pos, PIECES[p]);
            }
        }
    }
    t
}

/// Every shipped scenario as (name, text), in name order.
fn shipped() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = crate::common::shipped_scenarios()
        .iter()
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(p).unwrap()))
        .collect();
    files.sort();
    files
}

/// Limits of this test: small enough that two replications of any admitted
/// file take well under a second of work per thousand people.
const LIMITS: workload::Limits = workload::Limits { arrivals: 200_000.0, memory: 200e6 };
const TIME_LIMIT: Duration = Duration::from_secs(30);

#[test]
fn mutated_scenarios_are_refused_or_run_to_the_end() {
    let files = shipped();
    let cases = std::env::var("HALLSIM_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000u32);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let strategy = (0..files.len(), proptest::collection::vec(mutation(), 1..4));
    let (accepted, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let outcome = runner.run(&strategy, |(f, mutations)| {
        let (name, base) = &files[f];
        let text = apply(base, &mutations);
        let Ok(s) = hallsim::scenario::parse(&text, "fuzz.toml", name) else { return Ok(()) };
        let _ = workload::overloads(&s);
        if workload::check(&s, LIMITS).is_err() {
            refused.set(refused.get() + 1);
            return Ok(());
        }
        accepted.set(accepted.get() + 1);
        let started = Instant::now();
        let r = run_replications(&Model::new(s), 1, 2);
        prop_assert_eq!(r.replications, 2);
        prop_assert!(started.elapsed() < TIME_LIMIT, "{name}: two replications took {:?}", started.elapsed());
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    // The mutations must leave enough files valid for the runs to be tested.
    let (accepted, refused) = (accepted.get(), refused.get());
    eprintln!("{cases} mutated files: {accepted} ran two replications, {refused} refused by the limits");
    assert!(accepted >= cases / 10, "only {accepted} of {cases} mutated files were accepted ({refused} refused)");
}

//! Shards run apart and merged give exactly the bytes of one run.

use std::path::Path;

use crate::cli::{hallsim, temp_dir};

const MUNICIPAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");

fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["", "charts"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn three_shards_merge_into_the_bytes_of_one_run() {
    let dir = temp_dir("shards");
    let d = |s: &str| dir.join(s).to_str().unwrap().to_string();
    for i in 0..3 {
        let out = hallsim(&["run", MUNICIPAL, "-r", "31", "--shard", &format!("{i}/3"), "-o", &d("parts"), "-q"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let shard_files: Vec<String> = (0..3).map(|i| d(&format!("parts/municipal-shards/shard-{i}-of-3.json"))).collect();
    let mut args = vec!["merge", MUNICIPAL];
    args.extend(shard_files.iter().rev().map(String::as_str));
    let merged_dir = d("merged");
    args.extend(["-o", merged_dir.as_str(), "-q"]);
    let out = hallsim(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = hallsim(&["run", MUNICIPAL, "-r", "31", "-o", &d("single"), "-q"]);
    assert!(out.status.success());
    let (a, b) = (dir.join("merged/municipal"), dir.join("single/municipal"));
    let names = files(&b);
    assert_eq!(files(&a), names);
    assert!(names.len() >= 17, "{names:?}");
    for f in names {
        assert!(std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(), "{f} differs");
    }

    // A missing shard and a shard of another scenario are refused.
    let out = hallsim(&["merge", MUNICIPAL, &shard_files[0], &shard_files[2], "-o", &d("bad"), "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected shards 0 to 2 of 3 once each, got [0, 2]"));
    let other = dir.join("other.toml");
    std::fs::write(&other, std::fs::read_to_string(MUNICIPAL).unwrap().replace("per_day = 2000", "per_day = 2001"))
        .unwrap();
    let out = hallsim(&["merge", other.to_str().unwrap(), &shard_files[0], "-o", &d("bad"), "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("merge shards with the file they ran"));
}

#[test]
fn sweep_shards_merge_into_the_bytes_of_one_sweep() {
    let dir = temp_dir("sweep-shards");
    let d = |s: &str| dir.join(s).to_str().unwrap().to_string();
    let sweep = ["--set", "pool.accept_windows.count=33..35", "--set", "arrivals.per_day=1900,2100", "-r", "8"];
    for i in 0..3 {
        let shard = format!("{i}/3");
        let mut args = vec!["sweep", MUNICIPAL];
        args.extend(sweep);
        let parts = d("parts");
        args.extend(["--shard", shard.as_str(), "-o", parts.as_str(), "-q"]);
        assert!(hallsim(&args).status.success());
    }
    let mut args = vec!["merge".to_string(), MUNICIPAL.to_string()];
    args.extend((0..3).map(|i| d(&format!("parts/municipal-sweep-shards/sweep-shard-{i}-of-3.json"))));
    args.extend(["-o".into(), d("merged"), "-q".into()]);
    let out = hallsim(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut args = vec!["sweep", MUNICIPAL];
    args.extend(sweep);
    let single = d("single");
    args.extend(["-o", single.as_str(), "-q"]);
    assert!(hallsim(&args).status.success());
    for f in ["sweep.csv", "sweep.json"] {
        let a = std::fs::read(dir.join("merged/municipal-sweep").join(f)).unwrap();
        let b = std::fs::read(dir.join("single/municipal-sweep").join(f)).unwrap();
        assert!(a == b, "{f} differs");
    }
}

#[test]
fn merge_verifies_what_it_reads() {
    let dir = temp_dir("shards-verify");
    let d = |s: &str| dir.join(s).to_str().unwrap().to_string();
    let tiny = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/tiny.toml");
    for i in 0..2 {
        let part = format!("{i}/2");
        let out = hallsim(&["run", tiny, "-r", "4", "--shard", &part, "-o", &d("parts"), "-q"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let set = "pool.windows.count=2..5";
        let out = hallsim(&["sweep", tiny, "--set", set, "-r", "3", "--shard", &part, "-o", &d("parts"), "-q"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let shard = |i: usize| d(&format!("parts/tiny-shards/shard-{i}-of-2.json"));
    let json = |p: &str| serde_json::from_slice::<serde_json::Value>(&std::fs::read(p).unwrap()).unwrap();
    // Each tampering, written over shard 1, is refused with the file's name and exit 2.
    let original = json(&shard(1));
    let mut fewer = original.clone();
    fewer["runs"][0]["kpis"].as_array_mut().unwrap().pop();
    let mut other = original.clone();
    other["hallsim_version"] = "0.0.1".into();
    let mut truncated = original.clone();
    truncated["runs"][0]["hourly"][0].as_array_mut().unwrap().pop();
    let mut no_shards = original.clone();
    no_shards["shards"] = 0.into();
    for (what, value, expected) in [
        ("fewer KPIs", fewer, "the scenario has"),
        ("another version", other, "written by hallsim 0.0.1"),
        ("a truncated hourly series", truncated, "24 values"),
        ("zero shards", no_shards, "is not a shard"),
    ] {
        std::fs::write(shard(1), serde_json::to_vec(&value).unwrap()).unwrap();
        let out = hallsim(&["merge", tiny, &shard(0), &shard(1), "-o", &d("merged"), "-q"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains("shard-1-of-2.json") && err.contains(expected), "{what}: {err}");
    }
    // A sweep point with a KPI missing.
    let sweep_shard = |i: usize| d(&format!("parts/tiny-sweep-shards/sweep-shard-{i}-of-2.json"));
    let mut missing = json(&sweep_shard(1));
    missing["points"][0].as_array_mut().unwrap().pop();
    std::fs::write(sweep_shard(1), serde_json::to_vec(&missing).unwrap()).unwrap();
    let out = hallsim(&["merge", tiny, &sweep_shard(0), &sweep_shard(1), "-o", &d("merged"), "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("sweep-shard-1-of-2.json") && err.contains("the scenario has"), "{err}");
}

//! Output folders hold one run, whole: a rerun replaces every file, a target
//! that is a file or a planted link is refused before any replication, and an
//! interrupted run leaves the previous output and no temporary files.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::{hallsim, temp_dir};

const MUNICIPAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml");

/// Every name in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_rerun_replaces_the_whole_folder() {
    let dir = temp_dir("rerun");
    let o = dir.to_str().unwrap();
    assert!(hallsim(&["run", MUNICIPAL, "-r", "3", "-q", "-o", o]).status.success());
    assert!(dir.join("municipal/charts").is_dir() && dir.join("municipal/report.html").exists());
    std::fs::write(dir.join("municipal/stale.csv"), "from someone else").unwrap();
    let out = hallsim(&["run", MUNICIPAL, "-r", "3", "-q", "--no-charts", "-o", o]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(names(&dir.join("municipal")), ["hourly.csv", "replications.csv", "summary.csv", "summary.json"]);
    assert_eq!(names(&dir), ["municipal"], "no temporary folder is left beside the output");
}

#[test]
fn a_target_that_is_not_a_folder_is_refused_before_the_run() {
    let dir = temp_dir("notafolder");
    let o = dir.to_str().unwrap();
    std::fs::write(dir.join("municipal"), "a file").unwrap();
    let started = Instant::now();
    // A million replications would take minutes: the refusal comes first.
    let out = hallsim(&["run", MUNICIPAL, "-r", "1000000", "-q", "-o", o]);
    assert_eq!(out.status.code(), Some(3));
    assert!(started.elapsed() < Duration::from_secs(20));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("municipal") && err.contains("is a file, not a folder"), "{err}");
    assert_eq!(std::fs::read(dir.join("municipal")).unwrap(), b"a file");
    for (args, folder) in [
        (vec!["plan", MUNICIPAL, "--target", "wait_p90 <= 30"], "municipal-plan"),
        (vec!["sweep", MUNICIPAL, "--set", "arrivals.per_day=100,200"], "municipal-sweep"),
        (vec!["compare", MUNICIPAL, MUNICIPAL, "--name", "both"], "both"),
    ] {
        std::fs::write(dir.join(folder), "a file").unwrap();
        let mut args = args.clone();
        args.extend(["-r", "1000000", "-q", "-o", o]);
        let out = hallsim(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        // compare first refuses two scenarios of one name (exit 2); the others reach the folder.
        assert!(matches!(out.status.code(), Some(2 | 3)), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn a_planted_link_at_the_target_is_refused_and_its_file_untouched() {
    let dir = temp_dir("linktarget");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, b"keep").unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::os::unix::fs::symlink(&victim, out_dir.join("municipal")).unwrap();
    let out = hallsim(&["run", MUNICIPAL, "-r", "2", "-q", "-o", out_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a link"));
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    assert_eq!(names(&out_dir), ["municipal"]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_leaves_the_previous_output_and_no_temporary_files() {
    let dir = temp_dir("interrupt");
    let o = dir.to_str().unwrap();
    assert!(hallsim(&["run", MUNICIPAL, "-r", "2", "-q", "--no-charts", "-o", o]).status.success());
    let before = std::fs::read(dir.join("municipal/summary.json")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hallsim"))
        .args(["run", MUNICIPAL, "-r", "100000", "-q", "-j", "1", "-o", o])
        .spawn()
        .unwrap();
    // Wait until the run's temporary folder exists, then interrupt.
    let deadline = Instant::now() + Duration::from_secs(20);
    while names(&dir).len() < 2 {
        assert!(Instant::now() < deadline, "no temporary folder appeared: {:?}", names(&dir));
        std::thread::sleep(Duration::from_millis(20));
    }
    let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(names(&dir), ["municipal"]);
    assert_eq!(std::fs::read(dir.join("municipal/summary.json")).unwrap(), before);
}

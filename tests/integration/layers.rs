//! The library's layers depend downward only, in the order `src/lib.rs`
//! lists them: a module never names one listed after it.

use std::path::Path;

const LAYERS: [&str; 9] = ["rng", "dist", "scenario", "stats", "engine", "experiment", "fit", "report", "cli"];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let declared: Vec<&str> = lib.lines().filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';')).collect();
    let mut sorted_layers = LAYERS.to_vec();
    sorted_layers.sort_unstable();
    assert_eq!(declared, sorted_layers, "every module of lib.rs has a place in LAYERS");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut upward = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(level) = LAYERS.iter().position(|&l| l == top) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            for (j, above) in LAYERS.iter().enumerate().skip(level + 1) {
                if line.contains(&format!("crate::{above}::")) || line.contains(&format!("crate::{above}}}")) {
                    upward.push(format!("src/{rel}:{}: {top} uses {above} ({j} > {level})", i + 1));
                }
            }
        }
    }
    assert!(upward.is_empty(), "upward dependencies:\n{}", upward.join("\n"));
}

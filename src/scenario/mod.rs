//! Scenario files: TOML in, a validated [`Scenario`] out.
//!
//! Loading runs in two stages. The text is parsed with every syntax error
//! collected; each section (and each `[[stage]]`, `[[pool]]`, `[[case_type]]`
//! entry) is deserialized into the [`raw`] mirror on its own, so one bad entry
//! does not hide the others; then [`validate`] checks meaning and builds the
//! model. All problems come back together in one [`ScenarioError`].

pub mod diagnostic;
pub mod edit;
pub mod model;
pub mod raw;
pub mod schema;
pub mod validate;

use std::path::Path;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use diagnostic::{Diagnostic, ScenarioError};
pub use model::*;
use validate::RawScenario;

/// A scenario together with where it came from.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    /// The path as the user gave it.
    pub file: String,
    /// FNV-1a 64 of the file's bytes, as 16 hex digits.
    pub content_hash: String,
    /// The file's text.
    pub source: String,
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ScenarioError {
        file: file.clone(),
        source: String::new(),
        diagnostics: vec![Diagnostic::new(None, "", format!("cannot read the file: {e}"))],
    })?;
    let source = String::from_utf8(bytes).map_err(|e| ScenarioError {
        file: file.clone(),
        source: String::new(),
        diagnostics: vec![Diagnostic::new(
            None,
            "",
            format!("the file is not UTF-8 text (byte {} is invalid)", e.utf8_error().valid_up_to()),
        )],
    })?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    let default_name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let scenario = parse(&source, &file, &default_name)?;
    Ok(LoadedScenario { scenario, file, content_hash: content_hash(source.as_bytes()), source })
}

/// Validates scenario text; `file` names it in messages, `default_name` is used
/// when the file has no `name` key.
pub fn parse(source: &str, file: &str, default_name: &str) -> Result<Scenario, ScenarioError> {
    let fail = |diagnostics| ScenarioError { file: file.to_string(), source: source.to_string(), diagnostics };
    let (root, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(fail(errors.iter().map(|e| toml_diag(e, "")).collect()));
    }
    let mut diags = Vec::new();
    let mut raw = RawScenario { file_span: 0..source.len(), ..Default::default() };
    for (key, value) in root.into_inner() {
        let k = key.get_ref().as_ref();
        match k {
            "name" => raw.name = section(value, k, &mut diags),
            "description" => raw.description = section(value, k, &mut diags),
            "simulation" => raw.simulation = section(value, k, &mut diags),
            "hall" => raw.hall = section(value, k, &mut diags),
            "targets" => raw.targets = section(value, k, &mut diags),
            "returns" => raw.returns = section(value, k, &mut diags),
            "appointments" => raw.appointments = section(value, k, &mut diags),
            "calling" => raw.calling = section(value, k, &mut diags),
            "documents" => raw.documents = section(value, k, &mut diags),
            "pre_review" => raw.pre_review = section(value, k, &mut diags),
            "site" => raw.sites = entries(value, k, &mut diags),
            "city" => raw.city = section(value, k, &mut diags),
            "arrivals" => raw.arrivals = section(value, k, &mut diags),
            "stage" => raw.stages = entries(value, k, &mut diags),
            "pool" => raw.pools = entries(value, k, &mut diags),
            "case_type" => raw.case_types = entries(value, k, &mut diags),
            _ => diags.push(Diagnostic::new(
                Some(key.span()),
                k,
                format!(
                    "unknown key `{k}`; the top-level keys are {}",
                    raw::TOP_LEVEL_KEYS.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
    raw.unreadable = diags.iter().map(|d| d.path.split(['[', '.']).next().unwrap_or_default().to_string()).collect();
    match validate::validate(raw, default_name) {
        Ok(s) if diags.is_empty() => Ok(s),
        Ok(_) => Err(fail(diags)),
        Err(more) => {
            diags.extend(more);
            diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
            Err(fail(diags))
        }
    }
}

fn toml_diag(e: &toml::de::Error, path: &str) -> Diagnostic {
    Diagnostic::new(e.span(), path, e.message().trim_end().to_string())
}

fn section<T: for<'de> Deserialize<'de>>(
    value: Spanned<DeValue<'_>>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<T>> {
    match Spanned::<T>::deserialize(value.into_deserializer()) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(toml_diag(&e, path));
            None
        }
    }
}

fn entries<T: for<'de> Deserialize<'de>>(
    value: Spanned<DeValue<'_>>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Spanned<T>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => items
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| section(item, &format!("{path}[{i}]"), diags))
            .collect(),
        other => {
            diags.push(Diagnostic::new(
                Some(span),
                path,
                format!("must be an array of tables (`[[{path}]]` entries), got {}", other.type_str()),
            ));
            Vec::new()
        }
    }
}

/// FNV-1a 64 of `bytes`, as 16 hex digits: a stable fingerprint of a scenario file.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

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
    let source = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // The text up to the first bad byte is valid, and the lossy copy
            // keeps it byte for byte: the caret lands on that byte.
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes()[at];
            return Err(ScenarioError {
                file,
                source: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                diagnostics: vec![Diagnostic::new(
                    Some(at..at + 1),
                    "",
                    format!("byte 0x{byte:02x} is not UTF-8 text; save the file as UTF-8"),
                )],
            });
        }
    };
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
            "planning" => raw.planning = section(value, k, &mut diags),
            "shift" => raw.shifts = entries(value, k, &mut diags),
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
    let mut scenario = None;
    raw.unreadable = diags.iter().map(|d| d.path.split(['[', '.']).next().unwrap_or_default().to_string()).collect();
    if let Err(more) = validate::validate(raw, default_name).map(|s| scenario = Some(s)) {
        diags.extend(more);
    }
    match scenario {
        Some(s) if diags.is_empty() => Ok(s),
        _ => {
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
    let copy = value.clone();
    match Spanned::<T>::deserialize(value.into_deserializer()) {
        Ok(v) => Some(v),
        Err(e) => {
            let at = e.span().map_or(copy.span().start, |s| s.start);
            let path = path_at(&copy, path, at);
            let key = schema::lookup(&path);
            let field = path.rsplit('.').next().unwrap_or("");
            let message = match key {
                // `service = { dist = ... }`: a distribution where a table of stages was expected.
                Some(k) if k.path.ends_with(".<stage>") && raw::DIST_FIELDS.contains(&field) => {
                    let map = path.rsplit_once('.').map_or(path.as_str(), |p| p.0);
                    let map = map.rsplit('.').next().unwrap_or(map);
                    format!(
                        "{field:?} is not a stage: {map} holds a distribution for each stage of the route, \
                         such as `{map}.accept = {{ dist = \"exponential\", mean = 5 }}`"
                    )
                }
                _ => plain_words(e.message().trim_end(), key),
            };
            diags.push(Diagnostic::new(e.span(), path, message));
            None
        }
    }
}

/// The key path of the innermost value of `value` (at `path`) that holds byte
/// `at`. Tables made by dotted keys (`service.accept = ...`) carry no span of
/// their own, so every table is searched.
fn path_at(value: &Spanned<DeValue<'_>>, path: &str, at: usize) -> String {
    fn find(value: &Spanned<DeValue<'_>>, path: &str, at: usize) -> Option<String> {
        let inner = match value.get_ref() {
            DeValue::Table(table) => table.iter().find_map(|(k, v)| {
                let key = k.get_ref().as_ref();
                let child = if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
                if k.span().contains(&at) { Some(child) } else { find(v, &child, at) }
            }),
            DeValue::Array(items) => items.iter().enumerate().find_map(|(i, v)| find(v, &format!("{path}[{i}]"), at)),
            _ => None,
        };
        inner.or_else(|| value.span().contains(&at).then(|| path.to_string()))
    }
    find(value, path, at).unwrap_or_else(|| path.to_string())
}

/// A deserializer's message in the words of the key reference (`hallsim
/// schema`): "must be a number, got the string "x"" rather than "invalid
/// type: string "x", expected f64".
fn plain_words(message: &str, key: Option<&schema::Key>) -> String {
    let expected = |e: &str| match e {
        _ if let Some(k) = key.filter(|k| k.kind != "distribution") => {
            let kind = match k.kind {
                "boolean" => return "true or false".to_string(),
                kind if kind.starts_with('"') => format!("a time of day {kind}"),
                kind if kind.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {kind}"),
                kind => format!("a {kind}"),
            };
            format!("{kind}: {}", k.allowed_with_unit())
        }
        "f64" | "f32" => "a number".to_string(),
        "i64" | "i32" | "u32" | "u64" | "usize" => "an integer".to_string(),
        "a boolean" | "bool" => "true or false".to_string(),
        "a sequence" => "an array".to_string(),
        e if e.starts_with("internally tagged enum") || e == "struct RawDist" => {
            "a distribution, such as `{ dist = \"exponential\", mean = 5 }` (see `distribution` in `hallsim schema`)"
                .to_string()
        }
        e if e.starts_with("struct ") || e == "a map" => "a table".to_string(),
        e => e.to_string(),
    };
    let got = |g: &str| {
        let g = g.trim();
        if let Some(v) = g.strip_prefix("string ") {
            format!("the text {v}")
        } else if let Some(v) = g.strip_prefix("floating point ").or(g.strip_prefix("integer ")) {
            format!("the number {}", v.trim_matches('`'))
        } else if let Some(v) = g.strip_prefix("boolean ") {
            v.trim_matches('`').to_string()
        } else if g == "sequence" {
            "an array".to_string()
        } else if g == "map" {
            "a table".to_string()
        } else {
            g.to_string()
        }
    };
    // A distribution is read whole, so a mistake in one of its fields is
    // reported at the distribution.
    let within = if key.is_some_and(|k| k.kind == "distribution") { "in this distribution, a field " } else { "" };
    for kind in ["invalid type: ", "invalid value: "] {
        if let Some((g, e)) = message.strip_prefix(kind).and_then(|rest| rest.rsplit_once(", expected ")) {
            return format!("{within}must be {}, got {}", expected(e), got(g));
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (v, e) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("{v} is not allowed here; {}", e.replacen("one of", "allowed: one of", 1));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (k, e) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("unknown key {k}; the keys here are {}", e.trim_start_matches("one of "));
    }
    if let Some(k) = message.strip_prefix("missing field ") {
        return format!("missing key {k}");
    }
    message.to_string()
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

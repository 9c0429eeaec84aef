//! Changing one numeric key of a scenario file's text, for sweeps and plans.
//! The edit replaces the value in place (found by its span), so comments,
//! order and layout survive, and the result is validated like any file.
//!
//! Keys are dotted paths: `arrivals.per_day`, `simulation.days`, and for
//! entries of `[[stage]]`, `[[pool]]` and `[[case_type]]` the entry's name in
//! the second place: `pool.accept_windows.count`,
//! `case_type.transfer.service.accept.mean`.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

const ENTRY_SECTIONS: [&str; 3] = ["stage", "pool", "case_type"];

/// Where a key's value is, or where it would go.
enum Place {
    /// The value's span and whether it is an integer.
    Value(Range<usize>, bool),
    /// A value that is not a number (an array, a table, text), and its span.
    Other(Range<usize>, &'static str),
    /// The key is absent from a table that ends at this offset.
    Missing(usize),
}

fn keys_of(t: &DeTable<'_>) -> String {
    t.keys().map(|k| format!("`{}`", k.get_ref())).collect::<Vec<_>>().join(", ")
}

fn locate(root: &Spanned<DeTable<'_>>, key: &str) -> Result<Place, String> {
    let parts: Vec<&str> = key.split('.').collect();
    let (mut table, rest): (&DeTable<'_>, &[&str]) = if ENTRY_SECTIONS.contains(&parts[0]) {
        let section = parts[0];
        let name =
            parts.get(1).ok_or_else(|| format!("`{key}`: name the {section}, as in `{section}.<name>.<key>`"))?;
        let items = root
            .get_ref()
            .get(section)
            .and_then(|v| v.get_ref().as_array())
            .ok_or_else(|| format!("`{key}`: the file has no [[{section}]]"))?;
        let entry = items
            .iter()
            .filter_map(|i| i.get_ref().as_table())
            .find(|t| t.get("name").and_then(|n| n.get_ref().as_str()) == Some(*name))
            .ok_or_else(|| {
                let names: Vec<String> = items
                    .iter()
                    .filter_map(|i| i.get_ref().as_table()?.get("name")?.get_ref().as_str().map(|s| format!("`{s}`")))
                    .collect();
                format!("`{key}`: no {section} named `{name}`; the {section} names are {}", names.join(", "))
            })?;
        (entry, &parts[2..])
    } else {
        (root.get_ref(), &parts[..])
    };
    if rest.is_empty() {
        return Err(format!("`{key}` names a table, not a number"));
    }
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        match table.get(*part) {
            Some(v) if last => {
                return match v.get_ref() {
                    DeValue::Integer(_) => Ok(Place::Value(v.span(), true)),
                    DeValue::Float(_) => Ok(Place::Value(v.span(), false)),
                    other => Ok(Place::Other(v.span(), other.type_str())),
                };
            }
            Some(v) => match v.get_ref() {
                DeValue::Table(t) => table = t,
                other => return Err(format!("`{key}`: `{part}` is a {}, not a table", other.type_str())),
            },
            None if last => {
                let end = table.iter().map(|(k, v)| k.span().end.max(v.span().end)).max();
                return end.map(Place::Missing).ok_or_else(|| format!("`{key}`: cannot add a key to an empty table"));
            }
            None => return Err(format!("`{key}`: no `{part}` here; the keys are {}", keys_of(table))),
        }
    }
    unreachable!("the loop returns on the last part")
}

/// Keys whose values are integers.
const INTEGER_KEYS: [&str; 6] = ["count", "days", "replications", "seed", "max_arrivals", "priority"];

fn format_value(value: f64, integer: bool) -> Result<String, String> {
    if !value.is_finite() {
        return Err(format!("{value} is not a finite number"));
    }
    // Integral values beyond i64 are written as floats: `as i64` would
    // saturate and silently write another number.
    if integer && value.abs() < 9.0e18 {
        if value.fract() != 0.0 {
            return Err(format!("this key takes an integer, got {value}"));
        }
        Ok(format!("{}", value as i64))
    } else {
        Ok(format!("{value:?}"))
    }
}

/// The text with `key` set to `value`, or why that cannot be done.
pub fn set(source: &str, key: &str, value: f64) -> Result<String, String> {
    let root = DeTable::parse(source).map_err(|e| format!("the file does not parse: {}", e.message()))?;
    match locate(&root, key)? {
        Place::Value(span, integer) => {
            let text = format_value(value, integer)?;
            Ok(format!("{}{}{}", &source[..span.start], text, &source[span.end..]))
        }
        Place::Other(_, kind) => Err(format!("`{key}` is a {kind}, not a number")),
        Place::Missing(at) => {
            let leaf = key.rsplit('.').next().unwrap_or(key);
            let text = format_value(value, INTEGER_KEYS.contains(&leaf))?;
            Ok(insert_after_line(source, at, &format!("{leaf} = {text}")))
        }
    }
}

fn insert_after_line(source: &str, at: usize, line: &str) -> String {
    let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    format!("{}\n{line}{}", &source[..line_end], &source[line_end..])
}

/// The text with `key` set to the TOML value `value` (written as given: an
/// array or inline table), replacing what was there or adding the key.
pub fn set_toml(source: &str, key: &str, value: &str) -> Result<String, String> {
    let root = DeTable::parse(source).map_err(|e| format!("the file does not parse: {}", e.message()))?;
    match locate(&root, key)? {
        Place::Value(span, _) | Place::Other(span, _) => {
            Ok(format!("{}{}{}", &source[..span.start], value, &source[span.end..]))
        }
        Place::Missing(at) => {
            Ok(insert_after_line(source, at, &format!("{} = {value}", key.rsplit('.').next().unwrap_or(key))))
        }
    }
}

/// The text with the top-level string key `name` set to `value`.
pub fn set_name(source: &str, value: &str) -> Result<String, String> {
    let root = DeTable::parse(source).map_err(|e| format!("the file does not parse: {}", e.message()))?;
    let literal = format!("{value:?}");
    Ok(match root.get_ref().get("name") {
        Some(v) => format!("{}{literal}{}", &source[..v.span().start], &source[v.span().end..]),
        None => format!("name = {literal}\n{source}"),
    })
}

/// The current numeric value of `key`, if it is set in the text.
pub fn get(source: &str, key: &str) -> Result<Option<f64>, String> {
    let root = DeTable::parse(source).map_err(|e| format!("the file does not parse: {}", e.message()))?;
    match locate(&root, key)? {
        Place::Value(span, _) => {
            let text = source[span].replace('_', "");
            text.parse::<f64>().map(Some).map_err(|_| format!("`{key}` is not a plain number"))
        }
        Place::Other(_, kind) => Err(format!("`{key}` is a {kind}, not a number")),
        Place::Missing(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "# hall\n[arrivals]\nper_day = 2000 # article\n\n[[pool]]\nname = \"a\"\ncount = 3\n\n[[pool]]\nname = \"b\"\ncount = 4 # assumption\n\n[[case_type]]\nname = \"t\"\nservice.accept = { dist = \"lognormal\", mean = 14, cv = 0.5 }\n";

    #[test]
    fn a_toml_value_replaces_or_adds_a_key() {
        let added = set_toml(SRC, "pool.a.schedule", "[{ from = \"12:00\", to = \"13:00\", count = 1 }]").unwrap();
        assert!(added.contains("count = 3\nschedule = [{ from = \"12:00\""), "{added}");
        let replaced = set_toml(&added, "pool.a.schedule", "[]").unwrap();
        assert!(replaced.contains("count = 3\nschedule = []\n"), "{replaced}");
        assert!(set(&added, "pool.a.schedule", 1.0).unwrap_err().contains("not a number"));
    }

    #[test]
    fn a_value_beyond_an_integer_is_written_as_it_is_not_saturated() {
        let t = set(SRC, "arrivals.per_day", 1e308).unwrap();
        assert!(t.contains("per_day = 1e308 # article"), "{t}");
    }

    #[test]
    fn replaces_values_in_place_and_keeps_comments() {
        let out = set(SRC, "pool.b.count", 6.0).unwrap();
        assert!(out.contains("count = 6 # assumption") && out.contains("count = 3"), "{out}");
        let out = set(SRC, "arrivals.per_day", 2200.0).unwrap();
        assert!(out.contains("per_day = 2200 # article"), "{out}");
        let out = set(SRC, "case_type.t.service.accept.cv", 0.75).unwrap();
        assert!(out.contains("cv = 0.75 }"), "{out}");
        assert_eq!(get(&out, "case_type.t.service.accept.cv").unwrap(), Some(0.75));
    }

    #[test]
    fn adds_a_missing_key_to_its_table() {
        let out = set("[simulation]\ndays = 1\n", "simulation.replications", 50.0).unwrap();
        assert_eq!(out, "[simulation]\ndays = 1\nreplications = 50\n");
    }

    #[test]
    fn renames() {
        assert_eq!(set_name("name = \"a\" # x\n", "b").unwrap(), "name = \"b\" # x\n");
        assert_eq!(set_name("[hall]\n", "b").unwrap(), "name = \"b\"\n[hall]\n");
    }

    #[test]
    fn explains_what_cannot_be_set() {
        assert!(set(SRC, "pool.c.count", 1.0).unwrap_err().contains("no pool named `c`; the pool names are `a`, `b`"));
        assert!(set(SRC, "pool.a.count", 2.5).unwrap_err().contains("takes an integer"));
        assert!(set(SRC, "pool.a.name", 2.0).unwrap_err().contains("is a string, not a number"));
        assert!(set(SRC, "nothing.here", 2.0).unwrap_err().contains("no `nothing` here"));
    }
}

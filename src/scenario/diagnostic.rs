//! Problems found in a scenario file, each pinned to a file, line and column,
//! and rendered the way compilers do: location, key path, message, then the
//! offending line with a caret.

use std::fmt;
use std::ops::Range;

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Byte range in the file, where known.
    pub span: Option<Range<usize>>,
    /// Key path, such as `stage[1].budget_minutes`; empty for the whole file.
    pub path: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl Diagnostic {
    pub fn new(span: Option<Range<usize>>, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { span, path: path.into(), message: message.into() }
    }
}

/// Every problem found in one scenario file.
#[derive(Clone, Debug)]
pub struct ScenarioError {
    /// The file as named by the user.
    pub file: String,
    /// The file's text (empty when it could not be read).
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let offset = (0..=offset).rev().find(|&i| src.is_char_boundary(i)).unwrap_or(0);
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = src[line_start..offset].chars().count() + 1;
    (line, col)
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let (line, col) = d.span.as_ref().map_or((1, 1), |s| line_col(&self.source, s.start));
            write!(f, "{}:{line}:{col}: ", self.file)?;
            if !d.path.is_empty() {
                write!(f, "{}: ", d.path)?;
            }
            write!(f, "{}", d.message)?;
            if d.span.is_some()
                && let Some(text) = self.source.lines().nth(line - 1)
            {
                let gutter = line.to_string().len();
                write!(f, "\n{:gutter$} |\n{line} | {text}\n{:gutter$} | {:>col$}", "", "", "^")?;
            }
        }
        if n > 1 {
            write!(f, "\n{}: {n} problems", self.file)?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\n名 = \"x\"\nbad";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        let bad = src.find("bad").unwrap();
        assert_eq!(line_col(src, bad), (3, 1));
        let quote = src.find('"').unwrap();
        assert_eq!(line_col(src, quote), (2, 5));
    }

    #[test]
    fn renders_location_path_message_and_caret() {
        let e = ScenarioError {
            file: "h.toml".into(),
            source: "[x]\nbudget = -5\n".into(),
            diagnostics: vec![Diagnostic::new(Some(13..15), "x.budget", "must be > 0, got -5")],
        };
        let text = e.to_string();
        assert!(text.starts_with("h.toml:2:10: x.budget: must be > 0, got -5"), "{text}");
        assert!(text.contains("2 | budget = -5"), "{text}");
    }
}

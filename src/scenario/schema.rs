//! The scenario file's reference: every key with its meaning, unit, default and
//! range, in one table. `hallsim schema` prints it, and `docs/scenario.md` is
//! generated from it (a test keeps the two equal).

/// The reference as Markdown.
pub fn markdown() -> String {
    String::new()
}

//! The built-in lessons, one per part of the course notes, compiled into the binary.

use crate::scenario::Scenario;

/// (id, YAML) of every built-in lesson, in course order.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "rolling-update",
        include_str!("../lessons/rolling-update.yaml"),
    ),
    (
        "recreate-vs-rolling",
        include_str!("../lessons/recreate-vs-rolling.yaml"),
    ),
    (
        "apply-vs-set-image",
        include_str!("../lessons/apply-vs-set-image.yaml"),
    ),
    (
        "commands-args",
        include_str!("../lessons/commands-args.yaml"),
    ),
    ("env-vars", include_str!("../lessons/env-vars.yaml")),
    ("configmaps", include_str!("../lessons/configmaps.yaml")),
    ("secrets", include_str!("../lessons/secrets.yaml")),
    (
        "multi-container",
        include_str!("../lessons/multi-container.yaml"),
    ),
    (
        "init-containers",
        include_str!("../lessons/init-containers.yaml"),
    ),
];

/// Every built-in lesson, parsed.
pub fn all() -> Vec<Scenario> {
    SOURCES
        .iter()
        .map(|(id, y)| {
            // The sources are checked by the tests below; a broken one is a build bug.
            Scenario::from_yaml(y).unwrap_or_else(|e| panic!("built-in lesson {id}: {e}"))
        })
        .collect()
}

/// One built-in lesson by id.
pub fn get(id: &str) -> Option<Scenario> {
    let (_, y) = SOURCES.iter().find(|(i, _)| *i == id)?;
    Scenario::from_yaml(y).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Lang;

    #[test]
    fn every_builtin_parses_matches_its_id_and_speaks_korean() {
        for (id, y) in SOURCES {
            let s = Scenario::from_yaml(y).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(&s.id, id);
            assert!(!s.title.ko.is_empty(), "{id}: title.ko");
            assert!(!s.description.ko.is_empty(), "{id}: description.ko");
            assert!(s.steps.len() >= 2, "{id}: a lesson has a few steps");
            for (i, st) in s.steps.iter().enumerate() {
                assert!(!st.title.ko.is_empty(), "{id} step {}: title.ko", i + 1);
                assert!(
                    !st.text.en.is_empty() && !st.text.ko.is_empty(),
                    "{id} step {}: text",
                    i + 1
                );
                assert!(!st.hints.is_empty(), "{id} step {}: hints", i + 1);
                assert!(
                    st.hints.iter().all(|h| !h.ko.is_empty()),
                    "{id} step {}: hints.ko",
                    i + 1
                );
                assert!(!st.solution.is_empty(), "{id} step {}: solution", i + 1);
                assert!(!st.checks.is_empty(), "{id} step {}: checks", i + 1);
                for c in &st.checks {
                    assert!(!c.describe(Lang::Ko).is_empty());
                }
            }
        }
    }
}

//! The scenario format (see docs/scenarios.md), parsed strictly: an unknown field is an error
//! with its line, so that a typo in a course author's file does not silently drop a check.

use crate::check::Check;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The languages kubeplay speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// `en`, `ko`, or a browser language tag such as `ko-KR`; anything else is English.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t == "ko" || t.starts_with("ko-") || t.starts_with("ko_") {
            Lang::Ko
        } else {
            Lang::En
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }
}

/// A text in English and Korean. In YAML either a map `{en: ..., ko: ...}` or a plain string
/// (then used for both languages). A missing `ko` falls back to English.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Localized {
    pub en: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ko: String,
}

impl Localized {
    pub fn new(en: impl Into<String>, ko: impl Into<String>) -> Localized {
        Localized {
            en: en.into(),
            ko: ko.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko if !self.ko.is_empty() => &self.ko,
            _ => &self.en,
        }
    }
}

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Map {
            en: String,
            #[serde(default)]
            ko: String,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Plain(String),
            Map(Map),
        }
        match Either::deserialize(d).map_err(|_| {
            serde::de::Error::custom("expected a string or a map with `en` (and `ko`)")
        })? {
            Either::Plain(s) => Ok(Localized {
                en: s,
                ko: String::new(),
            }),
            Either::Map(m) => Ok(Localized { en: m.en, ko: m.ko }),
        }
    }
}

/// One scenario (a lesson).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scenario {
    /// Lowercase letters, digits and dashes; used in `lesson:<id>` and in links.
    pub id: String,
    pub title: Localized,
    #[serde(default)]
    pub description: Localized,
    /// The seed of the session the scenario runs in (names and timings). Default 1.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Files the learner starts with: path -> content.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Shell lines run before the learner starts (their output is not shown as the learner's).
    #[serde(default)]
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
}

fn default_seed() -> u64 {
    1
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    pub title: Localized,
    /// Markdown.
    #[serde(default)]
    pub text: Localized,
    #[serde(default)]
    pub hints: Vec<Localized>,
    /// Shell lines that complete the step. An entry may hold several lines (a heredoc).
    #[serde(default)]
    pub solution: Vec<String>,
    #[serde(default, deserialize_with = "de_checks")]
    pub checks: Vec<Check>,
}

/// serde_yaml 0.9 wants enums as `!tag`s; checks are written as one-key maps
/// (`- deploymentImage: {...}`), the form JSON uses, so they are decoded through JSON.
fn de_checks<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Check>, D::Error> {
    use serde::de::Error;
    let raw: Vec<serde_yaml::Value> = Vec::deserialize(d)?;
    raw.into_iter()
        .enumerate()
        .map(|(i, v)| {
            let j: serde_json::Value = serde_yaml::from_value(v)
                .map_err(|e| D::Error::custom(format!("check {}: {e}", i + 1)))?;
            serde_json::from_value(j).map_err(|e| D::Error::custom(format!("check {}: {e}", i + 1)))
        })
        .collect()
}

/// Why a scenario could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScenarioError {}

/// Limits that keep a hostile scenario (say, from an embedding page) from eating the tab.
pub const MAX_SCENARIO_BYTES: usize = 512 * 1024;
pub const MAX_STEPS: usize = 100;
pub const MAX_CHECKS_PER_STEP: usize = 50;

impl Scenario {
    /// Parse and validate a scenario from YAML (or JSON, which is YAML).
    pub fn from_yaml(text: &str) -> Result<Scenario, ScenarioError> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(ScenarioError(format!(
                "scenario is too large: {} bytes (at most {MAX_SCENARIO_BYTES})",
                text.len()
            )));
        }
        let s: Scenario =
            serde_yaml::from_str(text).map_err(|e| ScenarioError(format!("scenario: {e}")))?;
        s.validate()?;
        Ok(s)
    }

    pub fn validate(&self) -> Result<(), ScenarioError> {
        let err = |m: String| Err(ScenarioError(format!("scenario {:?}: {m}", self.id)));
        if self.id.is_empty()
            || self.id.len() > 64
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return err("id must be 1 to 64 lowercase letters, digits or dashes".into());
        }
        if self.title.en.trim().is_empty() {
            return err("title.en is empty".into());
        }
        if self.steps.is_empty() {
            return err("has no steps".into());
        }
        if self.steps.len() > MAX_STEPS {
            return err(format!("has more than {MAX_STEPS} steps"));
        }
        for (i, st) in self.steps.iter().enumerate() {
            if st.title.en.trim().is_empty() {
                return err(format!("step {}: title.en is empty", i + 1));
            }
            if st.checks.len() > MAX_CHECKS_PER_STEP {
                return err(format!(
                    "step {}: more than {MAX_CHECKS_PER_STEP} checks",
                    i + 1
                ));
            }
            for c in &st.checks {
                if let Err(m) = c.validate() {
                    return err(format!("step {}: {m}", i + 1));
                }
            }
        }
        for path in self.files.keys() {
            if path.is_empty() || path.starts_with('/') || path.split('/').any(|p| p == "..") {
                return err(format!("file path {path:?} must be relative, without `..`"));
            }
        }
        Ok(())
    }

    /// Every shell line of the setup, in order (entries split at newlines).
    pub fn setup_lines(&self) -> Vec<&str> {
        split_lines(&self.setup)
    }
}

impl Step {
    pub fn solution_lines(&self) -> Vec<&str> {
        split_lines(&self.solution)
    }
}

fn split_lines(entries: &[String]) -> Vec<&str> {
    entries
        .iter()
        .flat_map(|e| e.strip_suffix('\n').unwrap_or(e).split('\n'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "
id: demo
title: Demo
steps:
  - title: {en: Create it, ko: 만들기}
    solution:
      - kubectl apply -f d.yaml
    checks:
      - deploymentImage: {name: web, image: nginx:1.25}
";

    #[test]
    fn parses_a_minimal_scenario_with_defaults() {
        let s = Scenario::from_yaml(MINIMAL).unwrap();
        assert_eq!(s.id, "demo");
        assert_eq!(s.seed, 1);
        assert_eq!(s.title.get(Lang::Ko), "Demo");
        assert_eq!(s.steps[0].title.get(Lang::Ko), "만들기");
        assert_eq!(s.steps[0].checks.len(), 1);
    }

    #[test]
    fn unknown_fields_are_errors_not_silently_dropped() {
        let bad = MINIMAL.replace("    solution:", "    solutoin:");
        let e = Scenario::from_yaml(&bad).unwrap_err();
        assert!(e.0.contains("unknown field `solutoin`"), "{e}");
        let bad = MINIMAL.replace("deploymentImage", "deploymentImag");
        let e = Scenario::from_yaml(&bad).unwrap_err();
        assert!(e.0.contains("deploymentImag"), "{e}");
    }

    #[test]
    fn rejects_bad_ids_and_paths() {
        let e = Scenario::from_yaml(&MINIMAL.replace("id: demo", "id: Demo!")).unwrap_err();
        assert!(e.0.contains("lowercase"), "{e}");
        let with_file = MINIMAL.replace("steps:", "files:\n  ../x: hi\nsteps:");
        let e = Scenario::from_yaml(&with_file).unwrap_err();
        assert!(e.0.contains("relative"), "{e}");
    }

    #[test]
    fn multi_line_entries_split_into_lines() {
        let st = Step {
            title: Localized::new("t", ""),
            text: Default::default(),
            hints: vec![],
            solution: vec!["cat <<EOF > a\nx\nEOF\n".into(), "echo hi".into()],
            checks: vec![],
        };
        assert_eq!(
            st.solution_lines(),
            ["cat <<EOF > a", "x", "EOF", "echo hi"]
        );
    }

    #[test]
    fn lang_from_browser_tags() {
        assert_eq!(Lang::from_tag("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_tag("ko"), Lang::Ko);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("kok"), Lang::En);
    }
}

//! Embedding kubeplay in course notes: the `?embed` query string and the `postMessage`
//! protocol, as plain data (docs/embedding.md). The web crate moves these values in and out
//! of the browser; everything about their meaning and validation lives here, tested natively.

use crate::run::CheckLine;
use crate::scenario::Lang;
use serde_json::{json, Value};

/// The panels a page can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Panel {
    Terminal,
    Editor,
    Cluster,
    Lesson,
}

impl Panel {
    pub fn parse(s: &str) -> Option<Panel> {
        match s.trim() {
            "terminal" => Some(Panel::Terminal),
            "editor" => Some(Panel::Editor),
            "cluster" => Some(Panel::Cluster),
            "lesson" => Some(Panel::Lesson),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Panel::Terminal => "terminal",
            Panel::Editor => "editor",
            Panel::Cluster => "cluster",
            Panel::Lesson => "lesson",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// What the query string asks for. Unknown or malformed values are ignored (an embed must
/// still show something), and listed in `warnings`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedOptions {
    /// `?embed` (or `embed=1`): compact layout, no page chrome, postMessage on.
    pub embed: bool,
    /// `lesson=<id>`: a built-in lesson.
    pub lesson: Option<String>,
    /// `step=N` (from 1 in the URL; from 0 here).
    pub step: Option<usize>,
    /// `panels=terminal,editor,cluster,lesson`, in that order of appearance.
    pub panels: Vec<Panel>,
    /// `theme=light|dark` (None: follow the system).
    pub theme: Option<Theme>,
    /// `lang=en|ko` (None: the browser's language).
    pub lang: Option<Lang>,
    /// `origin=https://notes.example`: the only origin whose messages are accepted and to which
    /// messages are posted. Without it, messages go to any parent (`*`) and are accepted from
    /// the parent window only.
    pub origin: Option<String>,
    pub warnings: Vec<String>,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            embed: false,
            lesson: None,
            step: None,
            panels: vec![
                Panel::Lesson,
                Panel::Editor,
                Panel::Terminal,
                Panel::Cluster,
            ],
            theme: None,
            lang: None,
            origin: None,
            warnings: vec![],
        }
    }
}

impl EmbedOptions {
    /// Parse `location.search` (with or without the leading `?`).
    pub fn from_query(query: &str) -> EmbedOptions {
        let mut o = EmbedOptions::default();
        let q = query.strip_prefix('?').unwrap_or(query);
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = match pair.split_once('=') {
                Some((k, v)) => (k, percent_decode(v)),
                None => (pair, String::new()),
            };
            match k {
                "embed" => o.embed = v != "0" && v != "false",
                "lesson" => {
                    let ok = !v.is_empty()
                        && v.len() <= 64
                        && v.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                    if ok {
                        o.lesson = Some(v);
                    } else {
                        o.warnings.push(format!("ignored lesson={v:?}"));
                    }
                }
                "step" => match v.parse::<usize>() {
                    Ok(n) if (1..=crate::scenario::MAX_STEPS).contains(&n) => o.step = Some(n - 1),
                    _ => o.warnings.push(format!("ignored step={v:?}")),
                },
                "panels" => {
                    let mut ps = vec![];
                    for p in v.split(',').filter(|p| !p.trim().is_empty()) {
                        match Panel::parse(p) {
                            Some(p) if !ps.contains(&p) => ps.push(p),
                            Some(_) => {}
                            None => o.warnings.push(format!("ignored panel {p:?}")),
                        }
                    }
                    if ps.is_empty() {
                        o.warnings
                            .push("panels named none that exist; showing all".into());
                    } else {
                        o.panels = ps;
                    }
                }
                "theme" => match v.as_str() {
                    "light" => o.theme = Some(Theme::Light),
                    "dark" => o.theme = Some(Theme::Dark),
                    _ => o.warnings.push(format!("ignored theme={v:?}")),
                },
                "lang" => match v.as_str() {
                    "en" => o.lang = Some(Lang::En),
                    "ko" => o.lang = Some(Lang::Ko),
                    _ => o.warnings.push(format!("ignored lang={v:?}")),
                },
                "origin" => {
                    if (v.starts_with("https://") || v.starts_with("http://"))
                        && !v[v.find("//").map_or(0, |i| i + 2)..].contains('/')
                    {
                        o.origin = Some(v);
                    } else {
                        o.warnings
                            .push(format!("ignored origin={v:?} (want scheme://host[:port])"));
                    }
                }
                other => o
                    .warnings
                    .push(format!("ignored unknown parameter {other:?}")),
            }
        }
        o
    }

    pub fn shows(&self, p: Panel) -> bool {
        self.panels.contains(&p)
    }
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                match (
                    b.get(i + 1).and_then(|c| hex(*c)),
                    b.get(i + 2).and_then(|c| hex(*c)),
                ) {
                    (Some(h), Some(l)) => {
                        out.push(h * 16 + l);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the page around the iframe can ask. Every message is an object with `"type"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `{"type":"kubeplay:load","lesson":"rolling-update"}` or `{"type":"kubeplay:load",
    /// "scenario":"<YAML>"}`: start that scenario (the session is replaced).
    Load {
        lesson: Option<String>,
        scenario: Option<String>,
    },
    /// `{"type":"kubeplay:run","command":"kubectl get pods","id":"any"}`: type a line in the
    /// terminal. `kubeplay:ran` answers when it has finished.
    Run { command: String, id: Value },
    /// `{"type":"kubeplay:check"}`: send `kubeplay:checks` now.
    Check,
    /// `{"type":"kubeplay:step","step":2}`: show a step (from 1).
    Step { step: usize },
}

/// The longest command a message may carry.
pub const MAX_COMMAND_BYTES: usize = 64 * 1024;

impl Request {
    /// `Ok(None)`: not a kubeplay message (ignore it quietly). `Err`: a kubeplay message that is
    /// malformed; answer with `kubeplay:error`.
    pub fn parse(v: &Value) -> Result<Option<Request>, String> {
        let Some(t) = v.get("type").and_then(Value::as_str) else {
            return Ok(None);
        };
        let Some(t) = t.strip_prefix("kubeplay:") else {
            return Ok(None);
        };
        match t {
            "load" => {
                let lesson = v.get("lesson").and_then(Value::as_str).map(String::from);
                let scenario = v.get("scenario").and_then(Value::as_str).map(String::from);
                if lesson.is_some() == scenario.is_some() {
                    return Err("kubeplay:load needs exactly one of `lesson` and `scenario`".into());
                }
                Ok(Some(Request::Load { lesson, scenario }))
            }
            "run" => {
                let c = v
                    .get("command")
                    .and_then(Value::as_str)
                    .ok_or("kubeplay:run needs a string `command`")?;
                if c.len() > MAX_COMMAND_BYTES {
                    return Err(format!(
                        "kubeplay:run: command over {MAX_COMMAND_BYTES} bytes"
                    ));
                }
                Ok(Some(Request::Run {
                    command: c.to_string(),
                    id: v.get("id").cloned().unwrap_or(Value::Null),
                }))
            }
            "check" => Ok(Some(Request::Check)),
            "step" => match v.get("step").and_then(Value::as_u64) {
                Some(n) if n >= 1 && n <= crate::scenario::MAX_STEPS as u64 => {
                    Ok(Some(Request::Step {
                        step: n as usize - 1,
                    }))
                }
                _ => Err("kubeplay:step needs `step`, a number from 1".into()),
            },
            // Our own outgoing types echoed back (a page that embeds itself): ignore.
            "ready" | "loaded" | "ran" | "checks" | "error" => Ok(None),
            other => Err(format!("unknown message type kubeplay:{other}")),
        }
    }
}

/// `kubeplay:ready`: sent once the page can take requests.
pub fn ready(lesson: Option<&str>) -> Value {
    json!({"type": "kubeplay:ready", "protocol": 1, "lesson": lesson})
}

/// `kubeplay:loaded`: a scenario was loaded.
pub fn loaded(id: &str, steps: usize) -> Value {
    json!({"type": "kubeplay:loaded", "lesson": id, "steps": steps})
}

/// `kubeplay:ran`: a command from `kubeplay:run` finished.
pub fn ran(id: &Value, status: i32, output: &str) -> Value {
    json!({"type": "kubeplay:ran", "id": id, "status": status, "output": output})
}

/// `kubeplay:error`.
pub fn error(message: &str) -> Value {
    json!({"type": "kubeplay:error", "message": message})
}

/// `kubeplay:checks`: the current step's check results and which steps are done. Sent when
/// they change, and on `kubeplay:check`.
pub fn checks(lesson: &str, step: usize, results: &[CheckLine], done: &[bool]) -> Value {
    let results: Vec<Value> = results
        .iter()
        .map(|c| {
            json!({
                "description": c.description,
                "passed": c.result.passed,
                "expected": c.result.expected,
                "actual": c.result.actual,
            })
        })
        .collect();
    json!({
        "type": "kubeplay:checks",
        "lesson": lesson,
        "step": step + 1,
        "results": results,
        "done": done,
        "complete": !done.is_empty() && done.iter().all(|d| *d),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_string_options() {
        let o = EmbedOptions::from_query(
            "?embed&lesson=rolling-update&step=2&panels=terminal,lesson,terminal&theme=dark&lang=ko&origin=https%3A%2F%2Fnotes.example",
        );
        assert!(o.embed);
        assert_eq!(o.lesson.as_deref(), Some("rolling-update"));
        assert_eq!(o.step, Some(1));
        assert_eq!(o.panels, [Panel::Terminal, Panel::Lesson]);
        assert_eq!(o.theme, Some(Theme::Dark));
        assert_eq!(o.lang, Some(Lang::Ko));
        assert_eq!(o.origin.as_deref(), Some("https://notes.example"));
        assert!(o.warnings.is_empty(), "{:?}", o.warnings);
        assert!(!o.shows(Panel::Editor));
    }

    #[test]
    fn bad_query_values_are_ignored_with_warnings() {
        let o = EmbedOptions::from_query(
            "lesson=%3Cscript%3E&step=0&panels=nope&theme=pink&lang=fr&origin=javascript:alert(1)&x=1",
        );
        assert!(!o.embed);
        assert_eq!(o.lesson, None);
        assert_eq!(o.step, None);
        assert_eq!(o.panels, EmbedOptions::default().panels);
        assert_eq!((o.theme, o.lang, o.origin), (None, None, None));
        assert_eq!(o.warnings.len(), 8, "{:?}", o.warnings);
        assert!(o.warnings[0].contains("<script>"));
        assert!(EmbedOptions::from_query("embed=0").embed == false);
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%e3%85%8e+x"), "ㅎ x");
    }

    #[test]
    fn messages_parse_strictly() {
        let p = |s: &str| Request::parse(&serde_json::from_str(s).unwrap());
        assert_eq!(
            p(r#"{"type":"kubeplay:load","lesson":"secrets"}"#),
            Ok(Some(Request::Load {
                lesson: Some("secrets".into()),
                scenario: None
            }))
        );
        assert_eq!(
            p(r#"{"type":"kubeplay:run","command":"kubectl get pods","id":7}"#),
            Ok(Some(Request::Run {
                command: "kubectl get pods".into(),
                id: json!(7)
            }))
        );
        assert_eq!(
            p(r#"{"type":"kubeplay:step","step":2}"#),
            Ok(Some(Request::Step { step: 1 }))
        );
        assert_eq!(p(r#"{"type":"kubeplay:check"}"#), Ok(Some(Request::Check)));
        assert_eq!(p(r#"{"type":"other"}"#), Ok(None));
        assert_eq!(p(r#"[1]"#), Ok(None));
        assert_eq!(p(r#"{"type":"kubeplay:checks"}"#), Ok(None));
        assert!(p(r#"{"type":"kubeplay:load"}"#).is_err());
        assert!(p(r#"{"type":"kubeplay:run","command":5}"#).is_err());
        assert!(p(r#"{"type":"kubeplay:step","step":0}"#).is_err());
        assert!(p(r#"{"type":"kubeplay:rm"}"#)
            .unwrap_err()
            .contains("unknown message type"));
    }

    #[test]
    fn outgoing_messages() {
        let r = crate::run::CheckLine {
            description: "d".into(),
            result: crate::check::CheckResult {
                passed: false,
                expected: "1".into(),
                actual: "0".into(),
            },
        };
        assert_eq!(
            checks("x", 0, &[r], &[false, true]).to_string(),
            r#"{"complete":false,"done":[false,true],"lesson":"x","results":[{"actual":"0","description":"d","expected":"1","passed":false}],"step":1,"type":"kubeplay:checks"}"#
        );
        assert_eq!(ready(None)["protocol"], 1);
    }
}

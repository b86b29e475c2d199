//! Share links: a session's whole state as a URL fragment.
//!
//! The state is not a snapshot of the cluster but the journal that produced it: the seed, every
//! line fed and file written with the virtual time it happened at, Ctrl+C presses, the final
//! clock, and the lesson with its progress. Replaying the journal into a fresh session gives the
//! same state byte for byte, because the simulation is deterministic.
//!
//! Wire format (version 1): `base64url( [version byte] ++ deflate(json) )`, no padding. The
//! JSON is compact: `{"s":seed,"c":clock,"e":[events],"l":{"id":..,"st":step,"d":done}}` with
//! each event an array whose first item is the time since the previous event:
//! `[dt, "line"]`, `[dt, 1, "path", "content"]` (file written), `[dt, 2]` (Ctrl+C), `[dt, 3, "text"]` (the editor saved for the oldest open `kubectl edit`); `"ed": 1` when the session had an editor.
//! A custom scenario (not built in) travels whole in `"sc"` (as JSON, which is YAML).
//!
//! Links are untrusted input: sizes are capped before and after inflating, every field is
//! checked, and nothing is replayed until the whole link has been read and validated.

use crate::builtin;
use crate::run;
use crate::scenario::Scenario;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use kubeplay_core::time::Millis;
use kubeplay_shell::Session;
use serde_json::{json, Value};
use std::fmt;

/// The format this build writes.
pub const VERSION: u8 = 1;
/// The longest link text accepted (characters of the fragment).
pub const MAX_LINK_CHARS: usize = 96 * 1024;
/// The largest JSON accepted after inflating.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;
/// The most events (lines, file writes, interrupts) a link may hold.
pub const MAX_EVENTS: usize = 5_000;
/// The longest single line or file.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// Virtual time a link may ask to reach: 30 days.
pub const MAX_CLOCK_MS: Millis = 30 * 24 * 3600 * 1000;

/// Something that happened in a session, at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Line {
        at: Millis,
        text: String,
    },
    Write {
        at: Millis,
        path: String,
        content: String,
    },
    /// The editor was saved for the oldest open `kubectl edit` request.
    Edit {
        at: Millis,
        text: String,
    },
    Interrupt {
        at: Millis,
    },
    /// Ctrl+C on a line being typed at the prompt (the page's terminal): `typed` is not run,
    /// and an unfinished command before it (an open quote, a heredoc) is dropped.
    Cancel {
        at: Millis,
        typed: String,
    },
}

impl Event {
    pub fn at(&self) -> Millis {
        match self {
            Event::Line { at, .. }
            | Event::Write { at, .. }
            | Event::Edit { at, .. }
            | Event::Interrupt { at }
            | Event::Cancel { at, .. } => *at,
        }
    }
}

/// Where the learner is in a lesson.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LessonProgress {
    /// A built-in lesson's id, or the id of the scenario carried in `scenario_yaml`.
    pub id: String,
    /// The step shown (from 0).
    pub step: usize,
    /// Steps whose checks have passed at some point (a step stays done).
    pub done: Vec<bool>,
}

/// Everything a link carries.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ShareState {
    pub seed: u64,
    pub events: Vec<Event>,
    /// The virtual time the session had reached.
    pub clock: Millis,
    pub lesson: Option<LessonProgress>,
    /// A scenario that is not built in, as YAML.
    pub scenario_yaml: Option<String>,
    /// The session had an editor for `kubectl edit` (the web page does; the CLI does not).
    pub editor: bool,
}

/// Why a link could not be opened. The message is for the learner; nothing was run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError(pub String);

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShareError {}

fn err<T>(m: impl Into<String>) -> Result<T, ShareError> {
    Err(ShareError(m.into()))
}

impl ShareState {
    pub fn new(seed: u64) -> ShareState {
        ShareState {
            seed,
            ..Default::default()
        }
    }

    /// The link text (goes after `#` in the URL).
    pub fn encode(&self) -> String {
        let mut prev = 0;
        let events: Vec<Value> = self
            .events
            .iter()
            .map(|e| {
                let dt = e.at().saturating_sub(prev);
                prev = e.at();
                match e {
                    Event::Line { text, .. } => json!([dt, text]),
                    Event::Write { path, content, .. } => json!([dt, 1, path, content]),
                    Event::Interrupt { .. } => json!([dt, 2]),
                    Event::Edit { text, .. } => json!([dt, 3, text]),
                    Event::Cancel { typed, .. } => json!([dt, 4, typed]),
                }
            })
            .collect();
        let mut o = serde_json::Map::new();
        o.insert("s".into(), json!(self.seed));
        o.insert("c".into(), json!(self.clock));
        o.insert("e".into(), Value::Array(events));
        if let Some(l) = &self.lesson {
            let done: Vec<u8> = l.done.iter().map(|d| *d as u8).collect();
            o.insert("l".into(), json!({"id": l.id, "st": l.step, "d": done}));
        }
        if let Some(y) = &self.scenario_yaml {
            o.insert("sc".into(), json!(y));
        }
        if self.editor {
            o.insert("ed".into(), json!(1));
        }
        let body = serde_json::to_vec(&Value::Object(o)).expect("json of plain values");
        let mut bytes = vec![VERSION];
        bytes.extend(miniz_oxide::deflate::compress_to_vec(&body, 9));
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Read a link (with or without a leading `#`). Checks everything; runs nothing.
    pub fn decode(link: &str) -> Result<ShareState, ShareError> {
        let link = link.trim();
        let link = link.strip_prefix('#').unwrap_or(link);
        if link.is_empty() {
            return err("The link holds no state.");
        }
        if link.len() > MAX_LINK_CHARS {
            return err(format!(
                "The link is too long ({} characters; at most {MAX_LINK_CHARS}).",
                link.len()
            ));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(link.trim_end_matches('='))
            .or_else(|_| {
                err("The link is damaged: it is not valid base64url. Was it cut short?")
            })?;
        let (&version, packed) = bytes
            .split_first()
            .ok_or_else(|| ShareError("The link holds no state.".into()))?;
        if version == 0 || version > VERSION {
            return err(format!(
                "The link was made by a newer kubeplay (format {version}); this one reads formats \
                 1 to {VERSION}. Open it with a newer kubeplay."
            ));
        }
        let body = miniz_oxide::inflate::decompress_to_vec_with_limit(packed, MAX_INFLATED_BYTES)
            .map_err(|e| {
            if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
                ShareError(format!(
                    "The link unpacks to more than {MAX_INFLATED_BYTES} bytes; refusing it."
                ))
            } else {
                ShareError("The link is damaged: it does not unpack. Was it cut short?".into())
            }
        })?;
        let v: Value = serde_json::from_slice(&body)
            .or_else(|_| err("The link is damaged: its content is not readable."))?;
        let v = migrate(version, v)?;
        Self::from_value(&v)
    }

    fn from_value(v: &Value) -> Result<ShareState, ShareError> {
        let bad = |what: &str| ShareError(format!("The link is damaged: bad {what}."));
        let seed = v
            .get("s")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("seed"))?;
        let clock = v
            .get("c")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("clock"))?;
        if clock > MAX_CLOCK_MS {
            return err("The link asks for more than 30 days of virtual time; refusing it.");
        }
        let raw = v
            .get("e")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("history"))?;
        if raw.len() > MAX_EVENTS {
            return err(format!(
                "The link holds {} commands and edits; at most {MAX_EVENTS} are allowed.",
                raw.len()
            ));
        }
        let text = |x: Option<&Value>, what: &str| -> Result<String, ShareError> {
            let s = x.and_then(Value::as_str).ok_or_else(|| bad(what))?;
            if s.len() > MAX_TEXT_BYTES {
                return err(format!(
                    "The link holds a {what} over {MAX_TEXT_BYTES} bytes."
                ));
            }
            Ok(s.to_string())
        };
        let mut events = Vec::with_capacity(raw.len());
        let mut at: Millis = 0;
        for e in raw {
            let a = e.as_array().ok_or_else(|| bad("history entry"))?;
            let dt = a
                .first()
                .and_then(Value::as_u64)
                .ok_or_else(|| bad("history time"))?;
            at = at
                .checked_add(dt)
                .filter(|t| *t <= clock)
                .ok_or_else(|| bad("history time"))?;
            events.push(match a.get(1) {
                Some(Value::String(_)) if a.len() == 2 => Event::Line {
                    at,
                    text: text(a.get(1), "command line")?,
                },
                Some(Value::Number(n)) if n.as_u64() == Some(1) && a.len() == 4 => {
                    let path = text(a.get(2), "file name")?;
                    if path.is_empty()
                        || path.len() > 255
                        || path.chars().any(|c| c.is_control())
                        || path.split('/').any(|p| p == "..")
                    {
                        return Err(bad("file name"));
                    }
                    Event::Write {
                        at,
                        path,
                        content: text(a.get(3), "file")?,
                    }
                }
                Some(Value::Number(n)) if n.as_u64() == Some(2) && a.len() == 2 => {
                    Event::Interrupt { at }
                }
                Some(Value::Number(n)) if n.as_u64() == Some(3) && a.len() == 3 => Event::Edit {
                    at,
                    text: text(a.get(2), "edited object")?,
                },
                Some(Value::Number(n)) if n.as_u64() == Some(4) && a.len() == 3 => Event::Cancel {
                    at,
                    typed: text(a.get(2), "command line")?,
                },
                _ => return Err(bad("history entry")),
            });
        }
        let lesson = match v.get("l") {
            None | Some(Value::Null) => None,
            Some(l) => {
                let id = l
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("lesson"))?;
                if id.is_empty() || id.len() > 64 {
                    return Err(bad("lesson"));
                }
                let step = l
                    .get("st")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| bad("lesson step"))?;
                let done = l
                    .get("d")
                    .and_then(Value::as_array)
                    .ok_or_else(|| bad("lesson progress"))?;
                if done.len() > crate::scenario::MAX_STEPS
                    || step as usize > crate::scenario::MAX_STEPS
                {
                    return Err(bad("lesson progress"));
                }
                Some(LessonProgress {
                    id: id.to_string(),
                    step: step as usize,
                    done: done.iter().map(|d| d.as_u64() == Some(1)).collect(),
                })
            }
        };
        let scenario_yaml = match v.get("sc") {
            None | Some(Value::Null) => None,
            Some(s) => Some(text(Some(s), "scenario")?),
        };
        let editor = v.get("ed").and_then(Value::as_u64) == Some(1);
        Ok(ShareState {
            seed,
            events,
            clock,
            lesson,
            scenario_yaml,
            editor,
        })
    }

    /// The scenario this state belongs to, if any: the carried one, or a built-in by id.
    pub fn scenario(&self) -> Result<Option<Scenario>, ShareError> {
        if let Some(y) = &self.scenario_yaml {
            let sc = Scenario::from_yaml(y)
                .map_err(|e| ShareError(format!("The link's scenario is invalid: {e}")))?;
            return Ok(Some(sc));
        }
        match &self.lesson {
            None => Ok(None),
            Some(l) => match builtin::get(&l.id) {
                Some(sc) => Ok(Some(sc)),
                None => err(format!(
                    "The link is for a lesson this kubeplay does not have ({:?}).",
                    l.id
                )),
            },
        }
    }
}

/// Bring an older format's JSON up to the current one. Version 1 is the first; when the format
/// changes, bump [`VERSION`] and convert here, so that old links keep opening.
fn migrate(version: u8, v: Value) -> Result<Value, ShareError> {
    match version {
        1 => Ok(v),
        other => err(format!("Unknown link format {other}.")),
    }
}

/// The session a state starts from: the scenario's files and setup, or an empty cluster.
fn base_session(seed: u64, sc: Option<&Scenario>) -> Session {
    match sc {
        Some(sc) => {
            let mut sc = sc.clone();
            sc.seed = seed;
            run::start(&sc).0
        }
        None => Session::new(seed),
    }
}

/// Replay a journal into a fresh session (the scenario's files and setup first, if any).
/// Returns the session and the terminal's history: each line fed and the output after it.
/// Call [`ShareState::decode`] (and [`ShareState::scenario`]) first: this trusts its input's
/// limits.
pub fn replay_session(state: &ShareState, scenario: Option<&Scenario>) -> (Session, Vec<Replayed>) {
    let mut session = base_session(state.seed, scenario);
    session.take_output();
    session.set_editor(state.editor);
    let mut history: Vec<Replayed> = Vec::new();
    let mut continuation = false;
    // `kubectl edit` requests waiting for the editor, oldest first. (One still open when the
    // link was made is not reopened.)
    let mut edits = std::collections::VecDeque::new();
    let drain = |session: &mut Session, history: &mut Vec<Replayed>| {
        let out = session.take_output();
        if out.is_empty() {
            return;
        }
        match history.last_mut() {
            Some(h) => h.output.extend(out),
            None => history.push(Replayed {
                line: None,
                namespace: String::new(),
                continuation: false,
                shell_prompt: None,
                cancelled: false,
                output: out,
            }),
        }
    };
    for e in &state.events {
        if e.at() > session.now() {
            session.advance_to(e.at());
        }
        drain(&mut session, &mut history);
        edits.extend(session.take_edit_requests());
        match e {
            Event::Line { text, .. } => {
                history.push(Replayed {
                    line: Some(text.clone()),
                    namespace: session.namespace.clone(),
                    continuation,
                    shell_prompt: session.prompt(),
                    cancelled: false,
                    output: vec![],
                });
                continuation = session.feed_line(text) == kubeplay_shell::LineState::NeedMore;
            }
            Event::Write { path, content, .. } => {
                session.fs.write(path, content.as_bytes().to_vec())
            }
            Event::Interrupt { .. } if !edits.is_empty() => {
                edits.clear();
                session.interrupt_edit();
            }
            Event::Interrupt { .. } => {
                session.interrupt();
                continuation = false;
            }
            Event::Cancel { typed, .. } => {
                history.push(Replayed {
                    line: Some(typed.clone()),
                    namespace: session.namespace.clone(),
                    continuation,
                    shell_prompt: session.prompt(),
                    cancelled: true,
                    output: vec![],
                });
                if session.is_continuing() {
                    // The session drops the unfinished command and prints `^C` itself.
                    session.interrupt();
                } else if let Some(h) = history.last_mut() {
                    h.output.push(kubeplay_shell::Chunk {
                        stream: kubeplay_shell::Stream::Out,
                        text: "^C\n".into(),
                    });
                }
                continuation = false;
            }
            Event::Edit { text, .. } => {
                if let Some(req) = edits.pop_front() {
                    if let Some(again) = session.finish_edit(&req, text) {
                        edits.push_front(again);
                    }
                }
            }
        }
        drain(&mut session, &mut history);
    }
    if state.clock > session.now() {
        session.advance_to(state.clock);
    }
    drain(&mut session, &mut history);
    (session, history)
}

/// One line of a replayed terminal history and the output that followed it (`line` is `None`
/// for output before the first line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replayed {
    pub line: Option<String>,
    /// The namespace of the context when the line was typed (the prompt shows it).
    pub namespace: String,
    /// The line continued an unfinished one (the prompt was `> `).
    pub continuation: bool,
    /// The prompt of the container shell the line was typed in (`kubectl exec -it`), if any.
    pub shell_prompt: Option<String>,
    /// Ctrl+C was pressed on the line as it was typed: it was not run (the terminal shows it
    /// followed by `^C`, with no newline between).
    pub cancelled: bool,
    pub output: Vec<kubeplay_shell::Chunk>,
}

/// A session that records what happens to it, so that it can be shared. The web's terminal and
/// editor drive this instead of a bare `Session`.
pub struct Playground {
    pub session: Session,
    pub state: ShareState,
    pub scenario: Option<Scenario>,
}

impl Playground {
    /// An empty cluster.
    pub fn new(seed: u64) -> Playground {
        Playground {
            session: Session::new(seed),
            state: ShareState::new(seed),
            scenario: None,
        }
    }

    /// A lesson or scenario, at its first step, setup done. Built-ins travel by id, others
    /// whole.
    pub fn with_scenario(sc: Scenario, builtin_id: bool) -> Playground {
        let session = base_session(sc.seed, Some(&sc));
        let state = ShareState {
            seed: sc.seed,
            clock: session.now(),
            lesson: Some(LessonProgress {
                id: sc.id.clone(),
                step: 0,
                done: vec![false; sc.steps.len()],
            }),
            scenario_yaml: (!builtin_id)
                .then(|| serde_json::to_string(&sc).expect("scenario serializes")),
            events: vec![],
            editor: false,
        };
        Playground {
            session,
            state,
            scenario: Some(sc),
        }
    }

    /// Feed one terminal line (recorded).
    pub fn feed_line(&mut self, line: &str) -> kubeplay_shell::LineState {
        self.state.events.push(Event::Line {
            at: self.session.now(),
            text: line.to_string(),
        });
        let r = self.session.feed_line(line);
        self.sync();
        self.refresh_progress();
        r
    }

    /// Save a file from the editor (recorded).
    pub fn write_file(&mut self, path: &str, content: &str) {
        self.state.events.push(Event::Write {
            at: self.session.now(),
            path: path.to_string(),
            content: content.to_string(),
        });
        self.session.fs.write(path, content.as_bytes().to_vec());
        self.sync();
        self.refresh_progress();
    }

    /// Ctrl+C (recorded when something was running).
    /// Ctrl+C (recorded when it does something: a command running or a line half typed).
    pub fn interrupt(&mut self) {
        if self.session.is_busy() || self.session.is_continuing() {
            self.state.events.push(Event::Interrupt {
                at: self.session.now(),
            });
            self.session.interrupt();
            self.sync();
        }
    }

    /// Say the page has an editor for `kubectl edit` (before anything is typed).
    pub fn set_editor(&mut self, available: bool) {
        self.state.editor = available;
        self.session.set_editor(available);
    }

    /// The editor was saved for a `kubectl edit` request (recorded). Returns the request
    /// again when kubectl would reopen the editor (see [`Session::finish_edit`]).
    pub fn finish_edit(
        &mut self,
        req: &kubeplay_shell::kubectl::edit::EditRequest,
        text: &str,
    ) -> Option<kubeplay_shell::kubectl::edit::EditRequest> {
        self.state.events.push(Event::Edit {
            at: self.session.now(),
            text: text.to_string(),
        });
        let again = self.session.finish_edit(req, text);
        self.sync();
        self.refresh_progress();
        again
    }

    /// Let virtual time pass. (Checks are not evaluated here: see [`Self::refresh_progress`].)
    pub fn advance_to(&mut self, t: Millis) {
        self.session.advance_to(t);
        self.sync();
    }

    /// Run the current command to its end, as the CLI does.
    pub fn run_until_idle(&mut self) {
        self.session.run_until_idle();
        self.sync();
        self.refresh_progress();
    }

    fn sync(&mut self) {
        self.state.clock = self.session.now();
    }

    /// Evaluate the lesson's checks and mark steps done (a step, once passed, stays done).
    /// Called after each line and file write; the web also calls it on a timer while time runs.
    pub fn refresh_progress(&mut self) {
        if let (Some(sc), Some(l)) = (&self.scenario, &mut self.state.lesson) {
            let now = run::progress(sc, &self.session);
            l.done.resize(now.len(), false);
            for (d, n) in l.done.iter_mut().zip(now) {
                *d |= n;
            }
        }
    }

    /// Move the lesson panel to a step.
    pub fn set_step(&mut self, step: usize) {
        if let (Some(sc), Some(l)) = (&self.scenario, &mut self.state.lesson) {
            l.step = step.min(sc.steps.len().saturating_sub(1));
        }
    }

    pub fn share_link(&self) -> String {
        self.state.encode()
    }

    /// Open a link: decode, validate, then replay into a fresh session. Returns, with the
    /// playground, the terminal's history: each line fed and the output that followed it.
    pub fn from_link(link: &str) -> Result<(Playground, Vec<Replayed>), ShareError> {
        let state = ShareState::decode(link)?;
        Self::replay(state)
    }

    /// Replay a decoded state.
    pub fn replay(state: ShareState) -> Result<(Playground, Vec<Replayed>), ShareError> {
        let scenario = state.scenario()?;
        if let (Some(sc), Some(l)) = (&scenario, &state.lesson) {
            if l.step >= sc.steps.len().max(1) {
                return err(format!(
                    "The link points to step {} of lesson {:?}, which has {} steps.",
                    l.step + 1,
                    sc.id,
                    sc.steps.len()
                ));
            }
        }
        let (session, output) = replay_session(&state, scenario.as_ref());
        let mut state = state;
        if let (Some(sc), Some(l)) = (&scenario, &mut state.lesson) {
            l.done.resize(sc.steps.len(), false);
        }
        let mut pg = Playground {
            session,
            state,
            scenario,
        };
        pg.sync();
        pg.refresh_progress();
        Ok((pg, output))
    }
}

//! Playing a scenario: a fresh session with its files, the setup lines, then each step's lines
//! followed by that step's checks. `kubeplay check`, the tests of the built-in lessons and the
//! web's lesson panel all go through here.

use crate::check::CheckResult;
use crate::scenario::{Lang, Scenario, Step};
use kubeplay_shell::fs::Vfs;
use kubeplay_shell::{LineState, Session};

/// A session holding the scenario's files, with nothing run yet.
pub fn new_session(sc: &Scenario) -> Session {
    let mut fs = Vfs::default();
    for (path, content) in &sc.files {
        fs.write(path, content.clone().into_bytes());
    }
    Session::with_fs(sc.seed, fs)
}

/// Feed lines as a terminal would (each run to completion before the next), returning the
/// transcript in `kubeplay run --echo` form.
pub fn run_lines<'a>(s: &mut Session, lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut t = String::new();
    let mut continuing = false;
    for line in lines {
        t.push_str(if continuing { "> " } else { "$ " });
        t.push_str(line);
        t.push('\n');
        continuing = s.feed_line(line) == LineState::NeedMore;
        s.run_until_idle();
        for c in s.take_output() {
            t.push_str(&c.text);
        }
    }
    t
}

/// The session a learner starts the scenario in: files written, setup run.
pub fn start(sc: &Scenario) -> (Session, String) {
    let mut s = new_session(sc);
    let t = run_lines(&mut s, sc.setup_lines());
    (s, t)
}

/// One evaluated check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckLine {
    pub description: String,
    pub result: CheckResult,
}

/// Evaluate one step's checks against the session as it is.
pub fn evaluate_step(step: &Step, s: &Session, lang: Lang) -> Vec<CheckLine> {
    step.checks
        .iter()
        .map(|c| CheckLine {
            description: c.describe(lang),
            result: c.evaluate(s),
        })
        .collect()
}

/// Which steps' checks all pass now (a step without checks counts as done).
pub fn progress(sc: &Scenario, s: &Session) -> Vec<bool> {
    sc.steps
        .iter()
        .map(|st| st.checks.iter().all(|c| c.evaluate(s).passed))
        .collect()
}

#[derive(Clone, Debug)]
pub struct StepReport {
    pub title: String,
    /// The step's lines and their output, `$ line` then output.
    pub transcript: String,
    pub checks: Vec<CheckLine>,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub id: String,
    pub title: String,
    pub setup_transcript: String,
    pub steps: Vec<StepReport>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.steps
            .iter()
            .all(|s| s.checks.iter().all(|c| c.result.passed))
    }

    pub fn counts(&self) -> (usize, usize) {
        let all = self.steps.iter().flat_map(|s| &s.checks);
        let total = all.clone().count();
        let passed = all.filter(|c| c.result.passed).count();
        (total, passed)
    }

    /// The failed checks as (step number from 1, description).
    pub fn failures(&self) -> Vec<(usize, String)> {
        self.steps
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                s.checks
                    .iter()
                    .filter(|c| !c.result.passed)
                    .map(move |c| (i + 1, c.description.clone()))
            })
            .collect()
    }

    /// What `kubeplay check` prints: one line per check, stable for CI logs. With
    /// `transcripts`, each step's lines and output come before its checks.
    pub fn render(&self, transcripts: bool) -> String {
        let mut o = format!("scenario {}: {}\n", self.id, self.title);
        if transcripts && !self.setup_transcript.is_empty() {
            o.push_str("setup\n");
            o.push_str(&indent(&self.setup_transcript));
        }
        for (i, st) in self.steps.iter().enumerate() {
            o.push_str(&format!("step {}: {}\n", i + 1, st.title));
            if transcripts {
                o.push_str(&indent(&st.transcript));
            }
            for c in &st.checks {
                if c.result.passed {
                    o.push_str(&format!("  PASS {}\n", c.description));
                } else {
                    o.push_str(&format!(
                        "  FAIL {}: expected {}, got {}\n",
                        c.description, c.result.expected, c.result.actual
                    ));
                }
            }
        }
        let (total, passed) = self.counts();
        o.push_str(&format!(
            "{}: {passed} of {total} checks passed\n",
            if passed == total { "ok" } else { "FAILED" }
        ));
        o
    }
}

fn indent(t: &str) -> String {
    t.lines().map(|l| format!("    {l}\n")).collect()
}

/// Play the scenario with each step's own solution.
pub fn check_scenario(sc: &Scenario, lang: Lang) -> Report {
    check_with(sc, lang, |_, st| {
        st.solution_lines().into_iter().map(String::from).collect()
    })
}

/// Play the scenario with the lines `attempt` gives for each step (index from 0), evaluating
/// each step's checks right after its lines.
pub fn check_with(
    sc: &Scenario,
    lang: Lang,
    mut attempt: impl FnMut(usize, &Step) -> Vec<String>,
) -> Report {
    let (mut s, setup_transcript) = start(sc);
    let mut steps = Vec::new();
    for (i, st) in sc.steps.iter().enumerate() {
        let lines = attempt(i, st);
        let transcript = run_lines(&mut s, lines.iter().map(String::as_str));
        steps.push(StepReport {
            title: st.title.get(lang).to_string(),
            transcript,
            checks: evaluate_step(st, &s, lang),
        });
    }
    Report {
        id: sc.id.clone(),
        title: sc.title.get(lang).to_string(),
        setup_transcript,
        steps,
    }
}

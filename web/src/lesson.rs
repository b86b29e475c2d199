//! The lesson panel's state, outside the DOM: which scenario, which step, which hints are
//! showing, which steps are done, and the current step's check results. Checks are evaluated
//! on the simulated state whenever it changes, so a step turns green the moment the cluster is
//! right.

use kubeplay_lessons::run::{evaluate_step, CheckLine};
use kubeplay_lessons::scenario::Lang;
use kubeplay_lessons::share::LessonProgress;
use kubeplay_lessons::Scenario;
use kubeplay_shell::Session;

#[derive(Clone, Debug)]
pub struct LessonState {
    pub scenario: Scenario,
    /// A built-in lesson (travels in links by id) or a scenario loaded from a message.
    pub builtin: bool,
    pub step: usize,
    /// How many hints are showing, per step.
    pub hints_shown: Vec<usize>,
    pub solution_shown: Vec<bool>,
    /// Steps whose checks have all passed at some point. A step stays done: the Recreate
    /// lesson's downtime, for one, does not last.
    pub done: Vec<bool>,
    /// The shown step's checks, as last evaluated.
    pub results: Vec<CheckLine>,
    /// What the results were computed from: (cluster version, files version, step, language).
    stamp: Option<(u64, u64, usize, Lang)>,
}

impl LessonState {
    pub fn new(scenario: Scenario, builtin: bool) -> LessonState {
        let n = scenario.steps.len();
        LessonState {
            scenario,
            builtin,
            step: 0,
            hints_shown: vec![0; n],
            solution_shown: vec![false; n],
            done: vec![false; n],
            results: vec![],
            stamp: None,
        }
    }

    /// Take step and progress from a link or a save.
    pub fn with_progress(mut self, p: &LessonProgress) -> LessonState {
        self.step = p.step.min(self.scenario.steps.len().saturating_sub(1));
        for (d, v) in self.done.iter_mut().zip(&p.done) {
            *d = *v;
        }
        self
    }

    pub fn progress(&self) -> LessonProgress {
        LessonProgress {
            id: self.scenario.id.clone(),
            step: self.step,
            done: self.done.clone(),
        }
    }

    pub fn go(&mut self, step: usize) {
        if step < self.scenario.steps.len() {
            self.step = step;
            self.stamp = None;
        }
    }

    pub fn show_hint(&mut self) {
        let n = self.scenario.steps[self.step].hints.len();
        let h = &mut self.hints_shown[self.step];
        *h = (*h + 1).min(n);
    }

    pub fn complete(&self) -> bool {
        self.done.iter().all(|d| *d)
    }

    /// Re-evaluate if anything changed since last time. Returns whether results or progress
    /// changed (then the panel re-renders and the embedding page hears about it).
    pub fn refresh(&mut self, s: &Session, cluster: u64, files: u64, lang: Lang) -> bool {
        let stamp = (cluster, files, self.step, lang);
        if self.stamp == Some(stamp) {
            return false;
        }
        self.stamp = Some(stamp);
        let mut changed = false;
        for (i, st) in self.scenario.steps.iter().enumerate() {
            if i == self.step {
                let r = evaluate_step(st, s, lang);
                let all = r.iter().all(|c| c.result.passed);
                if r != self.results {
                    self.results = r;
                    changed = true;
                }
                if all && !self.done[i] {
                    self.done[i] = true;
                    changed = true;
                }
            } else if !self.done[i] && st.checks.iter().all(|c| c.evaluate(s).passed) {
                self.done[i] = true;
                changed = true;
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_lessons::run;

    #[test]
    fn steps_turn_done_as_the_state_gets_right_and_stay_done() {
        let sc = Scenario::from_yaml(
            "id: t\ntitle: T\nfiles:\n  cm.yaml: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n    data: {k: v}\n\
             steps:\n  - title: one\n    checks:\n      - exists: {kind: cm, name: c}\n  - title: two\n    checks:\n      - exists: {kind: cm, name: c, exists: false}\n",
        )
        .unwrap();
        let (mut s, _) = run::start(&sc);
        let mut l = LessonState::new(sc, false);
        assert!(l.refresh(&s, 1, 0, Lang::En));
        assert_eq!(l.done, [false, true]);
        assert!(!l.results[0].result.passed);
        assert!(
            !l.refresh(&s, 1, 0, Lang::En),
            "nothing changed, nothing evaluated"
        );
        run::run_lines(&mut s, ["kubectl apply -f cm.yaml"]);
        assert!(l.refresh(&s, 2, 0, Lang::En));
        assert_eq!(l.done, [true, true]);
        assert!(l.complete());
        l.show_hint();
        l.go(1);
        l.go(9);
        assert_eq!(l.step, 1);
        let p = l.progress();
        assert_eq!((p.step, p.done), (1, vec![true, true]));
    }
}

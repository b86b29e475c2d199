//! The lesson, share and autosave side of the [`Sim`]: loading what [`crate::boot`] opened,
//! evaluating the lesson's checks as the state changes, and the journal a share link carries.
//! Plain Rust, tested natively.

use crate::boot::Opened;
use crate::i18n::Lang;
use crate::lesson::LessonState;
use crate::sim::{SegKind, Sim};
use kubeplay_lessons::share::{Event, ShareState};
use kubeplay_shell::Stream;

impl Sim {
    /// Replace everything with an opened state: session, terminal history, journal, lesson.
    pub fn load_opened(&mut self, o: Opened) {
        let editor = self.journal.editor;
        self.session = o.session;
        self.session.set_defer_settle(true);
        self.edits.clear();
        self.selected = None;
        self.queue.clear();
        self.marks = None;
        self.scrollback.clear();
        for h in o.history {
            if let Some(line) = &h.line {
                // As `Sim::prompt` chose it when the line was typed.
                let prompt = if let Some(p) = &h.shell_prompt {
                    p.clone()
                } else if h.continuation {
                    "> ".to_string()
                } else {
                    format!("controlplane ~ ({}) $ ", h.namespace)
                };
                self.scrollback.push(SegKind::Prompt, &prompt);
                self.scrollback.push(SegKind::Input, line);
                if !h.cancelled {
                    self.scrollback.push(SegKind::Input, "\n");
                }
                if !h.continuation && !h.cancelled {
                    self.remember(line);
                }
            }
            for c in h.output {
                let kind = match c.stream {
                    Stream::Out => SegKind::Out,
                    Stream::Err => SegKind::Err,
                };
                self.scrollback.push(kind, &c.text);
            }
        }
        self.journal = o.journal;
        if editor {
            self.enable_editor();
        }
        self.lesson = o.lesson;
        self.term_version += 1;
        self.cluster_version += 1;
        self.lesson_version += 1;
    }

    /// Record a line about to be fed (called where the Sim feeds lines).
    pub fn record_line(&mut self, line: &str) {
        self.finish_instant();
        self.journal.events.push(Event::Line {
            at: self.session.now(),
            text: line.to_string(),
        });
    }

    /// Record a file saved from the editor.
    pub fn record_write(&mut self, path: &str, content: &str) {
        self.finish_instant();
        self.journal.events.push(Event::Write {
            at: self.session.now(),
            path: path.to_string(),
            content: content.to_string(),
        });
    }

    /// Record Ctrl+C (only when something was running or an edit was open: otherwise it
    /// changes nothing).
    pub fn record_interrupt(&mut self) {
        self.finish_instant();
        if self.session.is_busy() || !self.edits.is_empty() {
            self.journal.events.push(Event::Interrupt {
                at: self.session.now(),
            });
        }
    }

    /// Record Ctrl+C on the line being typed at the prompt (nothing running).
    pub fn record_cancel(&mut self, typed: &str) {
        self.finish_instant();
        self.journal.events.push(Event::Cancel {
            at: self.session.now(),
            typed: typed.to_string(),
        });
    }

    /// The state a share link or the autosave carries, as of now.
    pub fn share_state(&self) -> ShareState {
        let mut s = self.journal.clone();
        s.clock = self.session.now();
        if let Some(l) = &self.lesson {
            s.lesson = Some(l.progress());
        }
        s
    }

    /// Evaluate the lesson's checks if the cluster or the files moved. Returns whether the
    /// panel must re-render (and the embedding page be told).
    pub fn refresh_lesson(&mut self, lang: Lang) -> bool {
        let (cluster, term) = (self.cluster_version, self.term_version);
        if self
            .session
            .world
            .next_due()
            .is_some_and(|d| d <= self.session.now())
        {
            // Mid-instant (a frame's budget ran out): check once the instant is done.
            return false;
        }
        let Some(l) = self.lesson.as_mut() else {
            return false;
        };
        if l.refresh(&self.session, cluster, term, lang) {
            self.lesson_version += 1;
            true
        } else {
            false
        }
    }

    pub fn lesson_mut(&mut self) -> Option<&mut LessonState> {
        self.lesson_version += 1;
        self.lesson.as_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boot;
    use kubeplay_lessons::builtin;

    #[test]
    fn a_sim_shares_what_it_did_and_a_new_sim_opens_it_identically() {
        let sc = builtin::get("rolling-update").unwrap();
        let mut a = Sim::new(1);
        a.load_opened(boot::start_scenario(sc.clone(), true));
        a.submit("kubectl apply -f myapp-deploy.yaml");
        for _ in 0..200 {
            a.tick(100.0);
        }
        a.submit("kubectl get deploy");
        a.tick(50.0);
        a.refresh_lesson(Lang::En);
        let link = a.share_state().encode();

        let mut b = Sim::new(1);
        b.load_opened(boot::open_state(&link).unwrap());
        assert_eq!(b.scrollback.text(), a.scrollback.text());
        assert_eq!(b.session.now(), a.session.now());
        assert_eq!(
            format!("{:?}", b.session.world.store),
            format!("{:?}", a.session.world.store)
        );
        b.refresh_lesson(Lang::En);
        assert_eq!(
            b.lesson.as_ref().unwrap().done,
            a.lesson.as_ref().unwrap().done
        );
        assert_eq!(b.share_state().encode(), link);
    }
}

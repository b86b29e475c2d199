//! `kubectl edit` on the page: the session asks for an object to be edited, the editor pane
//! shows it with Save and Cancel, and saving patches the object as kubectl does. While an edit
//! is open the terminal waits, as it does while kubectl waits for the editor to close; lines
//! typed meanwhile run after it, and Ctrl+C closes it unsaved (`Sim::interrupt`). Plain Rust,
//! tested natively.

use crate::sim::Sim;
use kubeplay_lessons::share::Event;
use kubeplay_shell::kubectl::edit::EditRequest;

impl Sim {
    /// The page has an editor: `kubectl edit` opens objects in it (and share links say so).
    pub fn enable_editor(&mut self) {
        self.session.set_editor(true);
        self.journal.editor = true;
    }

    /// The edit the editor pane shows, if any.
    pub fn open_edit(&self) -> Option<&EditRequest> {
        self.edits.front()
    }

    /// The editor was saved with `text`: kubectl's output goes to the terminal. When kubectl
    /// would reopen the editor, the request stays open with the reasons at the top of its
    /// file; otherwise the next edit (or the lines that waited) carry on.
    pub fn save_edit(&mut self, text: &str) {
        let Some(req) = self.edits.pop_front() else {
            return;
        };
        self.finish_instant();
        self.journal.events.push(Event::Edit {
            at: self.session.now(),
            text: text.to_string(),
        });
        if let Some(again) = self.session.finish_edit(&req, text) {
            self.edits.push_front(again);
        }
        self.drain();
        self.term_version += 1;
        self.pump();
    }

    /// Cancel: close the editor without saving, as quitting an editor does (the file is
    /// left as it was opened).
    pub fn cancel_edit(&mut self) {
        if let Some(text) = self.edits.front().map(|r| r.text.clone()) {
            self.save_edit(&text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web(sim: &mut Sim) {
        sim.submit_lines(
            "kubectl create deployment web --image=nginx:1.14.2\nkubectl edit deploy/web\nkubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'",
        );
    }

    /// The journal replays the same terminal (share links).
    fn replays_the_same(sim: &Sim) {
        let link = sim.share_state().encode();
        let mut b = Sim::new(1);
        b.load_opened(crate::boot::open_state(&link).unwrap());
        assert_eq!(b.scrollback.text(), sim.scrollback.text());
    }

    #[test]
    fn an_edit_opens_in_the_editor_and_the_terminal_waits_for_it() {
        let mut sim = Sim::new(1);
        sim.enable_editor();
        web(&mut sim);
        let req = sim.open_edit().expect("an edit is open").clone();
        assert_eq!(req.name, "web");
        assert!(req.text.contains("image: nginx:1.14.2"));
        assert!(sim.busy(), "the terminal waits for the editor");
        assert!(!sim.scrollback.text().contains("jsonpath"));
        sim.save_edit(&req.text.replace("nginx:1.14.2", "nginx:1.16.1"));
        assert!(sim.open_edit().is_none());
        let t = sim.scrollback.text();
        assert!(
            t.contains("kubectl edit deploy/web\ndeployment.apps/web edited\n"),
            "{t}"
        );
        assert!(t.ends_with("nginx:1.16.1"), "{t}");
        assert!(!sim.busy());
    }

    #[test]
    fn cancel_changes_nothing_and_a_bad_save_reopens() {
        let mut sim = Sim::new(1);
        sim.enable_editor();
        web(&mut sim);
        let req = sim.open_edit().unwrap().clone();
        sim.save_edit(&req.text.replace("replicas: 1", "replicas: -1"));
        let again = sim.open_edit().expect("reopened").clone();
        assert!(again.text.contains("# * spec.replicas: Invalid value: -1"));
        assert!(sim
            .scrollback
            .text()
            .ends_with("error: deployments.apps \"web\" is invalid\n"));
        sim.cancel_edit();
        assert!(sim.open_edit().is_none());
        let t = sim.scrollback.text();
        assert!(
            t.contains("error: Edit cancelled, no valid changes were saved.\n"),
            "{t}"
        );
        assert!(t.ends_with("nginx:1.14.2"), "{t}");

        replays_the_same(&sim);
    }

    #[test]
    fn ctrl_c_closes_the_editor_unsaved_and_drops_the_waiting_lines() {
        let mut sim = Sim::new(1);
        sim.enable_editor();
        web(&mut sim);
        let req = sim.open_edit().unwrap().clone();
        assert!(req.text.contains("image: nginx:1.14.2"));
        sim.interrupt();
        assert!(sim.open_edit().is_none(), "the editor closed");
        assert!(!sim.busy());
        sim.submit_lines(
            "echo $?\nkubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'",
        );
        let t = sim.scrollback.text();
        assert!(t.contains("kubectl edit deploy/web\n^C\n"), "{t}");
        assert!(!t.contains("edited"), "{t}");
        assert!(t.contains("echo $?\n130\n"), "{t}");
        assert_eq!(
            t.matches("jsonpath").count(),
            1,
            "the waiting line was dropped: {t}"
        );
        assert!(t.ends_with("nginx:1.14.2"), "{t}");
        replays_the_same(&sim);
    }
}

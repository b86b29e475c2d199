//! What the page opens with, decided without the browser: a share link in the fragment, else
//! the autosave, else the lesson the query names, else an empty playground. A link or save that
//! cannot be opened leaves a notice and runs nothing from it.

use crate::i18n::Msg;
use crate::lesson::LessonState;
use kubeplay_lessons::builtin;
use kubeplay_lessons::share::{replay_session, Replayed, ShareState};
use kubeplay_lessons::Scenario;
use kubeplay_shell::Session;

/// The localStorage key of a page's autosave. Each lesson has its own, so that two embeds of
/// different lessons on one course page do not overwrite each other.
pub fn save_key(lesson: Option<&str>) -> String {
    format!("kubeplay.autosave.{}", lesson.unwrap_or("free"))
}

/// A message for the learner: a title (translated) and a detail (from the decoder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: Msg,
    pub detail: Option<String>,
}

pub struct Opened {
    pub session: Session,
    /// The terminal's history to show.
    pub history: Vec<Replayed>,
    pub journal: ShareState,
    pub lesson: Option<LessonState>,
}

/// Open a link's or a save's text: decode, check, replay.
pub fn open_state(text: &str) -> Result<Opened, String> {
    let state = ShareState::decode(text).map_err(|e| e.0)?;
    let scenario = state.scenario().map_err(|e| e.0)?;
    if let (Some(sc), Some(l)) = (&scenario, &state.lesson) {
        if l.step >= sc.steps.len() {
            return Err(format!(
                "The link points to step {} of lesson {:?}, which has {} steps.",
                l.step + 1,
                sc.id,
                sc.steps.len()
            ));
        }
    }
    let (session, history) = replay_session(&state, scenario.as_ref());
    let lesson = scenario.map(|sc| {
        let builtin = state.scenario_yaml.is_none();
        let l = LessonState::new(sc, builtin);
        match &state.lesson {
            Some(p) => l.with_progress(p),
            None => l,
        }
    });
    Ok(Opened {
        session,
        history,
        journal: state,
        lesson,
    })
}

/// Start a scenario fresh: its files and setup, nothing typed yet.
pub fn start_scenario(sc: Scenario, builtin: bool) -> Opened {
    let (mut session, _) = kubeplay_lessons::run::start(&sc);
    session.take_output();
    let mut journal = ShareState::new(sc.seed);
    journal.clock = session.now();
    if !builtin {
        journal.scenario_yaml = Some(serde_json::to_string(&sc).unwrap_or_default());
    }
    let lesson = LessonState::new(sc, builtin);
    journal.lesson = Some(lesson.progress());
    Opened {
        session,
        history: vec![],
        journal,
        lesson: Some(lesson),
    }
}

pub fn start_free(seed: u64) -> Opened {
    Opened {
        session: Session::new(seed),
        history: vec![],
        journal: ShareState::new(seed),
        lesson: None,
    }
}

/// Decide what to open. `hash` is the fragment without `#`; `saved` the autosave text.
pub fn boot(
    hash: &str,
    saved: Option<&str>,
    lesson: Option<&str>,
    step: Option<usize>,
    seed: u64,
) -> (Opened, Vec<Notice>) {
    let mut notices = vec![];
    if !hash.trim().is_empty() {
        match open_state(hash) {
            Ok(o) => return (o, notices),
            Err(e) => notices.push(Notice {
                title: Msg::BadLink,
                detail: Some(e),
            }),
        }
    }
    if let Some(saved) = saved.filter(|s| !s.is_empty()) {
        match open_state(saved) {
            // A save of another lesson (cannot happen with per-lesson keys, but a hand-edited
            // storage could) is not restored into this one.
            Ok(o)
                if o.lesson.as_ref().map(|l| l.scenario.id.as_str()) == lesson
                    || lesson.is_none() =>
            {
                let mut o = o;
                if let (Some(l), Some(s)) = (o.lesson.as_mut(), step) {
                    l.go(s);
                }
                if o.journal.events.is_empty() {
                    return (o, notices);
                }
                notices.push(Notice {
                    title: Msg::Restored,
                    detail: None,
                });
                return (o, notices);
            }
            Ok(_) => {}
            Err(e) => notices.push(Notice {
                title: Msg::BadSave,
                detail: Some(e),
            }),
        }
    }
    if let Some(id) = lesson {
        match builtin::get(id) {
            Some(sc) => {
                let mut o = start_scenario(sc, true);
                if let (Some(l), Some(s)) = (o.lesson.as_mut(), step) {
                    l.go(s);
                }
                return (o, notices);
            }
            // The name as given, then the names there are: a course author's typo is seen
            // at once, in either language.
            None => notices.push(Notice {
                title: Msg::NoLesson,
                detail: Some(format!(
                    "{id:?} (lesson={})",
                    builtin::all()
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                )),
            }),
        }
    }
    (start_free(seed), notices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_lessons::share::Playground;

    fn link_of_lesson() -> String {
        let sc = builtin::get("rolling-update").unwrap();
        let mut pg = Playground::with_scenario(sc, true);
        pg.feed_line("kubectl apply -f myapp-deploy.yaml");
        pg.run_until_idle();
        pg.set_step(1);
        pg.share_link()
    }

    #[test]
    fn a_link_wins_and_keeps_its_step() {
        let (o, n) = boot(&link_of_lesson(), None, None, None, 1);
        assert!(n.is_empty());
        let l = o.lesson.unwrap();
        assert_eq!((l.scenario.id.as_str(), l.step), ("rolling-update", 1));
        assert_eq!(
            o.history[0].line.as_deref(),
            Some("kubectl apply -f myapp-deploy.yaml")
        );
    }

    #[test]
    fn a_bad_link_falls_back_to_the_save_with_a_notice() {
        let save = link_of_lesson();
        let (o, n) = boot("AAAA!!", Some(&save), Some("rolling-update"), None, 1);
        assert_eq!(n[0].title, Msg::BadLink);
        assert_eq!(n[1].title, Msg::Restored);
        assert_eq!(o.journal.events.len(), 1);
    }

    #[test]
    fn a_corrupt_save_starts_the_lesson_with_a_notice() {
        let (o, n) = boot("", Some("garbage"), Some("secrets"), Some(1), 1);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].title, Msg::BadSave);
        let l = o.lesson.unwrap();
        assert_eq!((l.scenario.id.as_str(), l.step), ("secrets", 1));
        assert!(o.journal.events.is_empty());
    }

    #[test]
    fn nothing_gives_a_free_playground_and_an_unknown_lesson_says_so() {
        let (o, n) = boot("", None, None, None, 7);
        assert!(o.lesson.is_none() && n.is_empty());
        assert_eq!(o.journal.seed, 7);
        let (o, n) = boot("", None, Some("nope"), None, 1);
        assert!(o.lesson.is_none());
        assert_eq!(n[0].title, Msg::NoLesson);
        let d = n[0].detail.as_deref().unwrap();
        assert!(d.starts_with("\"nope\" (lesson=rolling-update | "), "{d}");
        assert!(d.ends_with(" | init-containers)"), "{d}");
        assert_eq!(save_key(Some("secrets")), "kubeplay.autosave.secrets");
    }
}

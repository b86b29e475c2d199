//! `kubectl explain`'s descriptions: a quarter of a megabyte of text that few sessions read,
//! so the page's wasm leaves it out (see `kubeplay_shell::kubectl::explain`) and the page
//! fetches `explain.txt`, copied beside it by Trunk, when a command line mentions `explain`.
//! Lines wait for it in [`crate::sim::Sim::pump`]; a share link or autosave that runs
//! `kubectl explain` is replayed once it is here, so that it replays to the same terminal.

use kubeplay_lessons::share::{Event, ShareState};
use kubeplay_shell::kubectl::explain;

/// Whether a line (or a file, which a line may run) may run `kubectl explain`.
pub fn mentions(text: &str) -> bool {
    text.contains("explain")
}

/// Whether replaying the link or save `text` may run `kubectl explain` without its
/// descriptions (a text that does not decode replays nothing).
pub fn replay_needs(text: &str) -> bool {
    !explain::docs_loaded() && ShareState::decode(text).is_ok_and(|s| may_explain(&s))
}

/// Whether a journal types or writes `explain` anywhere.
fn may_explain(state: &ShareState) -> bool {
    state.events.iter().any(|e| match e {
        Event::Line { text, .. } => mentions(text),
        Event::Write { content, .. } => mentions(content),
        _ => false,
    })
}

/// What the fetch of the descriptions is doing, for [`crate::sim::Sim`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Fetch {
    #[default]
    Idle,
    /// A line waits for them: the page should fetch them.
    Wanted,
    Running,
    /// The last fetch ended (with the descriptions or with an error the shell now reports):
    /// the waiting line runs.
    Ended,
}

/// Fetch `explain.txt` and give it to the shell (or tell the shell why it could not be had).
pub async fn fetch() {
    match get("explain.txt").await {
        Ok(text) => explain::set_docs(Box::leak(text.into_boxed_str())),
        Err(e) => explain::set_docs_error(&format!("could not fetch explain.txt: {e}")),
    }
}

async fn get(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let said = |e: wasm_bindgen::JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the request failed".to_string())
    };
    let resp = JsFuture::from(gloo::utils::window().fetch_with_str(url))
        .await
        .map_err(said)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(said)?;
    if !resp.ok() {
        return Err(format!("{} {}", resp.status(), resp.status_text()));
    }
    let text = JsFuture::from(resp.text().map_err(said)?)
        .await
        .map_err(said)?;
    text.as_string()
        .ok_or_else(|| "the response was not text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_may_explain_when_a_line_or_file_mentions_it() {
        let mut s = ShareState::new(7);
        s.events.push(Event::Line {
            at: 0,
            text: "kubectl get pods".into(),
        });
        assert!(!may_explain(&s));
        let mut typed = s.clone();
        typed.events.push(Event::Line {
            at: 0,
            text: "kubectl explain pod.spec".into(),
        });
        assert!(may_explain(&typed));
        let mut written = s.clone();
        written.events.push(Event::Write {
            at: 0,
            path: "x.sh".into(),
            content: "kubectl explain deploy\n".into(),
        });
        assert!(may_explain(&written));
        assert!(!replay_needs("not a link"));
    }
}

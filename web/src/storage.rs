//! What the page keeps across reloads, in the browser's localStorage.

use gloo::storage::{LocalStorage, Storage};

const HISTORY_KEY: &str = "kubeplay.history";

/// The terminal's history as the last visit left it (empty if none or unreadable).
pub fn load_history() -> Vec<String> {
    LocalStorage::get::<Vec<String>>(HISTORY_KEY).unwrap_or_default()
}

/// Keep the terminal's history for the next visit. A full or disabled storage is not an error
/// worth telling the learner about: the history simply will not survive.
pub fn save_history(history: &[String]) {
    let _ = LocalStorage::set(HISTORY_KEY, history);
}

//! The browser end of embedding: `window.postMessage` in and out, the fragment, the clipboard
//! and localStorage. What the messages mean is in `kubeplay_lessons::embed`.

use gloo::storage::{LocalStorage, Storage};
use kubeplay_lessons::embed::{EmbedOptions, Request};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

pub fn options() -> EmbedOptions {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    EmbedOptions::from_query(&search)
}

/// The fragment without `#`.
pub fn hash() -> String {
    let h = gloo::utils::window().location().hash().unwrap_or_default();
    h.strip_prefix('#').unwrap_or(&h).to_string()
}

/// Put a link in the address bar without reloading or adding a history entry.
pub fn set_hash(link: &str) {
    let w = gloo::utils::window();
    let loc = w.location();
    let base = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    let url = if link.is_empty() {
        base
    } else {
        format!("{base}#{link}")
    };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

pub fn full_url() -> String {
    gloo::utils::window().location().href().unwrap_or_default()
}

/// Copy text to the clipboard, if the browser lets us (it may not in an iframe).
pub fn copy(text: &str) {
    let nav = gloo::utils::window().navigator();
    let Ok(clip) = js_sys::Reflect::get(&nav, &"clipboard".into()) else {
        return;
    };
    if clip.is_undefined() {
        return;
    }
    if let Ok(f) = js_sys::Reflect::get(&clip, &"writeText".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            // The promise may reject (no permission); nothing to do then.
            let _ = f.call1(&clip, &JsValue::from_str(text));
        }
    }
}

pub fn load(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Store `value` under `key`; when the browser refuses (its storage is full, or off), its
/// reason (`QuotaExceededError: ...`).
pub fn save(key: &str, value: &str) -> Result<(), String> {
    LocalStorage::raw().set_item(key, value).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| format!("{}: {}", String::from(e.name()), String::from(e.message())))
            .unwrap_or_else(|| "the browser refused".to_string())
    })
}

pub fn remove(key: &str) {
    let _ = LocalStorage::raw().remove_item(key);
}

pub fn navigator_language() -> String {
    gloo::utils::window()
        .navigator()
        .language()
        .unwrap_or_default()
}

pub fn confirm(text: &str) -> bool {
    gloo::utils::window()
        .confirm_with_message(text)
        .unwrap_or(false)
}

/// Post a protocol message to the embedding page (nothing when not in an iframe).
pub fn post(opts: &EmbedOptions, msg: &Value) {
    let w = gloo::utils::window();
    let Ok(Some(parent)) = w.parent() else {
        return;
    };
    if js_sys::Object::is(&parent, &w) {
        return;
    }
    let Ok(v) = js_sys::JSON::parse(&msg.to_string()) else {
        return;
    };
    let target = opts.origin.as_deref().unwrap_or("*");
    let _ = parent.post_message(&v, target);
}

/// A message event as a protocol request, if it is one we accept: from the configured origin,
/// or, without one, from our parent window.
pub fn accept(opts: &EmbedOptions, e: &web_sys::MessageEvent) -> Result<Option<Request>, String> {
    let w = gloo::utils::window();
    match &opts.origin {
        Some(o) => {
            if &e.origin() != o {
                return Ok(None);
            }
        }
        None => {
            let from_parent = match (e.source(), w.parent()) {
                (Some(src), Ok(Some(parent))) => {
                    !js_sys::Object::is(&parent, &w) && js_sys::Object::is(&src, &parent)
                }
                _ => false,
            };
            if !from_parent {
                return Ok(None);
            }
        }
    }
    let Ok(text) = js_sys::JSON::stringify(&e.data()) else {
        return Ok(None);
    };
    let Some(text) = text.as_string() else {
        return Ok(None);
    };
    if text.len() > 1024 * 1024 {
        return Err("message too large".into());
    }
    let v: Value = serde_json::from_str(&text).map_err(|_| "unreadable message".to_string())?;
    Request::parse(&v)
}

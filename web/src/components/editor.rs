//! The manifest editor: a textarea with line numbers, where Tab inserts two spaces (Escape
//! then Tab leaves the editor, for the keyboard), and Apply (or Ctrl+Enter) runs
//! `kubectl apply -f FILE` in the terminal.

use crate::sim::{insert_indent, SimRef};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

pub const DEFAULT_FILE: &str = "deployment.yaml";

pub const NGINX_DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
";

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub sim: SimRef,
    #[prop_or(AttrValue::Static(DEFAULT_FILE))]
    pub file: AttrValue,
    #[prop_or(AttrValue::Static(NGINX_DEPLOYMENT))]
    pub initial: AttrValue,
    /// Hidden (its text kept) while `kubectl edit` has the editor pane.
    #[prop_or(false)]
    pub hidden: bool,
}

/// "1\n2\n..." for the gutter.
pub fn line_numbers(text: &str) -> String {
    let n = text.split('\n').count();
    let mut s = String::with_capacity(n * 4);
    for i in 1..=n {
        s.push_str(&i.to_string());
        s.push('\n');
    }
    s
}

/// Tab inserts two spaces at the caret (unless a modifier is held, or Escape came just before,
/// which lets Tab leave the textarea for keyboard users). Returns whether it did.
pub fn tab_indents(e: &KeyboardEvent, was_escaped: bool, text: &UseStateHandle<String>) -> bool {
    if e.key() != "Tab"
        || e.shift_key()
        || e.ctrl_key()
        || e.alt_key()
        || e.meta_key()
        || was_escaped
    {
        return false;
    }
    e.prevent_default();
    let ta: HtmlTextAreaElement = e.target_unchecked_into();
    let v = ta.value();
    let start = ta.selection_start().ok().flatten().unwrap_or(0);
    let end = ta.selection_end().ok().flatten().unwrap_or(start);
    let (nv, caret) = insert_indent(&v, start, end);
    ta.set_value(&nv);
    let _ = ta.set_selection_range(caret, caret);
    text.set(nv);
    true
}

/// The textarea's text into `text` on every input.
pub fn track_input(text: &UseStateHandle<String>) -> Callback<InputEvent> {
    let text = text.clone();
    Callback::from(move |e: InputEvent| {
        let ta: HtmlTextAreaElement = e.target_unchecked_into();
        text.set(ta.value());
    })
}

/// The line-number gutter follows the textarea's scrolling.
pub fn scroll_gutter(gutter: &NodeRef) -> Callback<Event> {
    let gutter = gutter.clone();
    Callback::from(move |e: Event| {
        let ta: HtmlTextAreaElement = e.target_unchecked_into();
        if let Some(g) = gutter.cast::<web_sys::Element>() {
            g.set_scroll_top(ta.scroll_top());
        }
    })
}

#[function_component]
pub fn Editor(p: &EditorProps) -> Html {
    let text = use_state(|| p.initial.to_string());
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    // After Escape the next Tab moves focus on instead of indenting.
    let escaped = use_mut_ref(|| false);

    let apply = {
        let sim = p.sim.clone();
        let file = p.file.clone();
        let textarea = textarea.clone();
        Callback::from(move |_: ()| {
            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                sim.borrow_mut().apply_file(&file, &ta.value());
            }
        })
    };
    let oninput = track_input(&text);
    let onkeydown = {
        let text = text.clone();
        let apply = apply.clone();
        let escaped = escaped.clone();
        Callback::from(move |e: KeyboardEvent| {
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), e.key() == "Escape");
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                apply.emit(());
                return;
            }
            tab_indents(&e, was_escaped, &text);
        })
    };
    let onscroll = scroll_gutter(&gutter);
    let onclick = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply.emit(()))
    };
    html! {
        <section class="pane editor" aria-label="manifest editor" hidden={p.hidden}>
            <div class="pane-head">
                <span class="file-tab" title="a file in the shell's working directory">{ p.file.clone() }</span>
                <span class="spacer"></span>
                <button class="apply" {onclick} title={format!("kubectl apply -f {} (Ctrl+Enter)", p.file)}>{"Apply"}</button>
            </div>
            <div class="editor-body">
                <pre class="gutter" ref={gutter} aria-hidden="true">{ line_numbers(&text) }</pre>
                <textarea ref={textarea} class="code" value={(*text).clone()} {oninput} {onkeydown} {onscroll}
                    spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                    aria-label={format!("{} (Tab indents; Escape then Tab leaves)", p.file)} />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_number_per_line() {
        assert_eq!(super::line_numbers(""), "1\n");
        assert_eq!(super::line_numbers("a\nb"), "1\n2\n");
        assert_eq!(super::line_numbers("a\nb\n"), "1\n2\n3\n");
    }
}

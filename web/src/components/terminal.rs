//! The terminal: scrollback with stderr set apart, a prompt that shows the namespace, an input
//! line with Up/Down history (kept across reloads), Ctrl+C, Ctrl+L, and paste of many lines,
//! which run one at a time.

use crate::sim::{Seg, SegKind, SimRef};
use kubeplay_shell::complete::complete;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub sim: SimRef,
    /// The Sim's `term_version`: re-render when it moves.
    pub version: u64,
}

fn seg_class(k: SegKind) -> &'static str {
    match k {
        SegKind::Prompt => "t-prompt",
        SegKind::Input => "t-input",
        SegKind::Out => "t-out",
        SegKind::Err => "t-err",
        SegKind::Note => "t-note",
    }
}

#[derive(Properties, PartialEq)]
struct SegProps {
    kind: SegKind,
    text: AttrValue,
    sim: SimRef,
}

/// One segment of output. Words that name an object (as it was when they were printed) are
/// links: a click shows the object in the cluster view (see `pick` below).
#[function_component]
fn SegView(p: &SegProps) -> Html {
    let tr = crate::i18n::use_words();
    let runs = {
        let sim = p.sim.clone();
        let kind = p.kind;
        use_memo(p.text.clone(), move |text| {
            if kind != SegKind::Out {
                return vec![(false, text.to_string())];
            }
            let s = sim.borrow();
            crate::inspect::name_runs(text, |w| {
                crate::inspect::object_named(&s.session.world, &s.session.namespace, w).is_some()
            })
        })
    };
    html! {
        <span class={seg_class(p.kind)}>
            { for runs.iter().map(|(name, t)| if *name {
                html! { <span class="obj" title={tr.show_in_cluster}>{ t.clone() }</span> }
            } else {
                html! { t.clone() }
            }) }
        </span>
    }
}

/// Where Up/Down stand in the history: `None` is the line being typed.
#[derive(Default)]
struct Recall {
    pos: Option<usize>,
    draft: String,
    /// Tabs pressed in a row without completing anything.
    tabs: u32,
    /// Escape was the last key: Tab leaves the terminal.
    escaped: bool,
}

fn selection_is_empty() -> bool {
    gloo::utils::window()
        .get_selection()
        .ok()
        .flatten()
        .and_then(|s| s.to_string().as_string())
        .is_none_or(|s| s.is_empty())
}

#[function_component]
pub fn Terminal(p: &TerminalProps) -> Html {
    let tr = crate::i18n::use_words();
    let input = use_state(String::new);
    let input_ref = use_node_ref();
    let scroll_ref = use_node_ref();
    let recall = use_mut_ref(Recall::default);

    // Keep the newest output in view.
    {
        let scroll_ref = scroll_ref.clone();
        use_effect_with(p.version, move |_| {
            if let Some(el) = scroll_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let set_input = {
        let input = input.clone();
        let input_ref = input_ref.clone();
        move |v: String| {
            if let Some(el) = input_ref.cast::<HtmlInputElement>() {
                el.set_value(&v);
                let n = v.encode_utf16().count() as u32;
                let _ = el.set_selection_range(n, n);
            }
            input.set(v);
        }
    };

    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            input.set(el.value());
        })
    };

    let onkeydown = {
        let sim = p.sim.clone();
        let recall = recall.clone();
        let input = input.clone();
        let set_input = set_input.clone();
        Callback::from(move |e: KeyboardEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let key = e.key();
            let ctrl = e.ctrl_key() && !e.alt_key() && !e.meta_key();
            if key != "Tab" {
                recall.borrow_mut().tabs = 0;
            }
            // Escape is remembered for the Tab that follows it (which leaves the terminal).
            if key != "Escape" && key != "Tab" {
                recall.borrow_mut().escaped = false;
            }
            match key.as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = el.value();
                    {
                        let mut s = sim.borrow_mut();
                        s.remember(&line);
                        crate::storage::save_history(&s.history);
                        s.submit(&line);
                    }
                    *recall.borrow_mut() = Recall::default();
                    set_input(String::new());
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let s = sim.borrow();
                    let mut r = recall.borrow_mut();
                    let n = s.history.len();
                    let next = match (key.as_str(), r.pos) {
                        ("ArrowUp", None) if n > 0 => {
                            r.draft = el.value();
                            Some(Some(n - 1))
                        }
                        ("ArrowUp", Some(i)) if i > 0 => Some(Some(i - 1)),
                        ("ArrowDown", Some(i)) if i + 1 < n => Some(Some(i + 1)),
                        ("ArrowDown", Some(_)) => Some(None),
                        _ => None,
                    };
                    if let Some(pos) = next {
                        r.pos = pos;
                        let v = match pos {
                            Some(i) => s.history[i].clone(),
                            None => r.draft.clone(),
                        };
                        drop(r);
                        drop(s);
                        set_input(v);
                    }
                }
                "Tab" if !e.shift_key() && !ctrl && !e.alt_key() && !e.meta_key() => {
                    if std::mem::take(&mut recall.borrow_mut().escaped) {
                        return; // Escape, then Tab: leave the terminal.
                    }
                    e.prevent_default();
                    let v = el.value();
                    let cur = el.selection_start().ok().flatten().unwrap_or(0);
                    let at = crate::sim::utf16_to_byte(&v, cur);
                    let (before, after) = v.split_at(at);
                    let c = complete(&sim.borrow().session, before);
                    let done = c.apply(before);
                    if done != before {
                        recall.borrow_mut().tabs = 0;
                        let caret = done.encode_utf16().count() as u32;
                        let nv = format!("{done}{after}");
                        el.set_value(&nv);
                        let _ = el.set_selection_range(caret, caret);
                        input.set(nv);
                    } else if c.candidates.len() > 1 {
                        // A second Tab lists the candidates.
                        let tabs = {
                            let mut r = recall.borrow_mut();
                            r.tabs += 1;
                            r.tabs
                        };
                        if tabs >= 2 {
                            sim.borrow_mut().show_candidates(&v, &c.candidates);
                            recall.borrow_mut().tabs = 0;
                        }
                    }
                    return;
                }
                "Escape" => {
                    recall.borrow_mut().escaped = true;
                    return;
                }
                "c" | "C" if ctrl => {
                    // With text selected, Ctrl+C copies; otherwise it interrupts.
                    let (from, to) = (
                        el.selection_start().ok().flatten(),
                        el.selection_end().ok().flatten(),
                    );
                    if from != to || !selection_is_empty() {
                        return;
                    }
                    e.prevent_default();
                    sim.borrow_mut().cancel_line(&el.value());
                    *recall.borrow_mut() = Recall::default();
                    set_input(String::new());
                }
                "l" | "L" if ctrl => {
                    e.prevent_default();
                    sim.borrow_mut().clear_screen();
                }
                _ => {}
            }
        })
    };

    let onpaste = {
        let sim = p.sim.clone();
        let set_input = set_input.clone();
        Callback::from(move |e: Event| {
            let e: web_sys::ClipboardEvent = e.unchecked_into();
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if !text.contains('\n') {
                return;
            }
            e.prevent_default();
            let el: HtmlInputElement = e.target_unchecked_into();
            let v = el.value();
            let start = el.selection_start().ok().flatten().unwrap_or(0);
            let end = el.selection_end().ok().flatten().unwrap_or(start);
            let a = crate::sim::utf16_to_byte(&v, start);
            let b = crate::sim::utf16_to_byte(&v, end);
            let whole = format!("{}{}{}", &v[..a], text.replace("\r\n", "\n"), &v[b..]);
            // Every complete line runs; what follows the last newline stays at the prompt.
            let (done, rest) = match whole.rfind('\n') {
                Some(i) => (&whole[..i], &whole[i + 1..]),
                None => ("", whole.as_str()),
            };
            {
                let mut s = sim.borrow_mut();
                for line in done.split('\n') {
                    s.remember(line);
                }
                crate::storage::save_history(&s.history);
                s.submit_lines(done);
            }
            set_input(rest.to_string());
        })
    };

    let focus = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if selection_is_empty() {
                if let Some(el) = input_ref.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        })
    };

    // A click on a pod's name in the output opens its detail.
    let pick = {
        let sim = p.sim.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(sel) = gloo::utils::window().get_selection().ok().flatten() else {
                return;
            };
            if !sel.is_collapsed() {
                return;
            }
            let Some(text) = sel.anchor_node().and_then(|n| n.text_content()) else {
                return;
            };
            let at = crate::sim::utf16_to_byte(&text, sel.anchor_offset());
            let word = crate::inspect::word_at(&text, at);
            let named = {
                let s = sim.borrow();
                crate::inspect::object_named(&s.session.world, &s.session.namespace, word)
            };
            match named {
                Some(crate::inspect::Named::Pod(name)) => sim.borrow_mut().select(Some(name)),
                Some(crate::inspect::Named::Other(selector)) => {
                    // Show it in the cluster view, briefly marked.
                    if let Ok(Some(el)) = gloo::utils::document().query_selector(&selector) {
                        el.scroll_into_view();
                        let _ = el.class_list().remove_1("picked");
                        let _ = el.client_width(); // restart the mark's animation
                        let _ = el.class_list().add_1("picked");
                    }
                }
                None => {}
            }
        })
    };

    let s = p.sim.borrow();
    let busy = s.busy();
    let prompt = s.prompt();
    let segs = s.scrollback.segs.iter().map(|Seg { id, kind, text }| {
        html! { <SegView key={*id} kind={*kind} text={AttrValue::from(text.clone())} sim={p.sim.clone()} /> }
    });
    html! {
        <section class="pane terminal" aria-label={tr.terminal} onclick={focus}>
            <div class="pane-head"><span class="title">{tr.terminal}</span>
                <span class="spacer"></span>
                <span class="hint">{ for tr.terminal_keys.split(" · ").enumerate().map(|(i, k)| html! {
                    <>{ if i > 0 { " · " } else { "" } }<span class="key">{k}</span></>
                }) }</span>
            </div>
            <div class="term-scroll" ref={scroll_ref}>
                <pre class="term-out" aria-live="polite" onclick={pick}>{ for segs }</pre>
                <div class={classes!("term-line", busy.then_some("busy"))}>
                    if !busy { <span class="t-prompt">{ prompt }</span> }
                    <input ref={input_ref} class="term-input" type="text" value={(*input).clone()}
                        {oninput} {onkeydown} onpaste={onpaste}
                        spellcheck="false" autocomplete="off" autocapitalize="off"
                        aria-label={tr.command_line_label} />
                </div>
            </div>
        </section>
    }
}

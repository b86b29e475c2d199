//! The editor pane of `kubectl edit`: the object as YAML under kubectl's header, with Save
//! (Ctrl+S) and Cancel. It takes the manifest editor's place while the edit is open; the
//! terminal waits, as kubectl waits for its editor to close. A failed save comes back here
//! with the reasons at the top of the file, as kubectl reopens its editor.

use super::code::CodeArea;
use crate::sim::SimRef;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditPaneProps {
    pub sim: SimRef,
    /// `deployment.apps/web`: what is being edited.
    pub title: AttrValue,
    /// The file as kubectl would open it.
    pub text: AttrValue,
}

fn focus_terminal() {
    if let Ok(Some(el)) = gloo::utils::document().query_selector(".term-input") {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

#[function_component]
pub fn EditPane(p: &EditPaneProps) -> Html {
    let tr = crate::i18n::use_words();
    let text = use_state(|| p.text.to_string());
    let textarea = use_node_ref();
    // A new file (another object, or the same one reopened after an error): show it, focused.
    {
        let text = text.clone();
        let textarea = textarea.clone();
        use_effect_with(p.text.clone(), move |t| {
            text.set(t.to_string());
            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                ta.set_value(t);
                let _ = ta.focus();
                let _ = ta.set_selection_range(0, 0);
                ta.set_scroll_top(0);
            }
        });
    }
    let save = {
        let sim = p.sim.clone();
        let textarea = textarea.clone();
        Callback::from(move |_: ()| {
            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                let reopened = {
                    let mut s = sim.borrow_mut();
                    s.save_edit(&ta.value());
                    s.open_edit().is_some()
                };
                if !reopened {
                    focus_terminal();
                }
            }
        })
    };
    let cancel = {
        let sim = p.sim.clone();
        Callback::from(move |_: MouseEvent| {
            let reopened = {
                let mut s = sim.borrow_mut();
                s.cancel_edit();
                s.open_edit().is_some()
            };
            if !reopened {
                focus_terminal();
            }
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |t: String| text.set(t))
    };
    let onkeydown = {
        let save = save.clone();
        Callback::from(move |e: KeyboardEvent| {
            let mod_key = e.ctrl_key() || e.meta_key();
            if mod_key && (e.key() == "s" || e.key() == "S" || e.key() == "Enter") {
                e.prevent_default();
                save.emit(());
            }
        })
    };
    let onsave = {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save.emit(()))
    };
    html! {
        <section class="pane editor edit-pane" aria-label={format!("kubectl edit {}", p.title)}>
            <div class="pane-head">
                <span class="file-tab" title="kubectl edit">{ format!("kubectl edit {}", p.title) }</span>
                <span class="spacer"></span>
                <button class="cancel-edit" onclick={cancel} title={tr.cancel_title}>{tr.cancel}</button>
                <button class="apply save-edit" onclick={onsave} title={tr.save_title}>{tr.save}</button>
            </div>
            <CodeArea text={AttrValue::from((*text).clone())} {oninput} {onkeydown} textarea={textarea.clone()}
                label={AttrValue::from(format!("kubectl edit {} ({})", p.title, tr.edit_keys))} />
        </section>
    }
}

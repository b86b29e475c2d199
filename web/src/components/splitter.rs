//! A handle between two panes: drag it, or focus it and press Left/Right, to resize them.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    /// What the handle resizes, for screen readers.
    pub label: AttrValue,
    /// The pane's width now, in percent of the row.
    pub value: f64,
    /// Drag: the pointer's x in the page; the parent turns it into a width.
    pub on_drag: Callback<f64>,
    /// Keys: a change of width in percent.
    pub on_step: Callback<f64>,
}

#[function_component]
pub fn Splitter(p: &SplitterProps) -> Html {
    let dragging = use_mut_ref(|| false);
    let onpointerdown = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            let el: web_sys::Element = e.target_unchecked_into();
            let _ = el.set_pointer_capture(e.pointer_id());
            *dragging.borrow_mut() = true;
            e.prevent_default();
        })
    };
    let onpointermove = {
        let dragging = dragging.clone();
        let on_drag = p.on_drag.clone();
        Callback::from(move |e: PointerEvent| {
            if *dragging.borrow() {
                on_drag.emit(e.client_x() as f64);
            }
        })
    };
    let onpointerup = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let onkeydown = {
        let on_step = p.on_step.clone();
        Callback::from(move |e: KeyboardEvent| {
            let d = match e.key().as_str() {
                "ArrowLeft" => -2.0,
                "ArrowRight" => 2.0,
                _ => return,
            };
            e.prevent_default();
            on_step.emit(d);
        })
    };
    html! {
        <div class="splitter" role="separator" aria-orientation="vertical" tabindex="0"
            aria-label={p.label.clone()} aria-valuenow={format!("{:.0}", p.value)} aria-valuemin="10" aria-valuemax="80"
            {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup} {onkeydown}>
        </div>
    }
}

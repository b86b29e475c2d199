//! Pods as compact cells, past `COMPACT_PODS` of them: one small square per pod, coloured by
//! the STATUS kubectl would print, in name order.
//!
//! A rollout of 1,000 replicas changes a few dozen pods a frame; rebuilding and diffing a
//! thousand virtual nodes each frame to find them cost more than the frame has. So this
//! component keeps the cells out of Yew's virtual DOM: after each render it walks the new list
//! and the one it drew last side by side (both by name; a pod whose view did not change is the
//! same `Rc`, so comparing is a pointer check) and touches only the elements of pods that came,
//! went or changed. The work per frame grows with what changed, not with the number of pods.

use crate::model::PodView;
use std::rc::Rc;
use web_sys::{Document, Element};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CellsProps {
    /// The pods by name (a ReplicaSet's list from `PodCache`, or the pods no ReplicaSet owns).
    pub pods: Rc<[Rc<PodView>]>,
}

/// What the cells' container holds: each pod drawn, with its element.
#[derive(Default)]
struct Drawn(Vec<(Rc<PodView>, Element)>);

fn set_attrs(el: &Element, p: &PodView, old: Option<&PodView>) {
    if old.is_none_or(|o| o.class != p.class) {
        let _ = el.set_attribute("class", p.cell_class());
    }
    if old.is_none_or(|o| o.title != p.title) {
        let _ = el.set_attribute("title", &p.title);
    }
    if old.is_none_or(|o| o.status != p.status) {
        let _ = el.set_attribute("data-status", &p.status);
    }
    if old.is_none_or(|o| o.name != p.name) {
        let _ = el.set_attribute("data-name", &p.name);
    }
}

fn cell(doc: &Document, p: &PodView) -> Option<Element> {
    let el = doc.create_element("span").ok()?;
    set_attrs(&el, p, None);
    Some(el)
}

/// Bring `parent`'s cells from `drawn` to `pods`, both in name order, touching only what
/// differs. Returns what is drawn now.
fn sync(doc: &Document, parent: &Element, drawn: Drawn, pods: &[Rc<PodView>]) -> Drawn {
    let mut out = Vec::with_capacity(pods.len());
    let mut old = drawn.0.into_iter().peekable();
    for p in pods {
        // Pods drawn before `p` in name order and not in the new list are gone.
        while let Some((o, el)) = old.next_if(|(o, _)| o.name < p.name) {
            let _ = o;
            el.remove();
        }
        match old.next_if(|(o, _)| o.name == p.name && o.uid == p.uid) {
            Some((o, el)) => {
                if !Rc::ptr_eq(&o, p) {
                    set_attrs(&el, p, Some(&o));
                }
                out.push((p.clone(), el));
            }
            None => {
                // A pod of that name but another uid was recreated: drop the old cell.
                if let Some((_, el)) = old.next_if(|(o, _)| o.name == p.name) {
                    el.remove();
                }
                let Some(el) = cell(doc, p) else { continue };
                let before = old.peek().map(|(_, e)| e.clone());
                let _ = parent.insert_before(&el, before.as_ref().map(|e| e.as_ref()));
                out.push((p.clone(), el));
            }
        }
    }
    for (_, el) in old {
        el.remove();
    }
    Drawn(out)
}

#[function_component]
pub fn Cells(p: &CellsProps) -> Html {
    let node = use_node_ref();
    let drawn = use_mut_ref(Drawn::default);
    {
        let node = node.clone();
        use_effect_with(p.pods.clone(), move |pods| {
            let parent = node.cast::<Element>();
            if let Some(parent) = parent {
                let doc = gloo::utils::document();
                let before = std::mem::take(&mut *drawn.borrow_mut());
                *drawn.borrow_mut() = sync(&doc, &parent, before, pods);
            }
        });
    }
    html! { <div class="pods compact" ref={node}></div> }
}

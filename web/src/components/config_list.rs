//! ConfigMaps and Secrets in the cluster view, each with its keys and the pods that use it
//! (through env, envFrom or a volume), and the references that point at a key or an object
//! that is missing. A pod's name opens its detail.

use crate::i18n::Words;
use crate::inspect::{ConfigView, Use};
use yew::prelude::*;

fn use_line(u: &Use, tr: &Words) -> Html {
    let more = u.total.saturating_sub(u.pods.len());
    html! {
        <li class={classes!("use", u.problem.is_some().then_some("bad"))}>
            <span class="how">{ u.how.clone() }</span>
            if let Some(by) = &u.by { <span class="by">{ format!(" — {by}") }</span> }
            <span class="pod-links">
                { for u.pods.iter().map(|p| html! {
                    <button class="pod-link" data-name={p.clone()} title={tr.show_pod}>{ p.clone() }</button>
                }) }
                if more > 0 { <span class="more">{ format!("+{more}") }</span> }
            </span>
            if let Some(p) = &u.problem { <div class="why" role="note">{ p.clone() }</div> }
        </li>
    }
}

fn card(v: &ConfigView, tr: &Words) -> Html {
    let kind_class = if v.kind == "Secret" {
        "secret"
    } else {
        "configmap"
    };
    html! {
        <div class={classes!("cfg", kind_class, (!v.exists).then_some("missing"))} data-config={format!("{}/{}", v.kind, v.name)}>
            <div class="cfg-head">
                <span class="kind">{ v.kind }</span>
                <b class="cfg-name">{ v.name.clone() }</b>
                if let Some(t) = &v.type_ { <span class="type">{ t.clone() }</span> }
                if !v.exists { <span class="missing-badge">{tr.missing}</span> }
            </div>
            if !v.keys.is_empty() {
                <div class="keys">{ for v.keys.iter().map(|k| html! { <code class="key">{ k.clone() }</code> }) }</div>
            } else if v.exists {
                <div class="keys empty">{tr.no_keys}</div>
            }
            if v.uses.is_empty() {
                <div class="unused">{tr.unused}</div>
            } else {
                <ul class="uses">{ for v.uses.iter().map(|u| use_line(u, tr)) }</ul>
            }
        </div>
    }
}

/// The section, or nothing when the namespace has no ConfigMaps or Secrets and no pod names one.
pub fn config_list(views: &[ConfigView], tr: &Words) -> Html {
    if views.is_empty() {
        return html! {};
    }
    html! {
        <details class="configs" open=true>
            <summary>{ (tr.configs)(views.len()) }</summary>
            <div class="cfg-list">{ for views.iter().map(|v| card(v, tr)) }</div>
        </details>
    }
}

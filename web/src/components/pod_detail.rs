//! The pod detail drawer: opened by clicking a pod card (or a pod's name in the terminal), it
//! shows the pod's containers in order with their state, each one's effective command line
//! with where each word came from, every environment variable with its source, the mounted
//! files, and the pod's recent events and logs. Escape or the close button shuts it.

use crate::i18n::{use_words, Words};
use crate::inspect::{self, CtrDetail, EnvRow, MountView, PodDetail};
use crate::sim::SimRef;
use kubeplay_shell::print::age::human_duration;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PodDetailProps {
    pub sim: SimRef,
    /// The Sim's `cluster_version`.
    pub version: u64,
    /// Virtual time in whole seconds (logs and ages move with it).
    pub second: u64,
}

fn state_line(c: &CtrDetail, tr: &Words) -> Html {
    let class = match c.state.as_str() {
        "Running" if c.ready => "running",
        "Running" => "notready",
        "Terminated" if c.exit_code == Some(0) => "done",
        "Terminated" => "failed",
        "Waiting" => match c.reason.as_deref() {
            Some("ContainerCreating") | Some("PodInitializing") | None | Some("") => "pending",
            _ => "failed",
        },
        _ => "pending",
    };
    let state = if c.state.is_empty() {
        tr.not_started.to_string()
    } else {
        c.state.clone()
    };
    html! {
        <div class={classes!("ctr-state", class)}>
            <b class="state">{ state }</b>
            if let Some(r) = c.reason.as_ref().filter(|r| !r.is_empty()) { <span class="reason">{ r.clone() }</span> }
            if let Some(x) = c.exit_code { <span class="exit">{ (tr.exit)(x) }</span> }
            <span class="restarts" title="restartCount">{ (tr.restarts)(c.restarts) }</span>
            <span class="ready" title="ready">{ if c.ready { tr.ready } else { tr.not_ready } }</span>
            if let Some(l) = &c.last { <span class="last" title="lastState.terminated">{ (tr.last)(l) }</span> }
            if let Some(m) = c.message.as_ref().filter(|m| !m.is_empty() && Some(*m) != c.env_error.as_ref()) { <div class="message">{ m.clone() }</div> }
            if let Some(known) = &c.known_images { <div class="not-here">{ (tr.not_in_kubeplay)(&c.image, known) }</div> }
        </div>
    }
}

fn command_line(c: &CtrDetail, tr: &Words) -> Html {
    if c.argv.is_empty() {
        return html! {
            <div class="argv empty-argv">
                { if c.known_images.is_some() { tr.image_unknown } else { tr.no_command } }
            </div>
        };
    }
    html! {
        <div class="argv-block">
            <div class="argv" aria-label={tr.effective_command}>
                { for c.argv.iter().map(|w| html! {
                    <span class={classes!("word", w.origin.class())} title={w.origin.label(tr)}>
                        <code>{ w.value.clone() }</code>
                        <small class="origin">{ w.origin.label(tr) }</small>
                        if w.raw != w.value { <small class="raw" title={tr.as_written}>{ w.raw.clone() }</small> }
                    </span>
                }) }
            </div>
            <div class="rule">{ (tr.rule)(c.rule) }</div>
            if let Some(p) = &c.execed {
                <div class="execed">{ tr.execed.0 }<code>{ p.clone() }</code>{ tr.execed.1 }</div>
            }
        </div>
    }
}

fn env_row(r: &EnvRow) -> Html {
    html! {
        <tr class={classes!("env", format!("k-{}", r.class))}>
            <td class="name">{ r.name.clone() }</td>
            <td class="value"><code>{ r.value.clone() }</code>
                if let Some(n) = &r.note { <div class="note">{ n.clone() }</div> }
            </td>
            <td class="source"><span class={classes!("src", format!("k-{}", r.class))}>{ r.source.clone() }</span></td>
        </tr>
    }
}

fn env_table(c: &CtrDetail, tr: &Words) -> Html {
    let (svc, own): (Vec<&EnvRow>, Vec<&EnvRow>) = c.env.iter().partition(|r| r.class == "service");
    html! {
        <div class="env-block">
            if let Some(e) = &c.env_error {
                <div class="problem" role="alert">
                    <b>{"CreateContainerConfigError: "}</b>{ e.clone() }
                </div>
            }
            if !c.decls.is_empty() && (c.env_error.is_some() || c.decls.iter().any(|d| d.problem.is_some())) {
                <ul class="decls" aria-label={tr.declared}>
                    { for c.decls.iter().map(|d| html! {
                        <li class={classes!(d.problem.is_some().then_some("bad"))}>
                            <code>{ d.what.clone() }</code>
                            if let Some(p) = &d.problem { <span class="why">{ format!(" — {p}") }</span> }
                        </li>
                    }) }
                </ul>
            }
            if c.env_error.is_none() {
                <table class="env-table">
                    <thead><tr>{ for tr.env_columns.iter().map(|c| html! { <th>{ *c }</th> }) }</tr></thead>
                    <tbody>{ for own.iter().map(|r| env_row(r)) }</tbody>
                </table>
                if !svc.is_empty() {
                    <details class="svc-env">
                        <summary>{ (tr.service_links)(svc.len()) }</summary>
                        <table class="env-table"><tbody>{ for svc.iter().map(|r| env_row(r)) }</tbody></table>
                    </details>
                }
            }
        </div>
    }
}

fn mounts(c: &CtrDetail, tr: &Words) -> Html {
    if c.mounts.is_empty() && c.mount_error.is_none() {
        return html! {};
    }
    let mount = |m: &MountView| {
        html! {
            <li class="mount" data-volume={m.volume.clone()}>
                <div><code class="path">{ m.path.clone() }</code>{" ← "}<span class="vol">{ (tr.volume)(&m.volume) }</span>{": "}{ m.source.clone() }
                    if let Some(sp) = &m.sub_path { <span class="subpath">{ format!(" (subPath {sp})") }</span> }
                    if m.read_only { <span class="ro">{tr.read_only}</span> }
                </div>
                if !m.files.is_empty() {
                    <ul class="files">
                        { for m.files.iter().map(|(p, n, preview)| html! {
                            <li><code>{ p.clone() }</code><span class="size">{ format!(" {n} B ") }</span><span class="preview">{ preview.clone() }</span></li>
                        }) }
                    </ul>
                }
            </li>
        }
    };
    html! {
        <section class="sub">
            <h4>{tr.mounted_files}</h4>
            if let Some(e) = &c.mount_error { <div class="problem" role="alert">{ e.clone() }</div> }
            <ul class="mounts">{ for c.mounts.iter().map(mount) }</ul>
        </section>
    }
}

fn container(c: &CtrDetail, i: usize, tr: &Words) -> Html {
    html! {
        <article class={classes!("ctr", format!("r-{}", c.role))} data-container={c.name.clone()} data-role={c.role}>
            <header class="ctr-head">
                <span class="order">{ format!("{}", i + 1) }</span>
                <span class="role">{ match c.role { "init" => tr.init_container, "sidecar" => tr.sidecar, _ => tr.container } }</span>
                <b class="ctr-name">{ c.name.clone() }</b>
                <code class="image">{ c.image.clone() }</code>
            </header>
            { state_line(c, tr) }
            <section class="sub">
                <h4>{tr.command_line}</h4>
                { command_line(c, tr) }
            </section>
            <section class="sub">
                <h4>{tr.environment}</h4>
                { env_table(c, tr) }
            </section>
            { mounts(c, tr) }
            if !c.logs.is_empty() {
                <section class="sub">
                    <h4>{ (tr.logs)(&c.name) }</h4>
                    <pre class="logs">{ c.logs.clone() }</pre>
                </section>
            }
        </article>
    }
}

fn body(d: &PodDetail, tr: &Words) -> Html {
    html! {
        <>
            <div class="pod-facts">
                <span class={classes!("facts-status", crate::model::status_class(&d.status, &d.ready))}>{ d.status.clone() }</span>
                <span title="READY">{ d.ready.clone() }</span>
                if !d.node.is_empty() { <span>{ (tr.node)(&d.node) }</span> }
                if !d.ip.is_empty() { <span>{ format!("IP {}", d.ip) }</span> }
                if let Some(o) = &d.owner { <span>{ (tr.owned_by)(o) }</span> }
            </div>
            { for d.containers.iter().enumerate().map(|(i, c)| container(c, i, tr)) }
            <section class="sub">
                <h4>{tr.events_heading}</h4>
                if d.events.is_empty() {
                    <p class="empty">{tr.no_events}</p>
                } else {
                    <table class="pod-events">
                        <tbody>
                            { for d.events.iter().map(|e| html! {
                                <tr class={classes!(e.warning.then_some("warning"))}>
                                    <td>{ human_duration(e.age_ms as i64) }</td>
                                    <td>{ if e.warning { "Warning" } else { "Normal" } }</td>
                                    <td>{ e.reason.clone() }</td>
                                    <td>{ if e.count > 1 { format!("{} (x{})", e.message, e.count) } else { e.message.clone() } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
            </section>
        </>
    }
}

/// The pod named by the nearest `data-name` at or above the event's target.
fn picked(e: &Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let el: web_sys::Element = e.target()?.dyn_into().ok()?;
    el.closest("[data-name]").ok()??.get_attribute("data-name")
}

/// Click and Enter/Space handlers for a container of pod cards (or pod links): one pair for
/// the whole cluster view, however many pods it draws.
pub fn open_on_pick(sim: &SimRef) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let click = {
        let sim = sim.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(name) = picked(&e) {
                sim.borrow_mut().select(Some(name));
            }
        })
    };
    let key = {
        let sim = sim.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            if let Some(name) = picked(&e) {
                e.prevent_default();
                sim.borrow_mut().select(Some(name));
            }
        })
    };
    (click, key)
}

#[function_component]
pub fn PodDetailDrawer(p: &PodDetailProps) -> Html {
    let panel = use_node_ref();
    let tr = use_words();
    let selected = p.sim.borrow().selected.clone();
    // Move the focus into the drawer when it opens on another pod.
    {
        let panel = panel.clone();
        use_effect_with(selected.clone(), move |sel| {
            if sel.is_some() {
                if let Some(el) = panel.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let Some(name) = selected else {
        return html! {};
    };
    let close = {
        let sim = p.sim.clone();
        let name = name.clone();
        Callback::from(move |_: ()| {
            sim.borrow_mut().select(None);
            // Back to the pod's card, for the keyboard.
            let card = format!(".cluster .pod[data-name=\"{name}\"]");
            if let Ok(Some(el)) = gloo::utils::document().query_selector(&card) {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                    let _ = el.focus();
                }
            }
        })
    };
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close.emit(());
            }
        })
    };
    let onclick = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    let detail = {
        let s = p.sim.borrow();
        inspect::pod_detail(&s.session.world, &s.session.namespace, &name, tr)
    };
    html! {
        <aside class="drawer pod-detail" ref={panel} tabindex="-1" role="dialog"
            aria-label={(tr.pod_label)(&name)} {onkeydown}>
            <div class="drawer-head">
                <span class="kind">{tr.pod}</span>
                <b class="drawer-title">{ name.clone() }</b>
                <span class="spacer"></span>
                <button class="close" {onclick} title={tr.close} aria-label={tr.close_pod}>{"✕"}</button>
            </div>
            <div class="drawer-body">
                { match &detail {
                    Some(d) => body(d, tr),
                    None => html! { <p class="empty">{ (tr.pod_gone)(&name) }</p> },
                } }
            </div>
        </aside>
    }
}

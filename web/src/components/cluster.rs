//! The cluster view: each Deployment with its ReplicaSets as revisions, and their pods as cards
//! coloured by the STATUS kubectl would print. Past [`COMPACT_PODS`] pods, pods become small
//! cells so a 1,000-replica rollout stays smooth.

use super::cells::Cells;
use super::chart::ReplicaChart;
use super::events::EventsFeed;
use super::timeline::revision_timeline;
use crate::i18n::{use_words, Words};
use crate::model::{self, ClusterModel, DeployView, PodCache, PodView, RsView};
use crate::sim::SimRef;
use std::rc::Rc;
use yew::prelude::*;

/// More pods than this in the namespace and each pod is drawn as a small cell.
pub const COMPACT_PODS: usize = 100;

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub sim: SimRef,
    /// The Sim's `cluster_version`: re-render when it moves.
    pub version: u64,
}

/// A pod as a card (past [`COMPACT_PODS`] pods, `Cells` draws them). Keyed by uid, so a pod
/// created or deleted elsewhere in the list leaves the other cards' elements alone.
fn pod_card(p: &PodView) -> Html {
    let title = AttrValue::Rc(p.title.clone());
    html! {
        <div key={p.uid.as_str()} class={classes!("pod", p.class)} title={title} data-status={p.status.clone()} data-name={p.name.clone()} tabindex="0" role="button">
            <span class="pod-name">{ p.name.clone() }</span>
            <span class="pod-status">{ p.status.clone() }<span class="pod-ready">{ p.ready.clone() }</span></span>
        </div>
    }
}

fn counts_by_class(pods: &[Rc<PodView>]) -> Html {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for p in pods {
        match counts.iter_mut().find(|(c, _)| *c == p.class) {
            Some((_, n)) => *n += 1,
            None => counts.push((p.class, 1)),
        }
    }
    kubeplay_sort::sort(&mut counts);
    html! {
        <span class="class-counts">
            { for counts.into_iter().map(|(c, n)| html! { <span class={classes!("count", c)}>{ format!("{n} {c}") }</span> }) }
        </span>
    }
}

#[derive(Properties, PartialEq)]
struct RsProps {
    rs: RsView,
    newest: bool,
    compact: bool,
}

/// A ReplicaSet and its pods: re-rendered only when it changed (its pods compare by pointer
/// when none of them changed, see `PodCache`).
#[function_component]
fn RsBlock(p: &RsProps) -> Html {
    let tr = use_words();
    let rs = &p.rs;
    let (newest, compact) = (p.newest, p.compact);
    let empty = rs.desired == 0 && rs.current == 0;
    html! {
        <div class={classes!("rs", newest.then_some("rs-new"), empty.then_some("rs-empty"))} data-rs={rs.name.clone()}>
            <div class="rs-head">
                if rs.revision > 0 { <span class="rev" title="deployment.kubernetes.io/revision">{ (tr.rev)(rs.revision) }</span> }
                <span class="rs-name" title="ReplicaSet">{ rs.name.clone() }</span>
                if !rs.hash.is_empty() { <code class="hash" title="pod-template-hash">{ rs.hash.clone() }</code> }
                <span class="image" title={tr.image}>{ rs.images.clone() }</span>
                <span class="rs-counts" title={tr.rs_counts_title}>
                    { (tr.rs_counts)(rs.desired, rs.current, rs.ready) }
                </span>
                if compact { { counts_by_class(&rs.pods) } }
            </div>
            if let Some(c) = &rs.change_cause { <div class="cause" title="kubernetes.io/change-cause">{ c.clone() }</div> }
            if !rs.pods.is_empty() {
                if compact {
                    <Cells pods={rs.pods.clone()} />
                } else {
                    <div class="pods">
                        { for rs.pods.iter().map(|p| pod_card(p)) }
                    </div>
                }
            }
        </div>
    }
}

fn deploy_block(d: &DeployView, compact: bool, chart: Html, tr: &Words) -> Html {
    let b = &d.budget;
    let rolling = b.strategy == "RollingUpdate";
    html! {
        <div class="deploy" data-deployment={d.name.clone()}>
            <div class="deploy-head">
                <span class="kind">{tr.deployment}</span>
                <b class="deploy-name">{ d.name.clone() }</b>
                <span class="deploy-counts">
                    { (tr.deploy_counts)(d.ready, d.desired, d.updated, d.available) }
                </span>
            </div>
            <div class="budget">
                <span class="strategy">{ b.strategy.clone() }</span>
                if rolling {
                    <span title={tr.max_surge_title}>{ format!("maxSurge {}", b.max_surge) }</span>
                    <span title={tr.max_unavailable_title}>{ format!("maxUnavailable {}", b.max_unavailable) }</span>
                    <span title={tr.max_total_title}>{ (tr.max_total)(b.max_total) }</span>
                    <span title={tr.min_available_title}>{ (tr.min_available)(b.min_available) }</span>
                }
            </div>
            if let Some(w) = &b.waiting { <div class="waiting" role="status">{ (tr.waiting)(w) }</div> }
            { chart }
            { revision_timeline(d, tr) }
            { for d.replicasets.iter().enumerate().map(|(i, rs)| html! {
                <RsBlock key={rs.uid.as_str()} rs={rs.clone()} newest={i == 0} {compact} />
            }) }
        </div>
    }
}

#[function_component]
pub fn ClusterView(p: &ClusterProps) -> Html {
    let cache = use_mut_ref(PodCache::default);
    let tr = use_words();
    let s = p.sim.borrow();
    let start = crate::app::perf_now();
    let m: ClusterModel = model::cluster(
        &s.session.world,
        &s.session.namespace,
        &mut cache.borrow_mut(),
    );
    crate::app::measure_since("kubeplay:model", start);
    let compact = m.pod_count > COMPACT_PODS;
    let bare: Vec<String> = m.pods.iter().map(|p| p.name.clone()).collect();
    let configs = crate::inspect::config_views(&s.session.world, &m.namespace, &bare, tr);
    let (onclick, onkeydown) = super::pod_detail::open_on_pick(&p.sim);
    let nothing = m.deployments.is_empty() && m.replicasets.is_empty() && m.pods.is_empty();
    html! {
        <section class="pane cluster" aria-label={tr.cluster_view}>
            <div class="pane-head"><span class="title">{tr.cluster}</span>
                <span class="spacer"></span>
                <span class="hint">{ (tr.ns_pods)(&m.namespace, m.pod_count) }</span>
            </div>
            <div class="cluster-body" {onclick} {onkeydown}>
                if nothing {
                    <p class="empty">{tr.no_workloads}</p>
                }
                { for m.deployments.iter().map(|d| {
                    let key = format!("{}/{}", m.namespace, d.name);
                    let chart = html! {
                        <ReplicaChart sim={p.sim.clone()} deployment={key} version={p.version} />
                    };
                    deploy_block(d, compact, chart, tr)
                }) }
                { for m.replicasets.iter().map(|rs| html! {
                    <RsBlock key={rs.uid.as_str()} rs={rs.clone()} newest={false} {compact} />
                }) }
                if !m.pods.is_empty() {
                    <div class="rs bare">
                        <div class="rs-head"><span class="rs-name">{tr.pods}</span></div>
                        if compact {
                            <Cells pods={Rc::<[Rc<PodView>]>::from(m.pods.as_slice())} />
                        } else {
                            <div class="pods">
                                { for m.pods.iter().map(|p| pod_card(p)) }
                            </div>
                        }
                    </div>
                }
                { super::config_list::config_list(&configs, tr) }
                <EventsFeed sim={p.sim.clone()} ns={m.namespace.clone()} version={p.version} />
            </div>
        </section>
    }
}

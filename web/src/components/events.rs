//! The events feed: the namespace's newest events as `kubectl get events` shows them.

use crate::i18n::{use_words, Words};
use crate::sim::SimRef;
use kubeplay_core::events::{EventRecord, Records};
use kubeplay_shell::print::age::human_duration;
use yew::prelude::*;

/// How many of the newest events the feed shows.
pub const FEED_LEN: usize = 40;

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub sim: SimRef,
    pub ns: AttrValue,
    /// The Sim's `cluster_version`.
    pub version: u64,
}

/// The feed, its ages kept current as the clock moves ([`crate::app::Second`]).
#[function_component]
pub fn EventsFeed(p: &EventsProps) -> Html {
    let _tick = use_context::<crate::app::Second>();
    let tr = use_words();
    let s = p.sim.borrow();
    events_feed(s.session.world.events(), &p.ns, s.session.now(), tr)
}

fn events_feed(events: Records<'_>, ns: &str, now: u64, tr: &Words) -> Html {
    let recent: Vec<&EventRecord> = events
        .iter()
        .rev()
        .filter(|e| e.namespace == ns)
        .take(FEED_LEN)
        .collect();
    html! {
        <details class="events" open=true>
            <summary>{ (tr.events)(recent.len()) }</summary>
            if recent.is_empty() {
                <p class="empty">{tr.no_events_yet}</p>
            } else {
                <table class="events-table">
                    <thead><tr><th title="LAST SEEN">{"AGE"}</th><th>{"TYPE"}</th><th>{"REASON"}</th><th>{"OBJECT"}</th><th>{"MESSAGE"}</th></tr></thead>
                    <tbody>
                        { for recent.iter().map(|e| html! {
                            <tr class={classes!(e.warning.then_some("warning"))}>
                                <td>{ human_duration(now as i64 - e.last as i64) }</td>
                                <td>{ if e.warning { "Warning" } else { "Normal" } }</td>
                                <td>{ e.reason }</td>
                                <td class="obj">{ format!("{}/{}", e.kind.as_str().to_lowercase(), e.name) }</td>
                                <td>{ if e.count > 1 { format!("{} (x{})", e.message, e.count) } else { e.message.to_string() } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </details>
    }
}

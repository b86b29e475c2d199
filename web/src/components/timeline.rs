//! The revision timeline: each revision of a Deployment, oldest first, with its image and
//! change-cause, what its template changed (a diff against the revision before it), and
//! rollbacks, which bring an old template back under a new number.

use crate::i18n::Words;
use crate::model::{diff_lines, DeployView, RsView};
use yew::prelude::*;

fn diff_view(prev: Option<&RsView>, rs: &RsView, tr: &Words) -> Html {
    let Some(prev) = prev else {
        return html! { <pre class="diff"><span class="ctx">{ rs.template.to_string() }</span></pre> };
    };
    let lines = diff_lines(&prev.template, &rs.template);
    if lines.iter().all(|(c, _)| *c == ' ') {
        return html! { <p class="nodiff">{ (tr.same_template)(prev.revision) }</p> };
    }
    // Changed lines with two lines of context around them.
    let keep: Vec<bool> = (0..lines.len())
        .map(|i| {
            let lo = i.saturating_sub(2);
            let hi = (i + 3).min(lines.len());
            lines[lo..hi].iter().any(|(c, _)| *c != ' ')
        })
        .collect();
    html! {
        <pre class="diff">
            { for lines.iter().zip(keep).filter(|(_, k)| *k).map(|((c, l), _)| {
                let class = match c { '+' => "add", '-' => "del", _ => "ctx" };
                html! { <span class={class}>{ format!("{c} {l}\n") }</span> }
            }) }
        </pre>
    }
}

pub fn revision_timeline(d: &DeployView, tr: &Words) -> Html {
    let mut revs: Vec<&RsView> = d.replicasets.iter().filter(|r| r.revision > 0).collect();
    kubeplay_sort::sort_by_key(&mut revs, |r| r.revision);
    if revs.is_empty() {
        return html! {};
    }
    html! {
        <div class="timeline" aria-label={tr.timeline}>
            { for revs.iter().enumerate().map(|(i, rs)| {
                let prev = i.checked_sub(1).map(|j| revs[j]);
                let current = rs.revision == d.revision;
                let rollback = rs.former_revisions.iter().max().copied();
                html! {
                    <details key={rs.revision} class={classes!("revision", current.then_some("current"))} data-revision={rs.revision.to_string()}>
                        <summary>
                            if i > 0 { <span class="arrow" aria-hidden="true">{"→"}</span> }
                            <b>{ (tr.rev)(rs.revision) }</b>
                            if let Some(r) = rollback {
                                <span class="rollback" title={tr.rollback_title}>{ format!("↩ {}", (tr.rev)(r)) }</span>
                            }
                            <span class="image">{ rs.images.clone() }</span>
                            if current { <span class="badge">{tr.current}</span> }
                            if let Some(c) = &rs.change_cause { <span class="cause">{ c.clone() }</span> }
                        </summary>
                        { diff_view(prev, rs, tr) }
                    </details>
                }
            }) }
        </div>
    }
}

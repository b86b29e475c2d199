//! A chart of a Deployment's ready and available replicas over virtual time (SVG), so that
//! Recreate's gap and RollingUpdate's overlap are seen at a glance.

use crate::i18n::Words;
use crate::sim::Sample;
use yew::prelude::*;

const W: f64 = 300.0;
const H: f64 = 60.0;

/// The points of a step line through `(t, value)` samples, held until `now`, scaled to the
/// chart: x over `[t0, now]`, y over `[0, top]`.
pub fn step_points(samples: &[Sample], value: fn(&Sample) -> i32, now: u64, top: i32) -> String {
    let Some(first) = samples.first() else {
        return String::new();
    };
    let t0 = first.at;
    let span = now.saturating_sub(t0).max(1) as f64;
    // Headroom above the highest line, so it does not hide in the frame.
    let top = top.max(1) as f64 * 1.15;
    let x = |t: u64| (t.saturating_sub(t0) as f64 / span * W).min(W);
    let y = |v: i32| H - (v.max(0) as f64 / top * (H - 2.0)) - 1.0;
    let mut pts = String::new();
    let mut last: Option<f64> = None;
    for s in samples {
        let (px, py) = (x(s.at), y(value(s)));
        if let Some(ly) = last {
            pts.push_str(&format!("{px:.1},{ly:.1} "));
        }
        pts.push_str(&format!("{px:.1},{py:.1} "));
        last = Some(py);
    }
    if let Some(ly) = last {
        pts.push_str(&format!("{W:.1},{ly:.1}"));
    }
    pts.trim_end().to_string()
}

pub fn replica_chart(samples: &[Sample], now: u64, tr: &Words) -> Html {
    if samples.is_empty() {
        return html! {};
    }
    let top = samples
        .iter()
        .map(|s| s.desired.max(s.ready).max(s.available))
        .max()
        .unwrap_or(1);
    let lines = [
        ("desired", (|s: &Sample| s.desired) as fn(&Sample) -> i32),
        ("available", |s: &Sample| s.available),
        ("ready", |s: &Sample| s.ready),
        ("updated", |s: &Sample| s.updated),
    ];
    let secs = now.saturating_sub(samples[0].at) / 1000;
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" role="img"
                aria-label={tr.chart}>
                { for lines.iter().map(|(name, f)| html! {
                    <polyline class={classes!("line", *name)} points={step_points(samples, *f, now, top)} />
                }) }
            </svg>
            <figcaption>
                { for lines.iter().zip(tr.lines).map(|((name, _), word)| html! { <span class={classes!("key", *name)}>{ word }</span> }) }
                <span class="span">{ (tr.chart_span)(secs, top) }</span>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(at: u64, ready: i32) -> Sample {
        Sample {
            at,
            desired: 2,
            ready,
            available: ready,
            updated: ready,
        }
    }

    #[test]
    fn steps_hold_each_value_until_the_next_sample() {
        let pts = step_points(&[s(0, 0), s(50, 2)], |x| x.ready, 100, 2);
        assert_eq!(pts, "0.0,59.0 150.0,59.0 150.0,8.6 300.0,8.6");
        assert_eq!(step_points(&[], |x| x.ready, 100, 2), "");
    }
}

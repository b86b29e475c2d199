//! A chart of a Deployment over virtual time (SVG): its pods stacked by revision (the new
//! ReplicaSet's below, older ones above) under lines of desired, ready and available
//! replicas, so that Recreate's gap and RollingUpdate's overlap are seen at a glance.

use crate::i18n::{use_words, Words};
use crate::sim::{Sample, SimRef};
use yew::prelude::*;

/// A count read off a sample.
type Count = fn(&Sample) -> i32;

const W: f64 = 300.0;
const H: f64 = 72.0;

/// Maps samples to the chart: x over `[t0, now]`, y over `[0, top]` with headroom, so that
/// the highest line does not hide in the frame.
struct Scale {
    t0: u64,
    span: f64,
    top: f64,
}

impl Scale {
    fn new(samples: &[Sample], now: u64, top: i32) -> Option<Scale> {
        let t0 = samples.first()?.at;
        Some(Scale {
            t0,
            span: now.saturating_sub(t0).max(1) as f64,
            top: top.max(1) as f64 * 1.15,
        })
    }
    fn x(&self, t: u64) -> f64 {
        (t.saturating_sub(self.t0) as f64 / self.span * W).min(W)
    }
    fn y(&self, v: i32) -> f64 {
        H - (v.max(0) as f64 / self.top * (H - 2.0)) - 1.0
    }
    /// The corners of a step line: each value held until the next sample, the last until
    /// the right edge.
    fn steps(&self, samples: &[Sample], value: Count) -> Vec<(f64, f64)> {
        let mut pts = Vec::with_capacity(samples.len() * 2 + 1);
        for s in samples {
            let (px, py) = (self.x(s.at), self.y(value(s)));
            if let Some(&(_, ly)) = pts.last() {
                pts.push((px, ly));
            }
            pts.push((px, py));
        }
        if let Some(&(_, ly)) = pts.last() {
            pts.push((W, ly));
        }
        pts
    }
}

fn svg_points(pts: impl IntoIterator<Item = (f64, f64)>) -> String {
    let mut out = String::new();
    for (x, y) in pts {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("{x:.1},{y:.1}"));
    }
    out
}

/// The points of a step line through `(t, value)` samples, held until `now`.
pub fn step_points(samples: &[Sample], value: Count, now: u64, top: i32) -> String {
    Scale::new(samples, now, top)
        .map_or_else(String::new, |sc| svg_points(sc.steps(samples, value)))
}

/// The outline of the band between two step lines (`lo` below `hi`): along `hi`, then back
/// along `lo`.
pub fn band_points(samples: &[Sample], lo: Count, hi: Count, now: u64, top: i32) -> String {
    let Some(sc) = Scale::new(samples, now, top) else {
        return String::new();
    };
    let upper = sc.steps(samples, hi);
    let lower = sc.steps(samples, lo);
    svg_points(upper.into_iter().chain(lower.into_iter().rev()))
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub sim: SimRef,
    /// `namespace/name` of the Deployment.
    pub deployment: AttrValue,
    /// The Sim's `cluster_version`.
    pub version: u64,
}

/// A Deployment's chart, its time axis running on with the clock ([`crate::app::Second`]).
#[function_component]
pub fn ReplicaChart(p: &ChartProps) -> Html {
    let _tick = use_context::<crate::app::Second>();
    let tr = use_words();
    let s = p.sim.borrow();
    let samples = s
        .samples
        .get(p.deployment.as_str())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    replica_chart(samples, s.session.now(), tr)
}

pub fn replica_chart(samples: &[Sample], now: u64, tr: &Words) -> Html {
    if samples.is_empty() {
        return html! {};
    }
    let top = samples
        .iter()
        .map(|s| s.desired.max(s.ready).max(s.available).max(s.pods))
        .max()
        .unwrap_or(1);
    let new_pods: Count = |s| s.updated.min(s.pods);
    let all_pods: Count = |s| s.pods;
    let zero: Count = |_| 0;
    let lines: [(&str, Count); 3] = [
        ("desired", |s| s.desired),
        ("available", |s| s.available),
        ("ready", |s| s.ready),
    ];
    let bands: [(&str, Count, Count); 2] = [("new", zero, new_pods), ("old", new_pods, all_pods)];
    let secs = now.saturating_sub(samples[0].at) / 1000;
    let keys = lines
        .iter()
        .map(|(name, _)| *name)
        .chain(bands.iter().map(|(name, ..)| *name));
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" role="img"
                aria-label={tr.chart}>
                { for bands.iter().map(|(name, lo, hi)| html! {
                    <polygon class={classes!("band", *name)} points={band_points(samples, *lo, *hi, now, top)} />
                }) }
                { for lines.iter().map(|(name, f)| html! {
                    <polyline class={classes!("line", *name)} points={step_points(samples, *f, now, top)} />
                }) }
            </svg>
            <figcaption>
                { for keys.zip(tr.lines).map(|(name, word)| html! { <span class={classes!("key", name)}>{ word }</span> }) }
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
            pods: ready,
        }
    }

    #[test]
    fn steps_hold_each_value_until_the_next_sample() {
        let pts = step_points(&[s(0, 0), s(50, 2)], |x| x.ready, 100, 2);
        assert_eq!(pts, "0.0,71.0 150.0,71.0 150.0,10.1 300.0,10.1");
        assert_eq!(step_points(&[], |x| x.ready, 100, 2), "");
    }

    #[test]
    fn a_band_goes_along_its_top_and_back_along_its_bottom() {
        let mut a = s(0, 0);
        a.pods = 2; // two old pods
        let mut b = s(50, 2);
        b.pods = 3; // the new one's two and one old pod
        let pts = band_points(&[a, b], |x| x.updated, |x| x.pods, 100, 3);
        assert_eq!(
            pts,
            "0.0,30.4 150.0,30.4 150.0,10.1 300.0,10.1 300.0,30.4 150.0,30.4 150.0,71.0 0.0,71.0"
        );
    }
}

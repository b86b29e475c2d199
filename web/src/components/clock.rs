//! The clock: play/pause, speed, "step to next event", and the virtual time.

use crate::i18n::use_words;
use crate::sim::{SimRef, SPEEDS};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClockProps {
    pub sim: SimRef,
    /// Virtual milliseconds since the cluster started.
    pub now: u64,
    pub playing: bool,
    pub speed: u32,
    /// The cluster has more work than a frame has time for: the clock runs slower than its
    /// speed until it catches up.
    #[prop_or_default]
    pub behind: bool,
    /// Whether anything is due in the cluster (else "next event" has nothing to go to).
    pub has_next: bool,
}

/// `h:mm:ss.t` of virtual time.
pub fn format_virtual(ms: u64) -> String {
    let s = ms / 1000;
    format!(
        "{}:{:02}:{:02}.{}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000 / 100
    )
}

#[function_component]
pub fn Clock(p: &ClockProps) -> Html {
    let tr = use_words();
    let toggle = {
        let sim = p.sim.clone();
        Callback::from(move |_: MouseEvent| sim.borrow_mut().toggle_play())
    };
    let step = {
        let sim = p.sim.clone();
        Callback::from(move |_: MouseEvent| sim.borrow_mut().step())
    };
    let speeds = SPEEDS.iter().map(|&n| {
        let sim = p.sim.clone();
        let on = Callback::from(move |_: MouseEvent| sim.borrow_mut().set_speed(n));
        let active = n == p.speed;
        html! {
            <button class={classes!("speed", active.then_some("active"))} aria-pressed={active.to_string()}
                onclick={on} title={(tr.speed)(n)}>{format!("{n}×")}</button>
        }
    });
    html! {
        <div class="clock" role="group" aria-label={tr.clock}>
            <button class="play" onclick={toggle} aria-label={if p.playing { tr.pause_clock } else { tr.start_clock }}>
                { if p.playing { tr.pause } else { tr.play } }
            </button>
            <span class="speeds">{ for speeds }</span>
            <button class="step" onclick={step} disabled={!p.has_next} title={tr.next_event_title}>
                {tr.next_event}
            </button>
            <span class={classes!("vtime", p.behind.then_some("behind"))}
                title={if p.behind { tr.vtime_behind } else { tr.vtime }}>{ format_virtual(p.now) }</span>
            <span class={classes!("lag", p.behind.then_some("on"))} role="status"
                title={tr.behind}>{ if p.behind { tr.catching_up } else { "" } }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn virtual_time_reads_as_a_clock() {
        assert_eq!(super::format_virtual(0), "0:00:00.0");
        assert_eq!(super::format_virtual(83_456), "0:01:23.4");
        assert_eq!(super::format_virtual(3_723_000), "1:02:03.0");
    }
}

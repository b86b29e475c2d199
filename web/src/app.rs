//! The app: one shared [`Sim`], a frame loop that drives its clock in real time, and the
//! panes. Components get the `SimRef` plus the version counter of what they show, so each
//! re-renders only when its part changed; nothing clones the world.

use crate::components::clock::Clock;
use crate::components::cluster::ClusterView;
use crate::components::editor::Editor;
use crate::components::terminal::Terminal;
use crate::sim::{Sim, SimRef};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// What the app re-renders on: when none of these moved, a frame costs one comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Versions {
    pub term: u64,
    pub cluster: u64,
    pub now: u64,
    pub playing: bool,
    pub speed: u32,
}

impl Versions {
    pub fn of(s: &Sim) -> Versions {
        Versions {
            term: s.term_version,
            cluster: s.cluster_version,
            now: s.session.now(),
            playing: s.playing,
            speed: s.speed,
        }
    }
}

/// The seed from `?seed=N` in the page's address, else 1.
fn seed_from_location() -> u64 {
    gloo::utils::window()
        .location()
        .search()
        .ok()
        .and_then(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("seed=").and_then(|v| v.parse().ok()))
        })
        .unwrap_or(1)
}

/// requestAnimationFrame, again and again: each frame lets the real time since the last one
/// pass in the simulation, then tells the app what moved.
struct FrameLoop {
    sim: SimRef,
    notify: Callback<Versions>,
    last: Cell<Option<f64>>,
    stopped: Cell<bool>,
    handle: RefCell<Option<AnimationFrame>>,
}

impl FrameLoop {
    fn start(sim: SimRef, notify: Callback<Versions>) -> Rc<FrameLoop> {
        let lp = Rc::new(FrameLoop {
            sim,
            notify,
            last: Cell::new(None),
            stopped: Cell::new(false),
            handle: RefCell::new(None),
        });
        lp.schedule();
        lp
    }

    fn schedule(self: &Rc<Self>) {
        let me = self.clone();
        let h = request_animation_frame(move |ts| me.frame(ts));
        *self.handle.borrow_mut() = Some(h);
    }

    fn frame(self: &Rc<Self>, ts: f64) {
        if self.stopped.get() {
            return;
        }
        let dt = self.last.get().map_or(0.0, |l| ts - l);
        self.last.set(Some(ts));
        let v = {
            let mut s = self.sim.borrow_mut();
            s.tick(dt);
            Versions::of(&s)
        };
        self.notify.emit(v);
        self.schedule();
    }

    fn stop(&self) {
        self.stopped.set(true);
        self.handle.borrow_mut().take();
    }
}

#[function_component]
pub fn App() -> Html {
    let sim = use_memo((), |_| {
        let mut s = Sim::new(seed_from_location());
        s.history = crate::storage::load_history();
        s.shared()
    });
    let sim: SimRef = (*sim).clone();
    let versions = use_state_eq(|| Versions::of(&sim.borrow()));
    {
        let sim = sim.clone();
        let versions = versions.clone();
        use_effect_with((), move |_| {
            let lp = FrameLoop::start(sim, Callback::from(move |v| versions.set(v)));
            move || lp.stop()
        });
    }
    let v = *versions;
    let (has_next, namespace) = {
        let s = sim.borrow();
        (
            s.session.world.next_due().is_some(),
            s.session.namespace.clone(),
        )
    };
    html! {
        <div class="app">
            <header class="top">
                <h1 class="brand">{"kubeplay"}</h1>
                <span class="ns" title="namespace of the current context">{"namespace: "}<b>{namespace}</b></span>
                <Clock sim={sim.clone()} now={v.now} playing={v.playing} speed={v.speed} {has_next} />
            </header>
            <main class="panes">
                <Editor sim={sim.clone()} />
                <Terminal sim={sim.clone()} version={v.term} />
                <ClusterView sim={sim.clone()} version={v.cluster} />
            </main>
        </div>
    }
}

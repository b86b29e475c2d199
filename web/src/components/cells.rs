//! Pods as compact cells, past `COMPACT_PODS` of them: one small square per pod, coloured by
//! the STATUS kubectl would print, in name order, painted on a canvas.
//!
//! A rollout of 1,000 replicas creates hundreds of pods in one instant and changes a few dozen
//! every frame after. As elements, each new cell cost the page an element, its attributes and
//! its share of style and layout, and a frame that brought 500 of them took longer than a frame
//! has. On a canvas a cell is one rounded rectangle: the painter keeps what it drew and, when
//! the list changes, repaints only the cells whose colour changed (everything when the grid's
//! shape changed). The work per frame grows with what changed, not with the number of pods.
//!
//! What the elements gave for free is kept: hovering a cell names its pod (the canvas' `title`),
//! a click opens the pod's detail (the canvas carries `data-name` of the pod under the pointer
//! or the keyboard cursor, which the cluster view's click and Enter handlers read), the arrow
//! keys move a cursor over the cells, and the canvas' label counts the pods by status.

use crate::i18n::{Lang, Words};
use crate::model::PodView;
use gloo::events::EventListener;
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ResizeObserver, ResizeObserverEntry};
use yew::prelude::*;

/// A cell's side and the gap between cells, in CSS pixels.
const CELL: f64 = 9.0;
const GAP: f64 = 2.0;
const STEP: f64 = CELL + GAP;

/// The status classes (`PodView::class`) and the colour each is painted in: the page's CSS
/// variable, or the light theme's value when the page has none (a component test's page).
const PALETTE: [(&str, &str, &str); 6] = [
    ("running", "--running", "#2e9e57"),
    ("pending", "--pending", "#d9a21b"),
    ("notready", "--notready", "#e0792b"),
    ("failed", "--failed", "#d23b3b"),
    ("terminating", "--terminating", "#8b95a3"),
    ("done", "--done", "#3f7fd8"),
];

fn palette_index(class: &str) -> usize {
    PALETTE.iter().position(|(c, ..)| *c == class).unwrap_or(3)
}

#[derive(Properties, PartialEq)]
pub struct CellsProps {
    /// The pods by name (a ReplicaSet's list from `PodCache`, or the pods no ReplicaSet owns).
    pub pods: Rc<[Rc<PodView>]>,
}

/// The cells' colours, as the page's CSS sets them on `:root` for the theme in force.
pub struct Colours {
    /// By `PALETTE` index.
    fill: [String; 6],
    /// The keyboard cursor's ring.
    accent: String,
}

thread_local! {
    static COLOURS: RefCell<Option<Rc<Colours>>> = const { RefCell::new(None) };
    /// The width the grids were last laid out at (CSS pixels; 0 before the first).
    static GRID_WIDTH: Cell<f64> = const { Cell::new(0.0) };
}

/// The colours, read from the page's style once and kept until the theme changes. Reading a
/// computed style right after a render makes the browser lay out the whole page first: when
/// each new canvas read them, the first frame of a 1,000-pod ReplicaSet spent about 16 ms
/// there. The page reads them once while it is idle after loading (`prime_colours`).
pub fn colours() -> Rc<Colours> {
    COLOURS.with(|c| c.borrow_mut().get_or_insert_with(read_colours).clone())
}

/// Read the colours now, while nothing is waiting to be laid out.
pub fn prime_colours() {
    drop(colours());
}

/// The theme changed: the next [`colours`] reads them again.
pub fn forget_colours() {
    COLOURS.with(|c| c.borrow_mut().take());
}

fn read_colours() -> Rc<Colours> {
    let style = gloo::utils::document().document_element().and_then(|root| {
        gloo::utils::window()
            .get_computed_style(&root)
            .ok()
            .flatten()
    });
    let var = |name: &str, fallback: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    };
    Rc::new(Colours {
        fill: PALETTE.map(|(_, name, fallback)| var(name, fallback)),
        accent: var("--accent", "#2f6fde"),
    })
}

/// The canvas and what is painted on it.
struct Painter {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    /// The pods painted, by cell index.
    drawn: Vec<Rc<PodView>>,
    /// The width the grid is laid out for (CSS pixels), from the resize observer.
    width: f64,
    /// Columns and rows of the grid painted; a change repaints everything.
    cols: usize,
    rows: usize,
    /// Colours by `PALETTE` index, and the keyboard cursor's ring (see [`colours`]).
    colours: Rc<Colours>,
    /// The cell under the pointer, and the keyboard's cursor (ringed while focused).
    hover: Option<usize>,
    cursor: Option<usize>,
    /// The page's words (the canvas' accessible name), set on each paint.
    tr: &'static Words,
    focused: bool,
}

impl Painter {
    fn new(canvas: HtmlCanvasElement) -> Option<Painter> {
        let ctx = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(Painter {
            canvas,
            ctx,
            drawn: Vec::new(),
            width: 0.0,
            cols: 0,
            rows: 0,
            colours: colours(),
            hover: None,
            cursor: None,
            focused: false,
            tr: &crate::i18n::EN,
        })
    }

    fn origin(&self, i: usize) -> (f64, f64) {
        let cols = self.cols.max(1);
        (
            (i % cols) as f64 * STEP + 1.0,
            (i / cols) as f64 * STEP + 1.0,
        )
    }

    /// The cell at CSS pixel (x, y) of the canvas, if a pod is painted there.
    fn at(&self, x: f64, y: f64) -> Option<usize> {
        if x < 0.0 || y < 0.0 || self.cols == 0 {
            return None;
        }
        let (col, row) = ((x / STEP) as usize, (y / STEP) as usize);
        let i = row * self.cols + col;
        (col < self.cols && i < self.drawn.len()).then_some(i)
    }

    /// Bring the canvas from what it shows to `pods`.
    fn paint(&mut self, pods: &[Rc<PodView>]) {
        if self.width <= 0.0 {
            // Not laid out yet: the resize observer paints once it is.
            self.drawn = pods.to_vec();
            return;
        }
        let cols = (((self.width - 2.0 + GAP) / STEP).floor() as usize).max(1);
        let rows = pods.len().div_ceil(cols);
        let dirty: Vec<usize> = if cols != self.cols || rows != self.rows {
            self.resize(cols, rows);
            (0..pods.len()).collect()
        } else {
            let mut dirty = Vec::new();
            for i in 0..pods.len().max(self.drawn.len()) {
                match (self.drawn.get(i), pods.get(i)) {
                    (Some(a), Some(b)) if Rc::ptr_eq(a, b) || a.class == b.class => {}
                    (_, Some(_)) => dirty.push(i),
                    (Some(_), None) => self.clear(i),
                    (None, None) => {}
                }
            }
            dirty
        };
        self.drawn = pods.to_vec();
        self.fill(&dirty);
        self.ring();
        self.label();
        // The pointer and the cursor now may be over other pods.
        self.cursor = self.cursor.map(|c| c.min(pods.len().saturating_sub(1)));
        self.point(if self.focused {
            self.cursor
        } else {
            self.hover
        });
    }

    fn resize(&mut self, cols: usize, rows: usize) {
        self.cols = cols;
        self.rows = rows;
        let dpr = gloo::utils::window().device_pixel_ratio().max(1.0);
        let (w, h) = (
            cols as f64 * STEP - GAP + 2.0,
            (rows as f64 * STEP - GAP + 2.0).max(0.0),
        );
        self.canvas.set_width((w * dpr).round() as u32);
        self.canvas.set_height((h * dpr).round() as u32);
        let style = self.canvas.style();
        let _ = style.set_property("width", &format!("{w}px"));
        let _ = style.set_property("height", &format!("{h}px"));
        let _ = self.ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    }

    fn clear(&self, i: usize) {
        let (x, y) = self.origin(i);
        self.ctx
            .clear_rect(x - 1.0, y - 1.0, CELL + 2.0, CELL + 2.0);
    }

    /// Paint cells `which`, one path per colour.
    fn fill(&self, which: &[usize]) {
        for &i in which {
            self.clear(i);
        }
        for (k, colour) in self.colours.fill.iter().enumerate() {
            let mut any = false;
            for &i in which {
                if palette_index(self.drawn[i].class) != k {
                    continue;
                }
                if !any {
                    self.ctx.begin_path();
                    any = true;
                }
                let (x, y) = self.origin(i);
                let _ = self.ctx.round_rect_with_f64(x, y, CELL, CELL, 2.0);
            }
            if any {
                self.ctx.set_fill_style_str(colour);
                self.ctx.fill();
            }
        }
    }

    /// Ring the keyboard's cursor while the canvas has the focus.
    fn ring(&self) {
        let Some(i) = self.cursor.filter(|_| self.focused) else {
            return;
        };
        if i >= self.drawn.len() {
            return;
        }
        let (x, y) = self.origin(i);
        self.ctx.set_stroke_style_str(&self.colours.accent);
        self.ctx.set_line_width(1.5);
        self.ctx
            .stroke_rect(x - 0.5, y - 0.5, CELL + 1.0, CELL + 1.0);
    }

    fn repaint_cell(&self, i: usize) {
        if i < self.drawn.len() {
            self.fill(&[i]);
        }
    }

    /// Name pod `i` on the canvas (tooltip, and the pod a click or Enter opens), or none.
    fn point(&self, i: Option<usize>) {
        match i.and_then(|i| self.drawn.get(i)) {
            Some(p) => {
                let _ = self.canvas.set_attribute("title", &p.title);
                let _ = self.canvas.set_attribute("data-name", &p.name);
            }
            None => {
                let _ = self.canvas.remove_attribute("title");
                let _ = self.canvas.remove_attribute("data-name");
            }
        }
    }

    /// The canvas' accessible name: how many pods, by status.
    fn label(&self) {
        let mut counts = [0usize; 6];
        for p in &self.drawn {
            counts[palette_index(p.class)] += 1;
        }
        let tr = self.tr;
        let by: Vec<String> = tr
            .cell_states
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(state, n)| (tr.cell_count)(n, state))
            .collect();
        let label = (tr.cells_label)(self.drawn.len(), &by.join(", "));
        let _ = self.canvas.set_attribute("aria-label", &label);
    }

    /// Move the keyboard's cursor by a key; true when the key was one of the cursor's.
    fn key(&mut self, key: &str) -> bool {
        let n = self.drawn.len();
        if n == 0 {
            return false;
        }
        let c = self.cursor.unwrap_or(0);
        let cols = self.cols.max(1);
        let next = match key {
            "ArrowRight" => (c + 1).min(n - 1),
            "ArrowLeft" => c.saturating_sub(1),
            "ArrowDown" if c + cols < n => c + cols,
            "ArrowDown" => c,
            "ArrowUp" => c.checked_sub(cols).unwrap_or(c),
            "Home" => 0,
            "End" => n - 1,
            _ => return false,
        };
        self.cursor = Some(next);
        self.repaint_cell(c);
        self.ring();
        self.point(Some(next));
        true
    }

    /// The canvas gains or loses the focus. Focus by the pointer puts the cursor on the cell
    /// pointed at, so that the click which follows opens that pod.
    fn focus(&mut self, on: bool) {
        if let Some(c) = self.cursor {
            self.repaint_cell(c);
        }
        self.focused = on;
        if on {
            self.cursor = self.hover.or(self.cursor).or(Some(0));
        }
        self.ring();
        self.point(if on { self.cursor } else { self.hover });
    }
}

type Shared = Rc<RefCell<Option<Painter>>>;

/// Repaints the whole grid at `width`, in the next frame: painting inside the resize
/// observer's callback would resize the element it observes (the canvas' parent, whose width
/// is the grid's), which the browser reports as a loop.
fn on_width(painter: &Shared, frame: &Rc<RefCell<Option<AnimationFrame>>>, width: f64) {
    GRID_WIDTH.set(width);
    let changed = painter
        .borrow()
        .as_ref()
        .is_some_and(|p| (p.width - width).abs() > 0.5);
    if !changed {
        return;
    }
    let painter = painter.clone();
    *frame.borrow_mut() = Some(request_animation_frame(move |_| {
        if let Some(p) = painter.borrow_mut().as_mut() {
            p.width = width;
            p.cols = 0;
            let pods = std::mem::take(&mut p.drawn);
            p.paint(&pods);
        }
    }));
}

/// An element's width inside its padding.
fn content_width(el: &web_sys::Element) -> f64 {
    let style = gloo::utils::window().get_computed_style(el).ok().flatten();
    let pad = |side: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(side).ok())
            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    el.client_width() as f64 - pad("padding-left") - pad("padding-right")
}

#[function_component]
pub fn Cells(p: &CellsProps) -> Html {
    let node = use_node_ref();
    let painter: Shared = use_mut_ref(|| None::<Painter>);
    // Set up once: the painter, the observer of the canvas' width, a repaint when the system
    // switches between light and dark.
    {
        let node = node.clone();
        let painter = painter.clone();
        use_effect_with((), move |_| {
            let mut keep: Option<(ResizeObserver, Closure<dyn FnMut(js_sys::Array)>)> = None;
            let mut theme: Option<EventListener> = None;
            let canvas = node.cast::<HtmlCanvasElement>();
            let parent = canvas.as_ref().and_then(|c| c.parent_element());
            if let (Some(canvas), Some(parent)) = (canvas, parent) {
                // The first paint cannot wait for the observer (that would show a frame
                // without cells). Every grid is as wide as the others, so a new one takes the
                // width they were last laid out at: reading its own would make the browser lay
                // out the page it has just changed, in the middle of the frame (about 14 ms
                // in the first frame of a 1,000-pod ReplicaSet). The observer corrects it.
                let mut p = Painter::new(canvas);
                if let Some(p) = p.as_mut() {
                    p.width = match GRID_WIDTH.get() {
                        w if w > 0.0 => w,
                        _ => content_width(&parent),
                    };
                    GRID_WIDTH.set(p.width);
                }
                *painter.borrow_mut() = p;
                let frame = Rc::new(RefCell::new(None));
                let shared = painter.clone();
                let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    if let Some(e) = entries.get(0).dyn_ref::<ResizeObserverEntry>() {
                        on_width(&shared, &frame, e.content_rect().width());
                    }
                });
                if let Ok(ro) = ResizeObserver::new(cb.as_ref().unchecked_ref()) {
                    ro.observe(&parent);
                    keep = Some((ro, cb));
                }
                if let Ok(Some(mq)) =
                    gloo::utils::window().match_media("(prefers-color-scheme: dark)")
                {
                    let painter = painter.clone();
                    theme = Some(EventListener::new(&mq, "change", move |_| {
                        if let Some(p) = painter.borrow_mut().as_mut() {
                            forget_colours();
                            p.colours = colours();
                            p.cols = 0;
                            let pods = std::mem::take(&mut p.drawn);
                            p.paint(&pods);
                        }
                    }));
                }
            }
            move || {
                if let Some((ro, _cb)) = keep {
                    ro.disconnect();
                }
                drop(theme);
            }
        });
    }
    {
        let painter = painter.clone();
        let lang = use_context::<Lang>().unwrap_or(Lang::En);
        use_effect_with((p.pods.clone(), lang), move |(pods, lang)| {
            if let Some(p) = painter.borrow_mut().as_mut() {
                p.tr = crate::i18n::words(*lang);
                let start = crate::app::perf_now();
                p.paint(pods);
                crate::app::measure_since("kubeplay:paint", start);
            }
        });
    }
    let with = |f: fn(&mut Painter, &MouseEvent)| {
        let painter = painter.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(p) = painter.borrow_mut().as_mut() {
                f(p, &e);
            }
        })
    };
    let onmousemove = with(|p, e| {
        let i = p.at(e.offset_x() as f64 - 1.0, e.offset_y() as f64 - 1.0);
        if i != p.hover {
            p.hover = i;
            if !p.focused {
                p.point(i);
            }
        }
    });
    let onmousedown = with(|p, _| {
        if p.focused && p.hover.is_some() && p.hover != p.cursor {
            if let Some(c) = p.cursor {
                p.repaint_cell(c);
            }
            p.cursor = p.hover;
            p.ring();
            p.point(p.cursor);
        }
    });
    let onmouseleave = with(|p, _| {
        p.hover = None;
        if !p.focused {
            p.point(None);
        }
    });
    let onkeydown = {
        let painter = painter.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(p) = painter.borrow_mut().as_mut() {
                if p.key(&e.key()) {
                    e.prevent_default();
                }
            }
        })
    };
    let focus = |on: bool| {
        let painter = painter.clone();
        Callback::from(move |_: FocusEvent| {
            if let Some(p) = painter.borrow_mut().as_mut() {
                p.focus(on);
            }
        })
    };
    html! {
        <canvas class="pods compact" ref={node} role="img" tabindex="0"
            {onmousemove} {onmousedown} {onmouseleave} {onkeydown} onfocus={focus(true)} onblur={focus(false)}></canvas>
    }
}

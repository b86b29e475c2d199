//! The lesson side of the page, wired to the browser: what the page opens with (a link, the
//! autosave, `?lesson=`), live checks, autosave, Share and Reset, the language switch, and the
//! postMessage protocol. The App calls [`use_lessons`] once and renders [`Toolbar`],
//! [`Notices`] and the lesson panel with what it returns.

use crate::boot::{self, save_key, Notice};
use crate::docs;
use crate::embed_glue as glue;
use crate::i18n::{t, Lang, Msg};
use crate::sim::SimRef;
use kubeplay_lessons::embed::{self, EmbedOptions, Request};
use kubeplay_lessons::{builtin, export, Scenario};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A command from `kubeplay:run` in flight: its id and where its output starts.
struct Running {
    id: Value,
    from: usize,
}

#[derive(Default)]
struct Runs {
    waiting: VecDeque<(Value, String)>,
    current: Option<Running>,
}

/// What the App needs from the lesson side to render.
#[derive(Clone, PartialEq)]
pub struct Lessons {
    pub notices: UseStateHandle<Vec<Notice>>,
    pub lang: UseStateHandle<Lang>,
    /// Bumped when the lesson panel must re-render.
    pub version: u64,
    /// Bumped when a new state was loaded (the editor remounts with its files).
    pub loads: UseStateHandle<u64>,
}

fn seed() -> u64 {
    let q = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    q.trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("seed=").and_then(|v| v.parse().ok()))
        .unwrap_or(1)
}

fn current_key(sim: &SimRef) -> String {
    let s = sim.borrow();
    save_key(s.lesson.as_ref().map(|l| l.scenario.id.as_str()))
}

fn post_checks(sim: &SimRef, opts: &EmbedOptions) {
    let s = sim.borrow();
    if let Some(l) = &s.lesson {
        glue::post(
            opts,
            &embed::checks(&l.scenario.id, l.step, &l.results, &l.done),
        );
    }
}

fn load_scenario(sim: &SimRef, sc: Scenario, builtin: bool) {
    sim.borrow_mut()
        .load_opened(boot::start_scenario(sc, builtin));
}

#[hook]
pub fn use_lessons(sim: &SimRef, term: u64, cluster: u64, opts: Rc<EmbedOptions>) -> Lessons {
    let lang = {
        let opts = opts.clone();
        use_state(move || {
            crate::i18n::initial(
                opts.lang,
                glue::load("kubeplay.lang").as_deref(),
                &glue::navigator_language(),
            )
        })
    };
    let notices = use_state(Vec::<Notice>::new);
    let version = use_state(|| 0u64);
    let loads = use_state(|| 0u64);
    let runs = use_mut_ref(Runs::default);
    // What was last autosaved (a stamp of the journal) and when; whether that save failed.
    let last_save = use_mut_ref(|| (String::new(), 0.0f64, false));

    // Open what the page was opened with, once; listen to the embedding page.
    {
        let sim = sim.clone();
        let opts = opts.clone();
        let notices = notices.clone();
        let loads = loads.clone();
        let version = version.clone();
        let runs = runs.clone();
        use_effect_with((), move |_| {
            for w in &opts.warnings {
                gloo::console::warn!(format!("kubeplay: {w}"));
            }
            let key = save_key(opts.lesson.as_deref());
            let saved = glue::load(&key);
            let hash = glue::hash();
            // A replay that runs `kubectl explain` waits for its descriptions (docs.rs).
            let wait_docs =
                docs::replay_needs(&hash) || saved.as_deref().is_some_and(docs::replay_needs);
            let open = {
                let (sim, opts) = (sim.clone(), opts.clone());
                let (notices, loads) = (notices.clone(), loads.clone());
                move || {
                    let (opened, n) = boot::boot(
                        &hash,
                        saved.as_deref(),
                        opts.lesson.as_deref(),
                        opts.step,
                        seed(),
                    );
                    sim.borrow_mut().load_opened(opened);
                    // The link has been read: from now on the autosave holds the work, and a
                    // reload must not replay the link over it.
                    glue::set_hash("");
                    notices.set(n);
                    loads.set(*loads + 1);
                    version.set(sim.borrow().lesson_version);
                    let lesson_id = sim.borrow().lesson.as_ref().map(|l| l.scenario.id.clone());
                    glue::post(&opts, &embed::ready(lesson_id.as_deref()));
                }
            };
            if wait_docs {
                yew::platform::spawn_local(async move {
                    docs::fetch().await;
                    open();
                });
            } else {
                open();
            }

            let listener = {
                let sim = sim.clone();
                let opts = opts.clone();
                let loads = loads.clone();
                let runs = runs.clone();
                gloo::events::EventListener::new(&gloo::utils::window(), "message", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                        return;
                    };
                    match glue::accept(&opts, e) {
                        Ok(None) => {}
                        Err(m) => glue::post(&opts, &embed::error(&m)),
                        Ok(Some(req)) => handle(&sim, &opts, &runs, &loads, req),
                    }
                })
            };
            move || drop(listener)
        });
    }

    // After every change: checks, commands from the embedding page, autosave.
    {
        let sim = sim.clone();
        let opts = opts.clone();
        let version = version.clone();
        let runs = runs.clone();
        let notices = notices.clone();
        let lang_v = *lang;
        use_effect_with((term, cluster, lang_v, *loads), move |_| {
            let changed = sim.borrow_mut().refresh_lesson(lang_v);
            if changed {
                version.set(sim.borrow().lesson_version);
                post_checks(&sim, &opts);
            }
            pump_runs(&sim, &opts, &runs);
            // Autosave: at once when something was typed or progress moved, else at most every
            // two seconds while the clock runs.
            let now = js_sys::Date::now();
            let link = {
                let s = sim.borrow();
                let st = s.share_state();
                (st.events.len(), st.lesson.clone(), st)
            };
            let mut last = last_save.borrow_mut();
            let stamp = format!("{}:{:?}", link.0, link.1);
            if stamp != last.0 {
                // Work went on since a Share: the link in the address bar is stale, and a
                // reload must come back to the autosave, not to it.
                glue::set_hash("");
            }
            if stamp != last.0 || now - last.1 > 2000.0 {
                let text = link.2.encode();
                let saved = glue::save(&current_key(&sim), &text);
                // Say so once when saving starts failing (a full storage), not at every save.
                if let (Err(why), false) = (&saved, last.2) {
                    let mut n = (*notices).clone();
                    n.push(Notice {
                        title: Msg::SaveFailed,
                        detail: Some(format!(
                            "{} {}; {why}",
                            text.len(),
                            t(lang_v, Msg::Characters)
                        )),
                    });
                    notices.set(n);
                }
                *last = (stamp, now, saved.is_err());
            }
        });
    }

    Lessons {
        notices,
        lang,
        version: *version,
        loads,
    }
}

fn handle(
    sim: &SimRef,
    opts: &EmbedOptions,
    runs: &Rc<RefCell<Runs>>,
    loads: &UseStateHandle<u64>,
    req: Request,
) {
    match req {
        Request::Load {
            lesson: Some(id), ..
        } => match builtin::get(&id) {
            Some(sc) => {
                let n = sc.steps.len();
                load_scenario(sim, sc, true);
                loads.set(**loads + 1);
                glue::post(opts, &embed::loaded(&id, n));
            }
            None => glue::post(opts, &embed::error(&format!("no lesson {id:?}"))),
        },
        Request::Load {
            scenario: Some(y), ..
        } => match Scenario::from_yaml(&y) {
            Ok(sc) => {
                let (id, n) = (sc.id.clone(), sc.steps.len());
                load_scenario(sim, sc, false);
                loads.set(**loads + 1);
                glue::post(opts, &embed::loaded(&id, n));
            }
            Err(e) => glue::post(opts, &embed::error(&e.0)),
        },
        Request::Load { .. } => {}
        Request::Run { command, id } => {
            runs.borrow_mut().waiting.push_back((id, command));
            pump_runs(sim, opts, runs);
        }
        Request::Check => post_checks(sim, opts),
        Request::Step { step } => {
            if let Some(l) = sim.borrow_mut().lesson_mut() {
                l.go(step);
            }
            post_checks(sim, opts);
        }
    }
}

/// Finish the command in flight when the terminal is free again, then start the next.
fn pump_runs(sim: &SimRef, opts: &EmbedOptions, runs: &Rc<RefCell<Runs>>) {
    let mut r = runs.borrow_mut();
    loop {
        if sim.borrow().busy() {
            return;
        }
        if let Some(cur) = r.current.take() {
            let s = sim.borrow();
            let text = s.scrollback.text();
            let after = text.get(cur.from.min(text.len())..).unwrap_or("");
            // Skip the echoed prompt and line.
            let output = after.split_once('\n').map_or("", |(_, o)| o);
            glue::post(opts, &embed::ran(&cur.id, s.session.last_status, output));
        }
        let Some((id, command)) = r.waiting.pop_front() else {
            return;
        };
        // A half-typed line at the prompt (a heredoc) would swallow the command: Ctrl+C it
        // first, as the learner would.
        if sim.borrow().continuing() {
            sim.borrow_mut().cancel_line("");
        }
        let from = sim.borrow().scrollback.text().len();
        r.current = Some(Running { id, from });
        sim.borrow_mut().submit(&command);
    }
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub sim: SimRef,
    pub lessons: Lessons,
}

/// Share, Reset, export and the language switch.
#[function_component]
pub fn Toolbar(p: &ToolbarProps) -> Html {
    let lang = *p.lessons.lang;
    let share = {
        let sim = p.sim.clone();
        let notices = p.lessons.notices.clone();
        Callback::from(move |_: MouseEvent| {
            let link = sim.borrow().share_state().encode();
            glue::set_hash(&link);
            glue::copy(&glue::full_url());
            notices.set(vec![Notice {
                title: Msg::LinkInAddressBar,
                detail: Some(format!("{} {}", link.len(), t(lang, Msg::Characters))),
            }]);
        })
    };
    let reset = {
        let sim = p.sim.clone();
        let notices = p.lessons.notices.clone();
        let loads = p.lessons.loads.clone();
        Callback::from(move |_: MouseEvent| {
            if !glue::confirm(t(lang, Msg::ResetConfirm)) {
                return;
            }
            let (lesson, seed) = {
                let s = sim.borrow();
                (
                    s.lesson.as_ref().map(|l| (l.scenario.clone(), l.builtin)),
                    s.journal.seed,
                )
            };
            glue::remove(&current_key(&sim));
            let opened = match lesson {
                Some((sc, b)) => boot::start_scenario(sc, b),
                None => boot::start_free(seed),
            };
            sim.borrow_mut().load_opened(opened);
            glue::set_hash("");
            loads.set(*loads + 1);
            notices.set(vec![Notice {
                title: Msg::ResetDone,
                detail: None,
            }]);
        })
    };
    let on_lang = {
        let l = p.lessons.lang.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = Lang::from_tag(&sel.value());
            // Not kept when the storage is full: the choice holds until the page closes.
            let _ = glue::save("kubeplay.lang", v.as_str());
            l.set(v);
        })
    };
    let export_href = {
        let s = p.sim.borrow();
        s.lesson.as_ref().map(|l| {
            let script = export::bash_script(&l.scenario, lang);
            (
                format!(
                    "data:text/x-shellscript;charset=utf-8,{}",
                    String::from(js_sys::encode_uri_component(&script))
                ),
                format!("{}.sh", l.scenario.id),
            )
        })
    };
    html! {
        <div class="lesson-toolbar">
            <button class="btn share-btn" onclick={share}>{t(lang, Msg::Share)}</button>
            <button class="btn reset-btn" onclick={reset}>{t(lang, Msg::Reset)}</button>
            if let Some((href, name)) = export_href {
                <a class="btn export-btn" {href} download={name}>{t(lang, Msg::Export)}</a>
            }
            <label class="lang-switch">
                <span class="sr-only">{t(lang, Msg::Language)}</span>
                <select onchange={on_lang} aria-label={t(lang, Msg::Language)}>
                    <option value="en" selected={lang == Lang::En}>{"English"}</option>
                    <option value="ko" selected={lang == Lang::Ko}>{"한국어"}</option>
                </select>
            </label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub lessons: Lessons,
}

/// Messages for the learner (a bad link, a restored session...), each dismissable.
#[function_component]
pub fn Notices(p: &NoticesProps) -> Html {
    let lang = *p.lessons.lang;
    let list = (*p.lessons.notices).clone();
    if list.is_empty() {
        return html! {};
    }
    let dismiss = {
        let n = p.lessons.notices.clone();
        Callback::from(move |_: MouseEvent| n.set(vec![]))
    };
    let bad = list
        .iter()
        .any(|n| matches!(n.title, Msg::BadLink | Msg::NoLesson | Msg::BadSave));
    let failed_save = list.iter().any(|n| n.title == Msg::SaveFailed);
    // Notices come from opening the page: after a bad link the last session is either restored
    // (and kept) or there was none to restore (or it was unreadable), and the page starts afresh.
    let restored = list.iter().any(|n| n.title == Msg::Restored);
    html! {
        <div class={classes!("notices", (bad || failed_save).then_some("bad"))} role="alert">
            { for list.iter().map(|n| html! {
                <p class="notice">
                    <b>{t(lang, n.title)}</b>
                    if let Some(d) = &n.detail { {": "}<span class="notice-detail">{d.clone()}</span> }
                </p>
            }) }
            if bad {
                <p class="notice">{t(lang, if restored { Msg::KeptState } else { Msg::StartedFresh })}</p>
            }
            <button class="btn dismiss" onclick={dismiss}>{t(lang, Msg::Dismiss)}</button>
        </div>
    }
}

//! The lesson panel: the steps with their progress, the current step's text, hints one at a
//! time, the solution on request, and the checks, live as the cluster changes.

use crate::i18n::{t, Lang, Msg};
use crate::markdown;
use crate::sim::SimRef;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub sim: SimRef,
    /// The Sim's `lesson_version`: re-render when it moves.
    pub version: u64,
    pub lang: Lang,
}

#[function_component]
pub fn LessonPanel(p: &LessonPanelProps) -> Html {
    // Clicks change the lesson's state in the Sim; re-render for them at once.
    let force = use_force_update();
    let s = p.sim.borrow();
    let Some(l) = s.lesson.as_ref() else {
        return html! {};
    };
    let lang = p.lang;
    let sc = &l.scenario;
    let step = &sc.steps[l.step];
    let n = sc.steps.len();
    let done_count = l.done.iter().filter(|d| **d).count();

    let go = |i: usize| {
        let sim = p.sim.clone();
        let force = force.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(l) = sim.borrow_mut().lesson_mut() {
                l.go(i);
            }
            force.force_update();
        })
    };
    let hint = {
        let sim = p.sim.clone();
        let force = force.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(l) = sim.borrow_mut().lesson_mut() {
                l.show_hint();
            }
            force.force_update();
        })
    };
    let solution = {
        let sim = p.sim.clone();
        let force = force.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(l) = sim.borrow_mut().lesson_mut() {
                let i = l.step;
                l.solution_shown[i] = true;
            }
            force.force_update();
        })
    };
    let shown = l.hints_shown[l.step];
    let step_done = l.done[l.step];

    html! {
        <section class="pane lesson" aria-label={t(lang, Msg::Lesson)}>
            <header class="lesson-head">
                <h2 class="lesson-title">{sc.title.get(lang)}</h2>
                <div class="lesson-progress" role="progressbar"
                     aria-valuemin="0" aria-valuemax={n.to_string()} aria-valuenow={done_count.to_string()}>
                    <span class="lesson-count">{format!("{done_count}/{n}")}</span>
                    <ol class="lesson-steps">
                        { for sc.steps.iter().enumerate().map(|(i, st)| {
                            let class = classes!(
                                "lesson-dot",
                                l.done[i].then_some("done"),
                                (i == l.step).then_some("current"),
                            );
                            html! {
                                <li>
                                    <button {class} onclick={go(i)} title={st.title.get(lang).to_string()}
                                            aria-current={(i == l.step).then_some("step")}>
                                        {(i + 1).to_string()}
                                    </button>
                                </li>
                            }
                        }) }
                    </ol>
                </div>
            </header>
            <article class="lesson-body">
                <h3 class={classes!("step-title", step_done.then_some("done"))}>
                    {format!("{} {} {} {}: ", t(lang, Msg::Step), l.step + 1, t(lang, Msg::Of), n)}
                    {step.title.get(lang)}
                    if step_done { <span class="step-done">{" ✓ "}{t(lang, Msg::Done)}</span> }
                </h3>
                if l.step == 0 && !sc.description.get(lang).is_empty() {
                    <div class="lesson-desc">{markdown::render(sc.description.get(lang))}</div>
                }
                <div class="step-text">{markdown::render(step.text.get(lang))}</div>
                <div class="lesson-checks">
                    <h4>{t(lang, Msg::Checks)}</h4>
                    <ul>
                        { for l.results.iter().map(|c| {
                            let ok = c.result.passed;
                            html! {
                                <li class={classes!("check", if ok { "pass" } else { "fail" })}>
                                    <span class="check-mark" aria-label={t(lang, if ok { Msg::Passed } else { Msg::NotYet })}>
                                        {if ok { "✓" } else { "○" }}
                                    </span>
                                    {" "}{c.description.clone()}
                                    if !ok {
                                        <span class="check-detail">
                                            {format!(" ({} {}, {} {})", t(lang, Msg::Expected), c.result.expected, t(lang, Msg::Got), c.result.actual)}
                                        </span>
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                </div>
                <div class="lesson-hints">
                    { for step.hints.iter().take(shown).map(|h| html! {
                        <div class="hint"><b>{t(lang, Msg::Hint)}{": "}</b>{markdown::render(h.get(lang))}</div>
                    }) }
                    if shown < step.hints.len() {
                        <button class="btn hint-btn" onclick={hint}>{t(lang, Msg::NextHint)}</button>
                    } else if !l.solution_shown[l.step] && !step.solution.is_empty() {
                        <button class="btn solution-btn" onclick={solution}>{t(lang, Msg::ShowSolution)}</button>
                    }
                    if l.solution_shown[l.step] {
                        <pre class="md-code solution"><code>{step.solution_lines().join("\n")}</code></pre>
                    }
                </div>
                <nav class="lesson-nav">
                    <button class="btn" disabled={l.step == 0} onclick={go(l.step.saturating_sub(1))}>{t(lang, Msg::Prev)}</button>
                    <button class="btn primary" disabled={l.step + 1 >= n} onclick={go((l.step + 1).min(n - 1))}>{t(lang, Msg::Next)}</button>
                </nav>
                if l.complete() {
                    <p class="lesson-complete" role="status">{t(lang, Msg::LessonComplete)}</p>
                }
            </article>
        </section>
    }
}

//! `kubeplay lessons`, `kubeplay check` and `kubeplay export`: the scenario commands course
//! authors run in CI. Output is deterministic: same scenario, same bytes.

use kubeplay_lessons::scenario::Lang;
use kubeplay_lessons::{builtin, export, run, Scenario};
use std::process::ExitCode;

pub fn list(args: &[String]) -> ExitCode {
    let mut lang = Lang::En;
    if let Err(code) = parse(args, &mut lang, &mut false, &mut None, false) {
        return code;
    }
    for sc in builtin::all() {
        println!("{:<22} {}", sc.id, sc.title.get(lang));
    }
    ExitCode::SUCCESS
}

pub fn check(args: &[String]) -> ExitCode {
    let (mut lang, mut verbose, mut target) = (Lang::En, false, None);
    if let Err(code) = parse(args, &mut lang, &mut verbose, &mut target, true) {
        return code;
    }
    let sc = match load(target.as_deref().unwrap_or_default()) {
        Ok(sc) => sc,
        Err(code) => return code,
    };
    let report = run::check_scenario(&sc, lang);
    print!("{}", report.render(verbose));
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

pub fn export(args: &[String]) -> ExitCode {
    let (mut lang, mut target) = (Lang::En, None);
    if let Err(code) = parse(args, &mut lang, &mut false, &mut target, true) {
        return code;
    }
    match load(target.as_deref().unwrap_or_default()) {
        Ok(sc) => {
            print!("{}", export::bash_script(&sc, lang));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn parse(
    args: &[String],
    lang: &mut Lang,
    verbose: &mut bool,
    target: &mut Option<String>,
    want_target: bool,
) -> Result<(), ExitCode> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let l = match a.as_str() {
            "--lang" => it.next().map(String::as_str),
            s if s.starts_with("--lang=") => Some(&s[7..]),
            "--verbose" | "-v" => {
                *verbose = true;
                continue;
            }
            s if want_target && target.is_none() && !s.starts_with('-') => {
                *target = Some(s.to_string());
                continue;
            }
            _ => {
                eprint!("kubeplay: unexpected argument {a:?}\n{}", super::USAGE);
                return Err(ExitCode::from(2));
            }
        };
        match l {
            Some("en") => *lang = Lang::En,
            Some("ko") => *lang = Lang::Ko,
            _ => {
                eprintln!("kubeplay: --lang takes en or ko");
                return Err(ExitCode::from(2));
            }
        }
    }
    if want_target && target.is_none() {
        eprint!(
            "kubeplay: missing SCENARIO (a file, or lesson:<id>)\n{}",
            super::USAGE
        );
        return Err(ExitCode::from(2));
    }
    Ok(())
}

fn load(target: &str) -> Result<Scenario, ExitCode> {
    if let Some(id) = target.strip_prefix("lesson:") {
        return builtin::get(id).ok_or_else(|| {
            let ids: Vec<&str> = builtin::SOURCES.iter().map(|(i, _)| *i).collect();
            eprintln!(
                "kubeplay: no built-in lesson {id:?} (there are: {})",
                ids.join(", ")
            );
            ExitCode::from(2)
        });
    }
    let text = std::fs::read_to_string(target).map_err(|e| {
        eprintln!("kubeplay: cannot read {target}: {e}");
        ExitCode::from(2)
    })?;
    Scenario::from_yaml(&text).map_err(|e| {
        eprintln!("kubeplay: {target}: {e}");
        ExitCode::from(2)
    })
}

/// `kubeplay share SCENARIO`: play the solution as a learner would and print the share link
/// of the final state (the part after `#`).
pub fn share(args: &[String]) -> ExitCode {
    let (mut lang, mut target) = (Lang::En, None);
    if let Err(code) = parse(args, &mut lang, &mut false, &mut target, true) {
        return code;
    }
    let sc = match load(target.as_deref().unwrap_or_default()) {
        Ok(sc) => sc,
        Err(code) => return code,
    };
    let builtin = target.as_deref().unwrap_or_default().starts_with("lesson:");
    let mut pg = kubeplay_lessons::share::Playground::with_scenario(sc.clone(), builtin);
    for (i, st) in sc.steps.iter().enumerate() {
        pg.set_step(i);
        for l in st.solution_lines() {
            pg.feed_line(l);
            pg.run_until_idle();
        }
    }
    println!("{}", pg.share_link());
    ExitCode::SUCCESS
}

/// `kubeplay open LINK`: replay a share link and print its terminal history.
pub fn open(args: &[String]) -> ExitCode {
    let [link] = args else {
        eprint!("kubeplay: open takes one LINK\n{}", super::USAGE);
        return ExitCode::from(2);
    };
    let link = link.rsplit_once('#').map_or(link.as_str(), |(_, f)| f);
    match kubeplay_lessons::share::Playground::from_link(link) {
        Ok((pg, history)) => {
            if let Some(l) = &pg.state.lesson {
                let done: String = l.done.iter().map(|d| if *d { 'x' } else { '.' }).collect();
                println!("# lesson {} step {} done [{done}]", l.id, l.step + 1);
            }
            for h in history {
                match (h.line, h.cancelled) {
                    (Some(line), false) => println!("$ {line}"),
                    (Some(line), true) => print!("$ {line}"),
                    (None, _) => {}
                }
                for c in h.output {
                    print!("{}", c.text);
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kubeplay: {e}");
            ExitCode::from(2)
        }
    }
}

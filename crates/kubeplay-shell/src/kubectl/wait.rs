//! `kubectl wait --for=delete|create|condition=NAME[=VALUE]|jsonpath='{...}'[=VALUE]`: a
//! [`Waiter`] that checks the objects one after the other as virtual time passes, printing
//! `<type>/<name> condition met` for each, or failing at `--timeout` (default 30s).

use super::flags::{Flag, ALL_NAMESPACES, FILENAME, OUTPUT, SELECTOR};
use super::help::Doc;
use super::resource::{self, Scope};
use super::{fail, namespace_of, parse_flags, print_errors, Cx, Exec, VerbError, Waiter};
use crate::session::Output;
use kubeplay_api::registry::ResourceInfo;
use kubeplay_api::Object;
use kubeplay_core::time::Millis;
use kubeplay_core::World;
use serde_json::Value;

static DOC: Doc = Doc {
    path: "kubectl wait",
    long: "Wait until resources meet a condition, then print \"condition met\" for each; fail if the time runs out first.

--for=delete waits until the objects are gone; --for=create until they exist; --for=condition=NAME[=VALUE] until status.conditions has NAME with status VALUE (True when not given); --for=jsonpath='{EXPR}'=VALUE until the field has that value (or, without =VALUE, until it exists).",
    examples: "# Until the deployment is available\nkubectl wait --for=condition=Available deployment/web --timeout=60s\n\n# Until every pod labelled app=web is ready\nkubectl wait --for=condition=Ready pod -l app=web\n\n# Until a pod is gone\nkubectl delete pod web --wait=false\nkubectl wait --for=delete pod/web --timeout=60s\n\n# Until three replicas are ready\nkubectl wait --for=jsonpath='{.status.readyReplicas}'=3 deployment/web",
    usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
    subcommands: &[],
};

static FLAGS: &[Flag] = &[
    Flag::str("for", None),
    Flag::str("timeout", None).shows("30s"),
    FILENAME,
    Flag::bool("recursive", Some('R')).shows("true"),
    Flag::str("kustomize", Some('k')),
    SELECTOR,
    Flag::str("field-selector", None),
    Flag::bool("all", None),
    ALL_NAMESPACES,
    Flag::bool("local", None),
    OUTPUT,
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::bool("show-managed-fields", None),
];

const WEEK_MS: Millis = 7 * 24 * 3600 * 1000;

/// Go's `time.ParseDuration`, in milliseconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("time: invalid duration {s:?}");
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(bad());
        }
        let n: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let ms = match unit {
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            other => return Err(format!("time: unknown unit {other:?} in duration {s:?}")),
        };
        total += n * ms;
    }
    let v = total.round() as i64;
    Ok(if neg { -v } else { v })
}

#[derive(Clone, Debug)]
enum Cond {
    Delete,
    Create,
    Condition {
        name: String,
        status: String,
    },
    JsonPath {
        path: crate::print::jsonpath::JsonPath,
        value: Option<String>,
    },
}

fn parse_for(s: &str) -> Result<Cond, String> {
    let lower = s.to_lowercase();
    if lower == "delete" {
        return Ok(Cond::Delete);
    }
    if lower == "create" {
        return Ok(Cond::Create);
    }
    if let Some(c) = s.strip_prefix("condition=") {
        let (name, status) = match c.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (c.to_string(), "true".to_string()),
        };
        return Ok(Cond::Condition { name, status });
    }
    if let Some(j) = s.strip_prefix("jsonpath=") {
        let parts = split_jsonpath_input(j);
        if parts.is_empty() || parts.len() > 2 {
            return Err("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into());
        }
        // kubectl relaxes the expression (an empty one stays empty), checks the value, and
        // only then refuses an empty expression.
        let expr = if parts[0].is_empty() {
            String::new()
        } else {
            crate::print::jsonpath::relaxed(&parts[0])?
        };
        let value = match parts.get(1) {
            None => None,
            Some(v) => {
                let v = v.trim_matches(|c| c == '\'' || c == '"').to_string();
                if v.is_empty() {
                    return Err("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into());
                }
                Some(v)
            }
        };
        if expr.is_empty() {
            return Err("jsonpath expression cannot be empty".into());
        }
        let path = crate::print::jsonpath::JsonPath::parse(&expr)?;
        return Ok(Cond::JsonPath { path, value });
    }
    Err(format!("unrecognized condition: {s:?}"))
}

/// Split at a single `=` (not `==`).
fn split_jsonpath_input(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            let dbl = (i + 1 < b.len() && b[i + 1] == b'=') || (i > 0 && b[i - 1] == b'=');
            if !dbl {
                return vec![s[..i].to_string(), s[i + 1..].to_string()];
            }
        }
        i += 1;
    }
    vec![s.to_string()]
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let timeout = match a.str("timeout") {
        None => 30_000,
        Some(s) => match parse_duration(s) {
            Ok(t) if t < 0 => WEEK_MS,
            Ok(t) => t as Millis,
            Err(e) => {
                return fail(
                    cx.out,
                    format!("invalid argument {s:?} for \"--timeout\" flag: {e}\nSee 'kubectl wait --help' for usage."),
                )
            }
        },
    };
    let ns = namespace_of(cx, &a);
    let files = a.all("filename");
    let scope = Scope {
        files: &files,
        recursive: a.bool("recursive"),
        ns: &ns,
        enforce: a.namespace().is_some(),
        all_namespaces: a.bool("all-namespaces"),
    };
    let opts = resource::Options {
        selector: a.str("selector").map(String::from),
        all: a.bool("all"),
        allow_empty_selector: false,
    };
    let cond = match parse_for(a.str("for").unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return fail(cx.out, e),
    };
    let found = match resource::find(cx.world, cx.fs, &mut cx.stdin, &scope, &a.positional, &opts) {
        Ok(f) => f,
        Err(e) => return fail(cx.out, e),
    };
    let mut items = Vec::new();
    let mut errs = Vec::new();
    for f in found {
        match f.obj {
            Ok(o) => items.push(Item {
                info: f.info,
                ns: f.ns,
                name: f.name,
                uid: o.meta().uid.clone(),
            }),
            Err(VerbError::Api(e, _))
                if e.reason == kubeplay_api::Reason::NotFound
                    && matches!(cond, Cond::Delete | Cond::Create) =>
            {
                if matches!(cond, Cond::Create) {
                    items.push(Item {
                        info: f.info,
                        ns: f.ns,
                        name: f.name,
                        uid: None,
                    });
                }
            }
            Err(e) => errs.push(e),
        }
    }
    if !errs.is_empty() {
        return Exec::Done(print_errors(cx.out, &errs));
    }
    if items.is_empty() {
        if matches!(cond, Cond::Delete) {
            return Exec::Done(0);
        }
        return fail(cx.out, "no matching resources found");
    }
    let mut w = ConditionWaiter {
        items,
        cond,
        deadline: cx.world.now() + timeout,
    };
    match w.poll(cx.world, cx.out) {
        Some(code) => Exec::Done(code),
        None => Exec::Wait(Box::new(w)),
    }
}

struct Item {
    info: &'static ResourceInfo,
    ns: String,
    name: String,
    uid: Option<String>,
}

pub struct ConditionWaiter {
    items: Vec<Item>,
    cond: Cond,
    deadline: Millis,
}

impl ConditionWaiter {
    fn met(&self, world: &World, it: &Item) -> Result<bool, String> {
        let live = world.get_object(it.info.kind, &it.ns, &it.name).ok();
        Ok(match &self.cond {
            Cond::Delete => match live {
                None => true,
                Some(o) => it.uid.is_some() && o.meta().uid != it.uid,
            },
            Cond::Create => live.is_some(),
            Cond::Condition { name, status } => match live {
                None => false,
                Some(o) => condition_met(&o, name, status),
            },
            Cond::JsonPath { path, value } => match live {
                None => false,
                Some(o) => {
                    let v = super::output::object_value(&o);
                    // Missing keys are allowed: the field may not be there yet.
                    let Ok(results) = path.find_results(&v) else {
                        return Ok(false);
                    };
                    if results.is_empty() || results[0].is_empty() {
                        return Ok(false);
                    }
                    if results.len() > 1 {
                        return Err("given jsonpath expression matches more than one list".into());
                    }
                    if results[0].len() > 1 {
                        return Err("given jsonpath expression matches more than one value".into());
                    }
                    match value {
                        None => true,
                        Some(want) => match scalar_text(&results[0][0]) {
                            Some(t) => t.trim() == want.trim(),
                            None => return Err(
                                "jsonpath leads to a nested object or list which is not supported"
                                    .into(),
                            ),
                        },
                    }
                }
            },
        })
    }
}

fn condition_met(o: &Object, name: &str, status: &str) -> bool {
    let v = o.to_value();
    let Some(conds) = v.pointer("/status/conditions").and_then(Value::as_array) else {
        return false;
    };
    let generation = v.pointer("/metadata/generation").and_then(Value::as_i64);
    for c in conds {
        let ty = c.get("type").and_then(Value::as_str).unwrap_or("");
        if !ty.eq_ignore_ascii_case(name) {
            continue;
        }
        let Some(st) = c.get("status").and_then(Value::as_str) else {
            continue;
        };
        if let Some(g) = generation {
            let observed = c
                .get("observedGeneration")
                .and_then(Value::as_i64)
                .or_else(|| {
                    v.pointer("/status/observedGeneration")
                        .and_then(Value::as_i64)
                });
            if observed.is_some_and(|og| og < g) {
                return false;
            }
        }
        return st.eq_ignore_ascii_case(status);
    }
    false
}

impl Waiter for ConditionWaiter {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        while let Some(it) = self.items.first() {
            match self.met(world, it) {
                Ok(true) => {
                    out.out(format!(
                        "{}/{} condition met\n",
                        it.info.singular_group(),
                        it.name
                    ));
                    self.items.remove(0);
                }
                Ok(false) => {
                    if world.now() >= self.deadline {
                        out.err(format!(
                            "error: timed out waiting for the condition on {}/{}\n",
                            it.info.plural, it.name
                        ));
                        return Some(1);
                    }
                    return None;
                }
                Err(e) => {
                    out.err(format!("error: {e}\n"));
                    return Some(1);
                }
            }
        }
        Some(0)
    }
    fn wake_at(&self) -> Option<Millis> {
        Some(self.deadline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("30s"), Ok(30_000));
        assert_eq!(parse_duration("2m30s"), Ok(150_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(
            parse_duration("30"),
            Err("time: missing unit in duration \"30\"".into())
        );
    }

    #[test]
    fn for_conditions() {
        assert!(matches!(parse_for("delete"), Ok(Cond::Delete)));
        match parse_for("condition=Available").unwrap() {
            Cond::Condition { name, status } => {
                assert_eq!((name.as_str(), status.as_str()), ("Available", "true"))
            }
            _ => panic!(),
        }
        match parse_for("jsonpath={.status.readyReplicas}=3").unwrap() {
            Cond::JsonPath { path, value } => {
                assert_eq!(path.source(), "{.status.readyReplicas}");
                assert_eq!(value.as_deref(), Some("3"));
            }
            _ => panic!(),
        }
        assert_eq!(
            parse_for("ready").unwrap_err(),
            "unrecognized condition: \"ready\""
        );
    }
}

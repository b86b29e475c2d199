//! `kubectl diff -f FILE`: each object of the manifests as it is (LIVE) and as `kubectl apply`
//! would leave it (MERGED, from a server-side dry run of the same create or three-way patch),
//! written as YAML and compared the way kubectl runs `diff -u -N` over two temporary
//! directories. Exit status 0: no differences; 1: differences; 2: an error.

use super::apply::{apply_one, for_each_object};
use super::flags::{Flag, FILENAME, SELECTOR};
use super::help::Doc;
use super::output::{object_value, yaml};
use super::{parse_flags, print_errors, usage_error, Cx, DryRun, Exec, VerbError};
use kubeplay_api::Reason;
use rand_core::RngCore;
use serde_json::Value;

static DOC: Doc = Doc {
    path: "kubectl diff",
    long: "Diff configurations specified by file name or stdin between the current online configuration, and the configuration as it would be if applied.

 The output is always YAML.

 By default, the \"diff\" command available in your path will be run with the \"-u\" (unified diff) and \"-N\" (treat absent files as empty) options.

 Exit status: 0 No differences were found. 1 Differences were found. >1 Kubectl or diff failed with an error.",
    examples: "  # Diff resources included in pod.json\n  kubectl diff -f pod.json\n\n  # Diff file read from stdin\n  cat service.yaml | kubectl diff -f -",
    usage: "kubectl diff -f FILENAME [options]",
    subcommands: &[],
};

static FLAGS: &[Flag] = &[
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    SELECTOR,
    Flag::bool("server-side", None),
    Flag::bool("force-conflicts", None),
    Flag::str("field-manager", None).shows("'kubectl-client-side-apply'"),
    Flag::bool("prune", None),
    Flag::array("prune-allowlist", None),
    Flag::int("concurrency", None).shows("1"),
    Flag::bool("show-managed-fields", None),
];

/// kubectl's `CheckDiffErr`: an error's exit status is one more than usual, so that 1 keeps
/// meaning "differences found".
fn fail(cx: &mut Cx<'_>, msg: &str) -> Exec {
    print_errors(cx.out, &[VerbError::Msg(msg.into())]);
    Exec::Done(2)
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    if a.all("filename").is_empty() && a.str("kustomize").is_none() {
        return fail(cx, "must specify one of -f and -k");
    }
    if a.str("kustomize").is_some() {
        return fail(cx, "kustomize directories are not available in kubeplay");
    }
    let server_side = a.bool("server-side");
    if a.bool("force-conflicts") && !server_side {
        return fail(cx, "--force-conflicts only works with --server-side");
    }
    if !a.positional.is_empty() {
        let e = usage_error(
            cx.out,
            "kubectl diff",
            format!("Unexpected args: [{}]", a.positional.join(" ")),
        );
        return match e {
            Exec::Done(c) => Exec::Done(c + 1),
            e => e,
        };
    }
    if a.bool("prune") {
        return fail(cx, "--prune is not available in kubeplay");
    }
    // (file name, live YAML, merged YAML) per object.
    let mut pairs: Vec<(String, String, String)> = Vec::new();
    let walked = for_each_object(cx, &a, "diff", |cx, t| {
        let live = match cx.world.get_object(t.info.kind, t.ns, t.name) {
            Ok(o) => Some(object_value(&o)),
            Err(e) if e.reason == Reason::NotFound => None,
            Err(e) => return Err(VerbError::Api(e, None)),
        };
        let (mut merged, _) = apply_one(cx, &t, DryRun::Server, server_side, false)?;
        let mut live = live;
        if t.info.kind == kubeplay_api::Kind::Secret {
            mask_secrets(live.as_mut(), &mut merged);
        }
        let group = if t.info.group.is_empty() {
            String::new()
        } else {
            format!("{}.", t.info.group)
        };
        let kind = t.info.kind.as_str();
        let name = format!("{group}{}.{kind}.{}.{}", t.info.version, t.ns, t.name);
        pairs.push((
            name,
            live.map(|v| yaml(&v)).unwrap_or_default(),
            yaml(&merged),
        ));
        Ok(())
    });
    let (_, errs) = match walked {
        Ok(w) => w,
        Err(Exec::Done(code)) => return Exec::Done(code + 1),
        Err(e) => return e,
    };
    // kubectl stops at the first object it cannot diff, and runs no diff.
    if let Some(e) = errs.first() {
        print_errors(cx.out, std::slice::from_ref(e));
        return Exec::Done(2);
    }
    pairs.sort_by(|x, y| x.0.cmp(&y.0));
    // The temporary directories, named as Go's os.MkdirTemp names them.
    let live_dir = format!("/tmp/LIVE-{}", cx.world.rng().next_u32());
    let merged_dir = format!("/tmp/MERGED-{}", cx.world.rng().next_u32());
    let stamp = kubeplay_sh::diff::file_time(
        kubeplay_sh::EPOCH_UNIX_SECONDS * 1000 + cx.world.now() as i64,
    );
    let mut changed = false;
    for (name, live, merged) in &pairs {
        let hunks = kubeplay_sh::diff::unified(live, merged, 3);
        if hunks.is_empty() {
            continue;
        }
        changed = true;
        let (l, m) = (format!("{live_dir}/{name}"), format!("{merged_dir}/{name}"));
        cx.out.out(format!(
            "diff -u -N {l} {m}\n--- {l}\t{stamp}\n+++ {m}\t{stamp}\n{hunks}"
        ));
    }
    Exec::Done(i32::from(changed))
}

/// kubectl diff's masker: a Secret's `data` values print as `***`, or as `*** (before)` and
/// `*** (after)` where the value changes.
fn mask_secrets(live: Option<&mut Value>, merged: &mut Value) {
    let live_data = live
        .and_then(|l| l.get_mut("data"))
        .and_then(Value::as_object_mut);
    let merged_data = merged.get_mut("data").and_then(Value::as_object_mut);
    match (live_data, merged_data) {
        (Some(l), Some(m)) => {
            for (k, lv) in l.iter_mut() {
                match m.get_mut(k) {
                    Some(mv) if mv != lv => {
                        *lv = Value::String("*** (before)".into());
                        *mv = Value::String("*** (after)".into());
                    }
                    _ => *lv = Value::String("***".into()),
                }
            }
            for v in m.values_mut() {
                if !v.as_str().is_some_and(|s| s.starts_with("***")) {
                    *v = Value::String("***".into());
                }
            }
        }
        (l, m) => {
            for d in [l, m].into_iter().flatten() {
                for v in d.values_mut() {
                    *v = Value::String("***".into());
                }
            }
        }
    }
}

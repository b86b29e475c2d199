//! `kubectl delete`: by file, by type and name, by selector or `--all`; graceful or forced;
//! cascading in the background, in the foreground, or orphaning; and by default waiting,
//! in virtual time, until the objects are really gone.

use super::flags::{Flag, ALL_NAMESPACES, DRY_RUN, FILENAME, OUTPUT, SELECTOR};
use super::help::Doc;
use super::resource::{self, reference_doc, Request};
use super::{
    dry_run_of, fail, namespace_of, parse_flags, print_errors, Cx, DryRun, Exec, VerbError, Waiter,
};
use crate::session::Output;
use kubeplay_api::registry::ResourceInfo;
use kubeplay_api::{Kind, Reason};
use kubeplay_core::time::Millis;
use kubeplay_core::{DeleteOptions, Propagation, World};

static DOC: Doc = Doc {
    path: "kubectl delete",
    long: "Delete resources named by manifest files, by type and name, or by type and label selector.

Pods are stopped gracefully: they show Terminating until their grace period (30 seconds unless the pod says otherwise) has passed. --now shortens that to one second; --force --grace-period=0 removes them from the API at once, without waiting for the container to stop.

Objects that others own (a deployment's replica sets, their pods) are deleted with their owner unless --cascade=orphan is given.

By default delete waits until the objects are gone; --wait=false returns at once.",
    examples: "# What web.yaml created\nkubectl delete -f web.yaml\n\n# One pod, and two deployments\nkubectl delete pod web-0\nkubectl delete deploy/api deploy/worker\n\n# Every pod labelled app=web\nkubectl delete pods -l app=web\n\n# Every pod in the namespace, right now\nkubectl delete pods --all --force --grace-period=0\n\n# A deployment, leaving its pods running\nkubectl delete deployment web --cascade=orphan",
    usage: "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    subcommands: &[],
};

static FLAGS: &[Flag] = &[
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    SELECTOR,
    Flag::str("field-selector", None),
    Flag::bool("all", None),
    ALL_NAMESPACES,
    Flag::bool("force", None),
    Flag::str("cascade", None).with_no_opt("background"),
    Flag::bool("now", None),
    Flag::int("grace-period", None),
    Flag::str("timeout", None),
    Flag::bool("ignore-not-found", None),
    Flag::bool("wait", None).shows("true"),
    OUTPUT,
    Flag::str("raw", None),
    Flag::bool("interactive", Some('i')),
    DRY_RUN,
];

/// One object to delete.
struct Target {
    info: &'static ResourceInfo,
    ns: String,
    name: String,
    source: Option<String>,
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let propagation = match a.str("cascade").unwrap_or("background") {
        "background" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" => Propagation::Orphan,
        v @ ("1" | "t" | "T" | "true" | "TRUE" | "True") => {
            cx.out.err(format!("warning: --cascade={v} is deprecated (boolean value) and can be replaced with --cascade=background.\n"));
            Propagation::Background
        }
        v @ ("0" | "f" | "F" | "false" | "FALSE" | "False") => {
            cx.out.err(format!("warning: --cascade={v} is deprecated (boolean value) and can be replaced with --cascade=orphan.\n"));
            Propagation::Orphan
        }
        other => {
            return fail(
                cx.out,
                format!("invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""),
            )
        }
    };
    let all = a.bool("all");
    let selector = a.str("selector").map(String::from);
    let mut ignore_not_found = a.bool("ignore-not-found");
    if (all || selector.is_some() || a.has("field-selector")) && !a.has("ignore-not-found") {
        ignore_not_found = true;
    }
    let mut grace: i64 = a.int("grace-period").unwrap_or(-1);
    let force = a.bool("force");
    if a.bool("now") {
        if grace != -1 {
            return fail(
                cx.out,
                "--now and --grace-period cannot be specified together",
            );
        }
        grace = 1;
    }
    if grace == 0 && !force {
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let ns = namespace_of(cx, &a);
    let all_ns = a.bool("all-namespaces");
    let enforce = a.namespace().is_some();
    let files = a.all("filename");

    // The builder: resolve what to delete.
    let mut targets: Vec<Target> = Vec::new();
    let mut errs: Vec<VerbError> = Vec::new();
    let mut parse_errs: Vec<String> = Vec::new();
    if !files.is_empty() {
        if !a.positional.is_empty() {
            let named = a.positional.iter().any(|p| p.contains('/'));
            return fail(
                cx.out,
                if named {
                    "resource/name arguments cannot be provided when a path is specified"
                } else {
                    "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well"
                },
            );
        }
        let sources =
            match resource::read_sources(cx.fs, &mut cx.stdin, &files, a.bool("recursive")) {
                Ok(s) => s,
                Err(e) => return fail(cx.out, e),
            };
        // A file's documents before a syntax error are still deleted, then the error reported.
        let (docs, errs_after) = resource::documents_until_error(&sources);
        parse_errs = errs_after;
        for (source, doc) in docs {
            match reference_doc(&source, &doc) {
                Ok(mut obj) => {
                    if let Err(e) = resource::place_in_namespace(&mut obj, &ns, enforce) {
                        errs.push(e);
                        continue;
                    }
                    targets.push(Target {
                        info: obj.info(),
                        ns: obj.namespace().unwrap_or("").to_string(),
                        name: obj.name().to_string(),
                        source: Some(source),
                    });
                }
                Err(e) => errs.push(e),
            }
        }
    } else {
        let opts = resource::Options {
            selector: selector.clone(),
            all,
            allow_empty_selector: false,
        };
        match resource::resolve(&a.positional, &opts) {
            Ok(Request::Named(v)) => {
                if all_ns {
                    return fail(
                        cx.out,
                        "a resource cannot be retrieved by name across all namespaces",
                    );
                }
                for (info, name) in v {
                    targets.push(Target {
                        info,
                        ns: ns.clone(),
                        name,
                        source: None,
                    });
                }
            }
            Ok(Request::Bulk {
                types,
                selector: sel,
            }) => {
                for info in types {
                    let scope = if all_ns { None } else { Some(ns.as_str()) };
                    for o in resource::list(cx.world, info, scope, &sel) {
                        targets.push(Target {
                            info,
                            ns: o.namespace().unwrap_or("").to_string(),
                            name: o.name().to_string(),
                            source: None,
                        });
                    }
                }
            }
            Err(e) => return fail(cx.out, e),
        }
    }

    // Validate.
    let output = a.str("output").unwrap_or("");
    if !output.is_empty() && output != "name" {
        return fail(
            cx.out,
            format!("unexpected -o output mode: {output}. We only support '-o name'"),
        );
    }
    if all && selector.is_some() {
        return fail(cx.out, "cannot set --all and --selector at the same time");
    }
    if all && a.has("field-selector") {
        return fail(
            cx.out,
            "cannot set --all and --field-selector at the same time",
        );
    }
    if grace == 0 && force {
        cx.out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    } else if grace > 0 && force {
        return fail(
            cx.out,
            "--force and --grace-period greater than 0 cannot be specified together",
        );
    }
    if a.bool("interactive") {
        return fail(
            cx.out,
            "--interactive needs a terminal that can answer; kubeplay deletes without asking",
        );
    }

    // Delete.
    let mut warn_cluster_scope = enforce && !all_ns;
    let mut found = 0;
    let mut waiting: Vec<(Kind, String, String, String, String)> = Vec::new();
    for t in &targets {
        if warn_cluster_scope && !t.info.namespaced {
            cx.out.err("Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n");
            warn_cluster_scope = false;
        }
        // Named objects are visited without being fetched: they count as found, and a
        // client dry run prints them without asking the server.
        found += 1;
        if t.name.is_empty() {
            errs.push(VerbError::Msg("resource name may not be empty".into()));
            continue;
        }
        if dry == DryRun::Client {
            print_deleted(cx.out, t, grace, dry, output);
            continue;
        }
        let obj = match cx.world.get_object(t.info.kind, &t.ns, &t.name) {
            Ok(o) => o,
            Err(e) => {
                if !(ignore_not_found && e.reason == Reason::NotFound) {
                    errs.push(VerbError::Api(e, t.source.clone().map(|s| ("deleting", s))));
                }
                continue;
            }
        };
        if dry == DryRun::None {
            let opts = DeleteOptions {
                grace_period: (grace >= 0).then_some(grace),
                force,
                propagation,
            };
            if let Err(e) = cx.world.delete(t.info.kind, &t.ns, &t.name, opts) {
                errs.push(VerbError::Api(e, t.source.clone().map(|s| ("deleting", s))));
                continue;
            }
            waiting.push((
                t.info.kind,
                t.ns.clone(),
                t.name.clone(),
                obj.meta().uid.clone().unwrap_or_default(),
                format!("{}/{}", t.info.plural, t.name),
            ));
        }
        print_deleted(cx.out, t, grace, dry, output);
    }
    errs.extend(parse_errs.into_iter().map(VerbError::Msg));
    if !errs.is_empty() {
        return Exec::Done(print_errors(cx.out, &errs));
    }
    if found == 0 {
        cx.out.out("No resources found\n");
        return Exec::Done(0);
    }
    let wait = !a.has("wait") || a.bool("wait");
    if !wait || dry != DryRun::None {
        return Exec::Done(0);
    }
    let timeout = match a.str("timeout") {
        None => None,
        Some(s) => match super::wait::parse_duration(s) {
            Ok(ms) if ms <= 0 => None,
            Ok(ms) => Some(ms as Millis),
            Err(e) => return fail(cx.out, e),
        },
    };
    let mut w = GoneWaiter {
        objects: waiting,
        deadline: timeout.map(|t| cx.world.now() + t),
    };
    match w.poll(cx.world, cx.out) {
        Some(code) => Exec::Done(code),
        None => Exec::Wait(Box::new(w)),
    }
}

/// `DeleteOptions.PrintObj`: kubectl 1.34 names the namespace of namespaced objects.
fn print_deleted(out: &mut Output, t: &Target, grace: i64, dry: DryRun, output: &str) {
    let kind = t.info.singular_group();
    if output == "name" {
        out.out(format!("{kind}/{}\n", t.name));
        return;
    }
    let mut op = if grace == 0 {
        "force deleted".to_string()
    } else {
        "deleted".to_string()
    };
    if t.info.namespaced {
        op = format!("{op} from {} namespace", t.ns);
    }
    op.push_str(dry.suffix());
    out.out(format!("{kind} \"{}\" {op}\n", t.name));
}

/// Waits until every deleted object is gone (or was replaced by a new one of the same name).
pub struct GoneWaiter {
    /// kind, namespace, name, uid, `pods/x` for the timeout message.
    objects: Vec<(Kind, String, String, String, String)>,
    deadline: Option<Millis>,
}

impl Waiter for GoneWaiter {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        self.objects.retain(|(kind, ns, name, uid, _)| {
            matches!(world.get_object(*kind, ns, name), Ok(o) if o.meta().uid.as_deref() == Some(uid.as_str()))
        });
        if self.objects.is_empty() {
            return Some(0);
        }
        if let Some(d) = self.deadline {
            if world.now() >= d {
                let (_, _, _, _, what) = &self.objects[0];
                out.err(format!(
                    "error: timed out waiting for the condition on {what}\n"
                ));
                return Some(1);
            }
        }
        None
    }
    fn wake_at(&self) -> Option<Millis> {
        self.deadline
    }
}

//! `kubectl replace -f FILE`: put the manifest in place of the live object (an HTTP PUT), or
//! with `--force` delete the object and create it again.

use super::create::set_last_applied;
use super::flags::{Flag, DRY_RUN, FILENAME, OUTPUT};
use super::help::Doc;
use super::output::{self, object_value, print_result, separate};
use super::resource::{self, place_in_namespace};
use super::{
    dry_run_of, fail, namespace_of, parse_flags, print_errors, usage_error, Cx, DryRun, Exec,
    VerbError,
};
use kubeplay_api::Object;
use kubeplay_core::{DeleteOptions, Propagation};

static DOC: Doc = Doc {
    path: "kubectl replace",
    long: "Replace objects with the ones in manifests. The manifest is the whole new object: fields it leaves out are gone afterwards (unlike apply, which merges). The object must exist.

With --force the object is deleted and created again, which also works for fields that cannot be changed in place.",
    examples: "# Replace a pod with what pod.yaml says\nkubectl replace -f pod.yaml\n\n# Change a live object through a file\nkubectl get deploy web -o yaml > web.yaml\nkubectl replace -f web.yaml\n\n# Delete and create again\nkubectl replace --force -f pod.yaml",
    usage: "kubectl replace -f FILENAME [options]",
    subcommands: &[],
};

static FLAGS: &[Flag] = &[
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    OUTPUT,
    DRY_RUN,
    Flag::bool("force", None),
    Flag::int("grace-period", None),
    Flag::str("cascade", None).with_no_opt("background"),
    Flag::str("timeout", None),
    Flag::bool("wait", None),
    Flag::bool("save-config", None),
    Flag::str("validate", None).with_no_opt("strict"),
    Flag::str("field-manager", None),
    Flag::str("raw", None),
    Flag::str("subresource", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::bool("show-managed-fields", None),
];

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let files = a.all("filename");
    if files.is_empty() {
        return fail(cx.out, "must specify one of -f and -k");
    }
    if !a.positional.is_empty() {
        return usage_error(
            cx.out,
            "kubectl replace",
            format!("Unexpected args: [{}]", a.positional.join(" ")),
        );
    }
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let validation = match super::validation_of(&a) {
        Ok(v) => v,
        Err(e) => return fail(cx.out, e),
    };
    let force = a.bool("force");
    if force && dry != DryRun::None {
        return fail(cx.out, "--dry-run can not be used when --force is set");
    }
    let format = output::format_of(&a);
    if let Err(e) = output::check_format(&format) {
        return fail(cx.out, e);
    }
    let ns = namespace_of(cx, &a);
    let enforce = a.namespace().is_some();
    let sources = match resource::read_sources(cx.fs, &mut cx.stdin, &files, a.bool("recursive")) {
        Ok(s) => s,
        Err(e) => return fail(cx.out, e),
    };
    // A file's documents before a syntax error are still replaced, then the error reported.
    let (docs, parse_errs) = resource::documents_until_error(&sources);
    let mut errs = Vec::new();
    let mut count = 0;
    let mut objs: Vec<(String, Object, Vec<String>, serde_json::Value)> = Vec::new();
    // One printer for every object: YAML separates them.
    let mut printed = 0;
    for (source, doc) in docs {
        let (mut obj, warnings) =
            match resource::decode_for_write(&source, &doc, validation, dry == DryRun::Client) {
                Ok(o) => o,
                Err(VerbError::Api(e, _)) => {
                    errs.push(VerbError::Api(e, Some(("replacing", source.clone()))));
                    continue;
                }
                Err(e) => {
                    errs.push(e);
                    continue;
                }
            };
        count += 1;
        if let Err(e) = place_in_namespace(&mut obj, &ns, enforce) {
            errs.push(e);
            continue;
        }
        if a.bool("save-config") {
            set_last_applied(&mut obj, &doc);
        }
        objs.push((source, obj, warnings, doc));
    }
    if force {
        // Delete everything first (printing as delete does), then create it again.
        let grace = a.int("grace-period").unwrap_or(-1);
        for (source, obj, _, _) in &objs {
            let info = obj.info();
            let ons = obj.namespace().unwrap_or("").to_string();
            match cx.world.delete(
                info.kind,
                &ons,
                obj.name(),
                DeleteOptions {
                    grace_period: Some(if grace < 0 { 0 } else { grace }),
                    force: true,
                    propagation: Propagation::Background,
                },
            ) {
                Ok(_) => {
                    let mut op = "deleted".to_string();
                    if info.namespaced {
                        op = format!("{op} from {ons} namespace");
                    }
                    cx.out.out(format!(
                        "{} \"{}\" {op}\n",
                        info.singular_group(),
                        obj.name()
                    ));
                }
                Err(e) if e.reason == kubeplay_api::Reason::NotFound => {}
                Err(e) => errs.push(VerbError::Api(e, Some(("deleting", source.clone())))),
            }
        }
        for (source, obj, warnings, _) in objs {
            let info = obj.info();
            resource::print_warnings(cx.out, &warnings);
            match cx.world.create_checked(obj, false) {
                Ok(o) => {
                    separate(cx, &format, &mut printed);
                    print_result(cx, info, &object_value(&o), "replaced", &format)
                }
                Err(e) => errs.push(VerbError::Api(e, Some(("replacing", source)))),
            }
        }
    } else {
        for (source, obj, warnings, doc) in objs {
            let info = obj.info();
            let result = if dry == DryRun::Client {
                Ok(super::output::client_view(&doc, &obj))
            } else if let Some(e) = stale(cx, &obj) {
                Err(e)
            } else {
                resource::print_warnings(cx.out, &warnings);
                cx.world
                    .update(obj, dry == DryRun::Server)
                    .map(|(o, _)| object_value(&o))
            };
            match result {
                Ok(shown) => {
                    separate(cx, &format, &mut printed);
                    print_result(
                        cx,
                        info,
                        &shown,
                        &format!("replaced{}", dry.suffix()),
                        &format,
                    )
                }
                Err(e) => errs.push(VerbError::Api(e, Some(("replacing", source)))),
            }
        }
    }
    errs.extend(parse_errs.into_iter().map(VerbError::Msg));
    if count == 0 && errs.is_empty() {
        errs.push(VerbError::Msg("no objects passed to replace".into()));
    }
    Exec::Done(print_errors(cx.out, &errs))
}

/// A PUT that names a resourceVersion is a precondition: if the object changed since, the
/// API server refuses it (optimistic concurrency).
fn stale(cx: &Cx<'_>, obj: &Object) -> Option<kubeplay_api::ApiError> {
    let want = obj
        .meta()
        .resource_version
        .as_deref()
        .filter(|v| !v.is_empty())?;
    let info = obj.info();
    let live = cx
        .world
        .get_object(info.kind, obj.namespace().unwrap_or(""), obj.name())
        .ok()?;
    if live.meta().resource_version.as_deref() == Some(want) {
        return None;
    }
    Some(kubeplay_api::ApiError::new(
        kubeplay_api::Reason::Conflict,
        format!(
            "Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
            info.plural_group(),
            obj.name()
        ),
    ))
}

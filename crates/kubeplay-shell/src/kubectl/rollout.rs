//! `kubectl rollout status|history|undo|pause|resume|restart` for Deployments
//! (KUBECTL:pkg/cmd/rollout, pkg/polymorphichelpers). Rollback is done client side as modern
//! kubectl does it: the target ReplicaSet's template is patched into the Deployment.

use super::flags::{Flag, DRY_RUN, OUTPUT};
use super::help::Doc;
use super::{dry_run_of, fail, namespace_of, parse_flags, Cx, DryRun, Exec, Waiter};
use crate::session::Output;
use kubeplay_api::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use kubeplay_api::k8s_openapi::api::core::v1::PodTemplateSpec;
use kubeplay_api::{registry, ApiError, Kind, Object};
use kubeplay_core::controllers::deployment::{
    revision, template_without_hash, LAST_APPLIED, SKIP_COPY,
};
use kubeplay_core::time::Millis;
use kubeplay_core::World;
use kubeplay_sort::Collect as _;
use std::collections::BTreeMap;

const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

static ROLLOUT_DOC: Doc = Doc {
    path: "kubectl rollout",
    long: "Manage the rollout of one or many resources.\n\n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets",
    examples: "  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n\n  # Check the rollout status of a daemonset\n  kubectl rollout status daemonset/foo\n\n  # Restart a deployment\n  kubectl rollout restart deployment/abc\n\n  # Restart deployments with the 'app=nginx' label\n  kubectl rollout restart deployment --selector=app=nginx",
    usage: "kubectl rollout SUBCOMMAND [options]",
    subcommands: &[
        ("history", "View rollout history"),
        ("pause", "Mark the provided resource as paused"),
        ("restart", "Restart a resource"),
        ("resume", "Resume a paused resource"),
        ("status", "Show the status of the rollout"),
        ("undo", "Undo a previous rollout"),
    ],
};

static STATUS_DOC: Doc = Doc {
    path: "kubectl rollout status",
    long: "Show the status of the rollout.\n\n By default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.",
    examples: "  # Watch the rollout status of a deployment\n  kubectl rollout status deployment/nginx",
    usage: "kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
    subcommands: &[],
};
static HISTORY_DOC: Doc = Doc {
    path: "kubectl rollout history",
    long: "View previous rollout revisions and configurations.",
    examples: "  # View the rollout history of a deployment\n  kubectl rollout history deployment/abc\n\n  # View the details of daemonset revision 3\n  kubectl rollout history daemonset/abc --revision=3",
    usage: "kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
    subcommands: &[],
};
static UNDO_DOC: Doc = Doc {
    path: "kubectl rollout undo",
    long: "Roll back to a previous rollout.",
    examples: "  # Roll back to the previous deployment\n  kubectl rollout undo deployment/abc\n\n  # Roll back to daemonset revision 3\n  kubectl rollout undo daemonset/abc --to-revision=3\n\n  # Roll back to the previous deployment with dry-run\n  kubectl rollout undo --dry-run=server deployment/abc",
    usage: "kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
    subcommands: &[],
};
static PAUSE_DOC: Doc = Doc {
    path: "kubectl rollout pause",
    long: "Mark the provided resource as paused.\n\n Paused resources will not be reconciled by a controller. Use \"kubectl rollout resume\" to resume a paused resource. Currently only deployments support being paused.",
    examples: "  # Mark the nginx deployment as paused\n  # Any current state of the deployment will continue its function; new updates\n  # to the deployment will not have an effect as long as the deployment is paused\n  kubectl rollout pause deployment/nginx",
    usage: "kubectl rollout pause RESOURCE",
    subcommands: &[],
};
static RESUME_DOC: Doc = Doc {
    path: "kubectl rollout resume",
    long: "Resume a paused resource.\n\n Paused resources will not be reconciled by a controller. By resuming a resource, we allow it to be reconciled again. Currently only deployments support being resumed.",
    examples: "  # Resume an already paused deployment\n  kubectl rollout resume deployment/nginx",
    usage: "kubectl rollout resume RESOURCE",
    subcommands: &[],
};
static RESTART_DOC: Doc = Doc {
    path: "kubectl rollout restart",
    long: "Restart a resource.\n\n        Resource rollout will be restarted.",
    examples: "  # Restart all deployments in the test-namespace namespace\n  kubectl rollout restart deployment -n test-namespace\n\n  # Restart a deployment\n  kubectl rollout restart deployment/nginx",
    usage: "kubectl rollout restart RESOURCE",
    subcommands: &[],
};

static STATUS_FLAGS: &[Flag] = &[
    Flag::str("watch", Some('w'))
        .with_no_opt("true")
        .shows("true"),
    Flag::int("revision", None),
    Flag::str("timeout", None),
    Flag::slice("filename", Some('f')),
    Flag::str("selector", Some('l')),
];
static HISTORY_FLAGS: &[Flag] = &[
    Flag::int("revision", None),
    OUTPUT,
    Flag::slice("filename", Some('f')),
    Flag::str("selector", Some('l')),
];
static UNDO_FLAGS: &[Flag] = &[
    Flag::int("to-revision", None),
    DRY_RUN,
    OUTPUT,
    Flag::slice("filename", Some('f')),
    Flag::str("selector", Some('l')),
];
static SIMPLE_FLAGS: &[Flag] = &[
    OUTPUT,
    Flag::slice("filename", Some('f')),
    Flag::str("selector", Some('l')),
    Flag::str("field-manager", None),
];

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (Some(word), rest) = super::find_command(args, &[]) else {
        return match parse_flags(cx, &ROLLOUT_DOC, &[], args) {
            Ok(_) => {
                cx.out.out(super::help::render(&ROLLOUT_DOC, &[]));
                Exec::Done(0)
            }
            Err(e) => e,
        };
    };
    match word.as_str() {
        "status" => status(cx, &rest),
        "history" => history(cx, &rest),
        "undo" => undo(cx, &rest),
        "pause" => pause_resume(cx, &rest, true),
        "resume" => pause_resume(cx, &rest, false),
        "restart" => restart(cx, &rest),
        _ => super::unknown_subcommand(cx.out, "kubectl rollout", args),
    }
}

/// The one Deployment a rollout command names (`deployment/x`, `deployment x` or `-f FILE`).
fn target(cx: &mut Cx<'_>, a: &super::flags::Args, verb: &str) -> Result<String, Exec> {
    let files = a.all("filename");
    let named = if !files.is_empty() {
        let objs = super::resource::referenced(cx.fs, &mut cx.stdin, &files, a.bool("recursive"))
            .map_err(|e| fail(cx.out, e))?;
        objs.first().map(|(o, _)| (o.info(), o.name().to_string()))
    } else if a.positional.is_empty() {
        None
    } else {
        match super::resource::resolve(&a.positional, &Default::default()) {
            Ok(super::resource::Request::Named(v)) => v.into_iter().next(),
            Ok(_) => None,
            Err(e) => return Err(fail(cx.out, e)),
        }
    };
    let Some((info, name)) = named else {
        return Err(fail(cx.out, "required resource not specified"));
    };
    if info.kind != Kind::Deployment {
        // The builder fetched the object first: a missing one is NotFound, whatever its kind.
        let ns = namespace_of(cx, a);
        if let Err(e) = cx.world.get_object(info.kind, &ns, &name) {
            return Err(not_found(cx, &e));
        }
        return Err(fail(cx.out, unsupported(verb, info, &name)));
    }
    Ok(name)
}

/// What kubectl's polymorphic helpers say when `rollout VERB` meets a kind it cannot roll out.
/// Status names the GroupKind (`ReplicaSet.apps`); history and undo go through a kind visitor
/// that knows Pods and ReplicaSets (and has nothing for them) but reports any other kind
/// itself, as a bare struct (`{ Secret}`); pause, resume and restart name the object.
fn unsupported(verb: &str, info: &kubeplay_api::registry::ResourceInfo, name: &str) -> String {
    let (kind, group) = (info.kind.as_str(), info.group);
    let (group_kind, resource) = if group.is_empty() {
        (kind.to_string(), info.plural.to_string())
    } else {
        (
            format!("{kind}.{group}"),
            format!("{}.{group}", info.plural),
        )
    };
    let visited = matches!(info.kind, Kind::Pod | Kind::ReplicaSet);
    let (helper, what) = match verb {
        "status" => return format!("no status viewer has been implemented for {group_kind}"),
        "history" => ("history viewer", "history"),
        "undo" => ("rollbacker", "rollbacker"),
        "pause" => return format!("{resource} {name:?} pausing is not supported"),
        "resume" => return format!("{resource} {name:?} resuming is not supported"),
        _ => return format!("{resource} {name:?} restarting is not supported"),
    };
    if visited {
        format!("no {helper} has been implemented for {group_kind:?}")
    } else {
        format!("error retrieving {what} for {group_kind:?}, no visitor method exists for {{{group} {kind}}}")
    }
}

fn get_deployment(world: &World, ns: &str, name: &str) -> Result<Deployment, ApiError> {
    match world.get_object(Kind::Deployment, ns, name)? {
        Object::Deployment(d) => Ok(*d),
        _ => unreachable!("the store keeps kinds apart"),
    }
}

fn not_found(cx: &mut Cx<'_>, e: &ApiError) -> Exec {
    super::print_api_error(cx.out, e, None);
    Exec::Done(1)
}

/// The ReplicaSets a Deployment controls, by revision.
fn history_of(world: &World, d: &Deployment) -> BTreeMap<i64, ReplicaSet> {
    world
        .replicasets_of(d)
        .into_iter()
        .map(|rs| (revision(&rs.metadata), rs.clone()))
        .collect_map()
}

// ----- status -----

/// `DeploymentStatusViewer.Status`: the line for the current state and whether it is done.
pub fn status_line(d: &Deployment, want_revision: i64) -> Result<(String, bool), String> {
    let name = d.metadata.name.as_deref().unwrap_or("");
    if want_revision > 0 {
        let rev = revision(&d.metadata);
        if rev != want_revision {
            return Err(format!(
                "desired revision ({want_revision}) is different from the running revision ({rev})"
            ));
        }
    }
    let st = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) <= st.observed_generation.unwrap_or(0) {
        let stuck = st.conditions.iter().flatten().any(|c| {
            c.type_.as_deref() == Some("Progressing")
                && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
        });
        if stuck {
            return Err(format!(
                "deployment \"{name}\" exceeded its progress deadline"
            ));
        }
        let updated = st.updated_replicas.unwrap_or(0);
        let replicas = st.replicas.unwrap_or(0);
        let available = st.available_replicas.unwrap_or(0);
        if let Some(want) = d.spec.replicas {
            if updated < want {
                return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {want} new replicas have been updated...\n"), false));
            }
        }
        if replicas > updated {
            return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n", replicas - updated), false));
        }
        if available < updated {
            return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"), false));
        }
        return Ok((
            format!("deployment \"{name}\" successfully rolled out\n"),
            true,
        ));
    }
    Ok((
        "Waiting for deployment spec update to be observed...\n".to_string(),
        false,
    ))
}

struct StatusWatch {
    ns: String,
    name: String,
    revision: i64,
    deadline: Option<Millis>,
    /// The resourceVersion last printed for: kubectl prints on every watch event.
    seen: Option<String>,
}

impl Waiter for StatusWatch {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        let Ok(d) = get_deployment(world, &self.ns, &self.name) else {
            out.err("error: object has been deleted\n");
            return Some(1);
        };
        if self.seen.as_ref() != d.metadata.resource_version.as_ref() {
            self.seen = d.metadata.resource_version.clone();
            match status_line(&d, self.revision) {
                Ok((line, done)) => {
                    out.out(line);
                    if done {
                        return Some(0);
                    }
                }
                Err(e) => {
                    out.err(format!("error: {e}\n"));
                    return Some(1);
                }
            }
        }
        if self.deadline.is_some_and(|t| world.now() >= t) {
            out.err("error: timed out waiting for the condition\n");
            return Some(1);
        }
        None
    }
    fn wake_at(&self) -> Option<Millis> {
        self.deadline
    }
}

/// A Go duration (`90s`, `1m30s`, `2h`, `500ms`, `0`), in milliseconds.
pub fn parse_duration(s: &str) -> Option<Millis> {
    if s == "0" {
        return Some(0);
    }
    let mut total = 0f64;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        let v: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let (mult, len) = if rest.starts_with("ms") {
            (1.0, 2)
        } else if rest.starts_with('h') {
            (3_600_000.0, 1)
        } else if rest.starts_with('m') {
            (60_000.0, 1)
        } else if rest.starts_with('s') {
            (1000.0, 1)
        } else {
            return None;
        };
        total += v * mult;
        rest = &rest[len..];
    }
    Some(total as Millis)
}

fn status(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &STATUS_DOC, STATUS_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let watch = match a.str("watch") {
        None => true,
        Some(v) => match v {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => true,
            "0" | "f" | "F" | "false" | "FALSE" | "False" => false,
            other => {
                return fail(
                    cx.out,
                    format!("invalid argument \"{other}\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"{other}\": invalid syntax\nSee 'kubectl rollout status --help' for usage."),
                )
            }
        },
    };
    let timeout = match a.str("timeout") {
        None => None,
        Some(t) => match parse_duration(t) {
            Some(0) => None,
            Some(ms) => Some(ms),
            None => {
                return fail(
                    cx.out,
                    format!("invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\"\nSee 'kubectl rollout status --help' for usage."),
                )
            }
        },
    };
    let revision = a.int("revision").unwrap_or(0);
    if revision < 0 {
        return fail(cx.out, "revision must be a positive integer");
    }
    let name = match target(cx, &a, "status") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let d = match get_deployment(cx.world, &ns, &name) {
        Ok(d) => d,
        Err(e) => return not_found(cx, &e),
    };
    if !watch {
        return match status_line(&d, revision) {
            Ok((line, _)) => {
                cx.out.out(line);
                Exec::Done(0)
            }
            Err(e) => fail(cx.out, e),
        };
    }
    let mut w = StatusWatch {
        ns,
        name,
        revision,
        deadline: timeout.map(|t| cx.world.now() + t),
        seen: None,
    };
    match w.poll(cx.world, cx.out) {
        Some(code) => Exec::Done(code),
        None => Exec::Wait(Box::new(w)),
    }
}

// ----- history -----

fn history(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &HISTORY_DOC, HISTORY_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let revision = a.int("revision").unwrap_or(0);
    if revision < 0 {
        return fail(
            cx.out,
            format!("revision must be a positive integer: {revision}"),
        );
    }
    let name = match target(cx, &a, "history") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let d = match get_deployment(cx.world, &ns, &name) {
        Ok(d) => d,
        Err(e) => return not_found(cx, &e),
    };
    let hist = history_of(cx.world, &d);
    let format = a.str("output").unwrap_or("").to_string();
    if !format.is_empty() {
        let items: Vec<&ReplicaSet> = if revision > 0 {
            match hist.get(&revision) {
                Some(rs) => vec![rs],
                None => return fail(cx.out, format!("unable to find the specified revision")),
            }
        } else {
            hist.values().collect()
        };
        let info = registry::info(Kind::ReplicaSet);
        for rs in items {
            let v = super::output::object_value(&Object::from(rs.clone()));
            super::output::print_result(cx, info, &v, "", &format);
        }
        return Exec::Done(0);
    }
    if revision > 0 {
        let Some(rs) = hist.get(&revision) else {
            return fail(cx.out, "unable to find the specified revision");
        };
        let mut t = rs.spec.template.clone().unwrap_or_default();
        // The revision's change-cause shows as a template annotation.
        if let Some(cause) = rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(super::CHANGE_CAUSE))
        {
            t.metadata
                .get_or_insert_with(Default::default)
                .annotations
                .get_or_insert_with(BTreeMap::new)
                .insert(super::CHANGE_CAUSE.into(), cause.clone());
        }
        cx.out.out(format!(
            "deployment.apps/{name} with revision #{revision}\n{}\n",
            describe_pod_template(&t)
        ));
        return Exec::Done(0);
    }
    if hist.is_empty() {
        cx.out.out("No rollout history found.\n");
        return Exec::Done(0);
    }
    let rows: Vec<(String, String)> = hist
        .iter()
        .map(|(rev, rs)| {
            let cause = rs
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(super::CHANGE_CAUSE))
                .cloned()
                .unwrap_or_else(|| "<none>".into());
            (rev.to_string(), cause)
        })
        .collect();
    let width = rows
        .iter()
        .map(|(r, _)| r.len())
        .chain(std::iter::once("REVISION".len()))
        .max()
        .unwrap_or(8)
        + 2;
    let mut s = format!("deployment.apps/{name} \n");
    s.push_str(&format!("{:<width$}{}\n", "REVISION", "CHANGE-CAUSE"));
    for (r, c) in rows {
        s.push_str(&format!("{r:<width$}{c}\n"));
    }
    s.push('\n');
    cx.out.out(s);
    Exec::Done(0)
}

/// `describe.DescribePodTemplate` through a plain prefix writer (tabs stay tabs).
pub fn describe_pod_template(t: &PodTemplateSpec) -> String {
    super::describe::pod_template_raw(t)
}

// ----- undo -----

fn undo(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &UNDO_DOC, UNDO_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let to = a.int("to-revision").unwrap_or(0);
    let name = match target(cx, &a, "undo") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let d = match get_deployment(cx.world, &ns, &name) {
        Ok(d) => d,
        Err(e) => return not_found(cx, &e),
    };
    let hist = history_of(cx.world, &d);
    let target_rs = if to < 0 {
        return fail(
            cx.out,
            format!("unable to find specified revision {to} in history"),
        );
    } else if to > 0 {
        match hist.get(&to) {
            Some(rs) => rs.clone(),
            None => {
                return fail(
                    cx.out,
                    format!("unable to find specified revision {to} in history"),
                )
            }
        }
    } else {
        // The previous revision: the second highest.
        let mut revs: Vec<&i64> = hist.keys().collect();
        kubeplay_sort::sort(&mut revs);
        match revs.len() {
            0 | 1 => {
                return fail(
                    cx.out,
                    format!("no rollout history found for deployment \"{name}\""),
                )
            }
            n => hist[revs[n - 2]].clone(),
        }
    };
    let template = template_without_hash(&target_rs.spec.template.clone().unwrap_or_default());
    if dry == DryRun::Client {
        cx.out
            .out(format!("{}\n", describe_pod_template(&template)));
        return Exec::Done(0);
    }
    if d.spec.paused == Some(true) {
        return fail(cx.out, "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    }
    if template_without_hash(&d.spec.template) == template {
        cx.out.out(format!(
            "deployment.apps/{name} skipped rollback (current template already matches revision {to})\n"
        ));
        return Exec::Done(0);
    }
    let had_last_applied = d
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(LAST_APPLIED));
    if had_last_applied {
        cx.out.err(format!("Warning: resource deployments/{name} was previously managed with 'kubectl apply'. Rolling back will not update the kubectl.kubernetes.io/last-applied-configuration annotation, which may cause unexpected behavior on future 'kubectl apply' operations. Consider using 'kubectl apply' with your previous configuration file instead.\n"));
    }
    let mut nd = d.clone();
    nd.spec.template = template;
    // Annotations: the Deployment's own bookkeeping ones, the rest from the revision.
    let mut ann: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if SKIP_COPY.contains(&k.as_str()) {
            ann.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in target_rs.metadata.annotations.iter().flatten() {
        if !SKIP_COPY.contains(&k.as_str()) {
            ann.insert(k.clone(), v.clone());
        }
    }
    nd.metadata.annotations = (!ann.is_empty()).then_some(ann);
    match cx.world.update(nd.into(), dry == DryRun::Server) {
        Ok(_) => {
            cx.out.out(format!(
                "deployment.apps/{name} rolled back{}\n",
                dry.suffix()
            ));
            Exec::Done(0)
        }
        Err(e) => {
            super::print_api_error(cx.out, &e, None);
            Exec::Done(1)
        }
    }
}

// ----- pause, resume, restart -----

fn pause_resume(cx: &mut Cx<'_>, args: &[String], pause: bool) -> Exec {
    let doc = if pause { &PAUSE_DOC } else { &RESUME_DOC };
    let a = match parse_flags(cx, doc, SIMPLE_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let name = match target(cx, &a, if pause { "pause" } else { "resume" }) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let mut d = match get_deployment(cx.world, &ns, &name) {
        Ok(d) => d,
        Err(e) => return not_found(cx, &e),
    };
    let paused = d.spec.paused == Some(true);
    if pause == paused {
        let what = if pause {
            "is already paused"
        } else {
            "is not paused"
        };
        return fail(cx.out, format!("deployments.apps \"{name}\" {what}"));
    }
    d.spec.paused = pause.then_some(true);
    finish(cx, d, &name, if pause { "paused" } else { "resumed" })
}

fn restart(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &RESTART_DOC, SIMPLE_FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let name = match target(cx, &a, "restart") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let mut d = match get_deployment(cx.world, &ns, &name) {
        Ok(d) => d,
        Err(e) => return not_found(cx, &e),
    };
    if d.spec.paused == Some(true) {
        return fail(
            cx.out,
            format!("deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)"),
        );
    }
    let stamp = kubeplay_api::timefmt::rfc3339(kubeplay_core::time::timestamp(cx.world.now()));
    let tm = d
        .spec
        .template
        .metadata
        .get_or_insert_with(Default::default);
    let ann = tm.annotations.get_or_insert_with(BTreeMap::new);
    if ann.get(RESTARTED_AT) == Some(&stamp) {
        return fail(cx.out, format!("failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"));
    }
    ann.insert(RESTARTED_AT.into(), stamp);
    finish(cx, d, &name, "restarted")
}

fn finish(cx: &mut Cx<'_>, d: Deployment, name: &str, op: &str) -> Exec {
    match cx.world.update(d.into(), false) {
        Ok(_) => {
            cx.out.out(format!("deployment.apps/{name} {op}\n"));
            Exec::Done(0)
        }
        Err(e) => {
            super::print_api_error(cx.out, &e, None);
            Exec::Done(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("90s"), Some(90_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("2h"), Some(7_200_000));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("abc"), None);
    }
}

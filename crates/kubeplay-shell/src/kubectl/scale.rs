//! `kubectl set image` (KUBECTL:pkg/cmd/set/set_image.go), `kubectl set serviceaccount`
//! (set_serviceaccount.go) and `kubectl scale` (KUBECTL:pkg/cmd/scale/scale.go).

use super::flags::{Flag, DRY_RUN, OUTPUT};
use super::help::Doc;
use super::output;
use super::resource::{self, Request};
use super::{dry_run_of, fail, namespace_of, parse_flags, Cx, DryRun, Exec, VerbError};
use kubeplay_api::k8s_openapi::api::core::v1::PodSpec;
use kubeplay_api::{Kind, Object};
use serde_json::Value;
use std::collections::BTreeMap;

static SET_DOC: Doc = Doc {
    path: "kubectl set",
    long: "Configure application resources.\n\n These commands help you make changes to existing application resources.",
    examples: "",
    usage: "kubectl set SUBCOMMAND [options]",
    subcommands: &[
        ("env", "Update environment variables on a pod template"),
        ("image", "Update the image of a pod template"),
        ("resources", "Update resource requests/limits on objects with pod templates"),
        ("selector", "Set the selector on a resource"),
        ("serviceaccount", "Update the service account of a resource"),
        ("subject", "Update the user, group, or service account in a role binding or cluster role binding"),
    ],
};

static IMAGE_DOC: Doc = Doc {
    path: "kubectl set image",
    long: "Update existing container image(s) of resources.\n\n Possible resources include (case insensitive):\n\n        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)",
    examples: "  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'\n  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1\n\n  # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'\n  kubectl set image deployments,rc nginx=nginx:1.9.1 --all\n\n  # Update image of all containers of daemonset abc to 'nginx:1.9.1'\n  kubectl set image daemonset abc *=nginx:1.9.1",
    usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
    subcommands: &[],
};

static IMAGE_FLAGS: &[Flag] = &[
    OUTPUT,
    DRY_RUN,
    Flag::bool("all", None),
    Flag::bool("local", None),
    Flag::slice("filename", Some('f')),
    Flag::str("selector", Some('l')),
    Flag::bool("record", None),
    Flag::str("field-manager", None),
];

static RESOURCES_DOC: Doc = Doc {
    path: "kubectl set resources",
    long: "Set the compute resources (CPU, memory) that the containers of a pod template, or of a pod, request and may use at most. A limit given without a request requests the limit.",
    examples: "  # Limit the nginx container of deployment nginx to 200m of CPU and 512Mi of memory\n  kubectl set resources deployment nginx -c=nginx --limits=cpu=200m,memory=512Mi\n\n  # Set requests and limits for every container of deployment nginx\n  kubectl set resources deployment nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi\n\n  # Print what a file's objects become, without changing the cluster\n  kubectl set resources -f deployment.yaml --limits=cpu=200m,memory=512Mi --local -o yaml",
    usage: "kubectl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS] [options]",
    subcommands: &[],
};

static RESOURCES_FLAGS: &[Flag] = &[
    OUTPUT,
    DRY_RUN,
    Flag::bool("all", None),
    Flag::bool("local", None),
    Flag::slice("filename", Some('f')),
    Flag::str("selector", Some('l')),
    Flag::str("containers", Some('c')).shows("'*'"),
    Flag::str("limits", None),
    Flag::str("requests", None),
    Flag::str("field-manager", None),
];

static SA_DOC: Doc = Doc {
    path: "kubectl set serviceaccount",
    long: "Update the service account of pod template resources.\n\n Possible resources (case insensitive) can be:\n\n replicationcontroller (rc), deployment (deploy), daemonset (ds), job, replicaset (rs), statefulset",
    examples: "  # Set deployment nginx-deployment's service account to serviceaccount1\n  kubectl set serviceaccount deployment nginx-deployment serviceaccount1\n\n  # Print the result (in YAML format) of updated nginx deployment with the service account from local file, without hitting the API server\n  kubectl set sa -f nginx-deployment.yaml serviceaccount1 --local --dry-run=client -o yaml",
    usage: "kubectl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]",
    subcommands: &[],
};

static SCALE_DOC: Doc = Doc {
    path: "kubectl scale",
    long: "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows users to specify one or more preconditions for the scale action.\n\n If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.",
    examples: "  # Scale a replica set named 'foo' to 3\n  kubectl scale --replicas=3 rs/foo\n\n  # Scale a resource identified by type and name specified in \"foo.yaml\" to 3\n  kubectl scale --replicas=3 -f foo.yaml\n\n  # If the deployment named mysql's current size is 2, scale mysql to 3\n  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql",
    usage: "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
    subcommands: &[],
};

static SCALE_FLAGS: &[Flag] = &[
    Flag::int("replicas", None),
    Flag::int("current-replicas", None).shows("-1"),
    Flag::str("resource-version", None),
    Flag::bool("all", None),
    Flag::slice("filename", Some('f')),
    Flag::str("selector", Some('l')),
    OUTPUT,
    DRY_RUN,
    Flag::str("timeout", None),
    Flag::bool("record", None),
];

pub fn set(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (sub, rest) = super::find_command(args, &[]);
    match sub.as_deref() {
        Some("image") => image(cx, &rest),
        Some("env") => super::set_env::run(cx, &rest),
        Some("serviceaccount" | "sa") => service_account(cx, &rest),
        Some("resources") => resources(cx, &rest),
        Some(other) if ["selector", "subject"].contains(&other) => fail(
            cx.out,
            format!("\"kubectl set {other}\" is not available in kubeplay"),
        ),
        Some(_) => super::unknown_subcommand(cx.out, "kubectl set", args),
        None => match parse_flags(cx, &SET_DOC, &[], args) {
            Ok(_) => {
                cx.out.out(super::help::render(&SET_DOC, &[]));
                Exec::Done(0)
            }
            Err(e) => e,
        },
    }
}

/// A command's flags, and its `--dry-run` (an error for a bad value).
fn parse_with_dry_run(
    cx: &mut Cx<'_>,
    doc: &Doc,
    flags: &[Flag],
    args: &[String],
) -> Result<(super::flags::Args, DryRun), Exec> {
    let a = parse_flags(cx, doc, flags, args)?;
    let dry = dry_run_of(&a).map_err(|e| fail(cx.out, e))?;
    Ok((a, dry))
}

/// The objects `TYPE NAME...`, `TYPE/NAME`, `-l`, `--all` or `-f` name, by kind and name;
/// those of files with their document.
fn targets(
    cx: &mut Cx<'_>,
    a: &super::flags::Args,
    res: &[String],
    ns: &str,
) -> Result<Vec<(Kind, String, Option<Value>)>, String> {
    let files = a.all("filename");
    if !files.is_empty() {
        if !res.is_empty() {
            return Err(
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well".into(),
            );
        }
        let objs = resource::referenced(cx.fs, &mut cx.stdin, &files, a.bool("recursive"))?;
        return Ok(objs
            .into_iter()
            .map(|(o, doc)| (o.info().kind, o.name().to_string(), Some(doc)))
            .collect());
    }
    let opts = resource::Options {
        selector: a.str("selector").map(String::from),
        all: a.bool("all"),
        allow_empty_selector: false,
    };
    Ok(match resource::resolve(res, &opts)? {
        Request::Named(v) => v.into_iter().map(|(i, n)| (i.kind, n, None)).collect(),
        Request::Bulk { types, selector } => types
            .into_iter()
            .flat_map(|t| {
                resource::list(cx.world, t, Some(ns), &selector)
                    .into_iter()
                    .map(move |o| (t.kind, o.name().to_string(), None))
            })
            .collect(),
    })
}

/// The pod spec of a pod or of a Deployment's or ReplicaSet's template.
pub(crate) fn pod_spec_mut(o: &mut Object) -> Option<&mut PodSpec> {
    match o {
        Object::Deployment(d) => d.spec.template.spec.as_mut(),
        Object::ReplicaSet(r) => r.spec.template.as_mut().and_then(|t| t.spec.as_mut()),
        Object::Pod(p) => p.spec.as_mut(),
        _ => None,
    }
}

fn image(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (a, dry) = match parse_with_dry_run(cx, &IMAGE_DOC, IMAGE_FLAGS, args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let (pairs, res): (Vec<String>, Vec<String>) =
        a.positional.iter().cloned().partition(|p| p.contains('='));
    let mut images: Vec<(String, String)> = Vec::new();
    for p in &pairs {
        let (c, i) = p.split_once('=').unwrap_or((p, ""));
        if c.is_empty() || i.is_empty() {
            return fail(cx.out, format!("invalid image {p}"));
        }
        images.push((c.to_string(), i.to_string()));
    }
    if a.bool("local") && !res.is_empty() {
        return fail(cx.out, LOCAL_RESOURCE);
    }
    let ns = namespace_of(cx, &a);
    let objects = match objects(cx, &a, &res, &ns) {
        Ok(o) => o,
        Err(e) => return e,
    };
    // Validate, after the objects were read (as set_image.go's Complete reads them first).
    let mut invalid = Vec::new();
    if images.is_empty() {
        invalid.push("at least one image update is required");
    } else if images.len() > 1 && images.iter().any(|(c, _)| c == "*") {
        invalid.push("all containers are already specified by *, but saw more than one container_name=container_image pairs");
    }
    if a.bool("local") && dry == DryRun::Server {
        invalid.push(super::LOCAL_SERVER_DRY_RUN);
    }
    if !invalid.is_empty() {
        let errs: Vec<VerbError> = invalid
            .into_iter()
            .map(|m| VerbError::Msg(m.into()))
            .collect();
        return Exec::Done(super::print_errors(cx.out, &errs));
    }
    update_pod_specs(cx, &a, dry, objects, "image", |spec, errs| {
        for (c, img) in &images {
            let mut found = false;
            for ctr in spec
                .init_containers
                .iter_mut()
                .flatten()
                .chain(spec.containers.iter_mut())
            {
                if c == "*" || ctr.name == *c {
                    ctr.image = Some(img.clone());
                    found = true;
                }
            }
            if !found {
                errs.push(VerbError::Msg(format!(
                    "error: unable to find container named \"{c}\""
                )));
            }
        }
    })
}

/// `kubectl set resources`: the `--limits` and `--requests` given set on each container the
/// `-c` pattern matches (all by default), init containers too.
fn resources(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (a, dry) = match parse_with_dry_run(cx, &RESOURCES_DOC, RESOURCES_FLAGS, args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    if a.bool("local") && !a.positional.is_empty() {
        return fail(cx.out, LOCAL_RESOURCE);
    }
    let ns = namespace_of(cx, &a);
    let objects = match objects(cx, &a, &a.positional, &ns) {
        Ok(o) => o,
        Err(e) => return e,
    };
    // Validate, after the objects were read (set_resources.go's Complete reads them first).
    let limits = a.str("limits").unwrap_or_default();
    let requests = a.str("requests").unwrap_or_default();
    let invalid = if a.bool("local") && dry == DryRun::Server {
        Some(super::LOCAL_SERVER_DRY_RUN.to_string())
    } else if a.bool("all") && a.has("selector") {
        Some("cannot set --all and --selector at the same time".into())
    } else if limits.is_empty() && requests.is_empty() {
        Some(
            "you must specify an update to requests or limits (in the form of --requests/--limits)"
                .into(),
        )
    } else {
        resource_list(limits).and(resource_list(requests)).err()
    };
    if let Some(e) = invalid {
        return fail(cx.out, e);
    }
    let (limits, requests) = (
        resource_list(limits).unwrap_or_default(),
        resource_list(requests).unwrap_or_default(),
    );
    let selector = a.str("containers").unwrap_or("*").to_string();
    update_pod_specs(cx, &a, dry, objects, "resources", |spec, errs| {
        let mut found = false;
        for c in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten())
            .filter(|c| super::set_env::select(&c.name, &selector))
        {
            found = true;
            let r = c.resources.get_or_insert_with(Default::default);
            for (list, given) in [(&mut r.limits, &limits), (&mut r.requests, &requests)] {
                if !given.is_empty() {
                    list.get_or_insert_with(Default::default)
                        .extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
        }
        if !found {
            errs.push(VerbError::Msg(format!(
                "error: unable to find container named {selector}"
            )));
        }
    })
}

/// `populateResourceListV1`: `cpu=100m,memory=256Mi`, each quantity in its canonical form.
fn resource_list(
    spec: &str,
) -> Result<
    BTreeMap<String, kubeplay_api::k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    String,
> {
    let mut out = BTreeMap::new();
    for statement in spec.split(',').filter(|_| !spec.is_empty()) {
        let parts: Vec<&str> = statement.split('=').collect();
        let [name, value] = parts.as_slice() else {
            return Err(format!(
                "Invalid argument syntax {statement}, expected <resource>=<value>"
            ));
        };
        let q = kubeplay_api::quantity::canonical(value)?;
        out.insert(
            name.to_string(),
            kubeplay_api::k8s_openapi::apimachinery::pkg::api::resource::Quantity(q),
        );
    }
    Ok(out)
}

/// `resource.LocalResourceError`: `set image --local` given objects by name.
const LOCAL_RESOURCE: &str = "you must specify resources by --filename when --local is set.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'";

/// `kubectl set serviceaccount TYPE NAME... SERVICE_ACCOUNT`: the last argument is the
/// account; the pod templates (or pods) named before it get it as `serviceAccountName`.
fn service_account(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (a, dry) = match parse_with_dry_run(cx, &SA_DOC, IMAGE_FLAGS, args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    if a.bool("local") && dry == DryRun::Server {
        return fail(cx.out, super::LOCAL_SERVER_DRY_RUN);
    }
    let Some((account, res)) = a.positional.split_last() else {
        return fail(cx.out, "serviceaccount is required");
    };
    let account = account.clone();
    let ns = namespace_of(cx, &a);
    // With --local the named objects are not looked at: only the files count.
    let res = if a.bool("local") { &[] } else { res };
    let objects = match objects(cx, &a, res, &ns) {
        Ok(o) => o,
        Err(e) => return e,
    };
    update_pod_specs(cx, &a, dry, objects, "serviceaccount", |spec, _| {
        spec.service_account_name = Some(account.clone());
    })
}

/// The objects `set image` and `set serviceaccount` work on, as their builder gets them: with
/// `--local`, decoded from the `-f` files (as typed objects, [`output::typed`]); otherwise from
/// the cluster. Any that cannot be had ends the command before anything changes.
fn objects(
    cx: &mut Cx<'_>,
    a: &super::flags::Args,
    res: &[String],
    ns: &str,
) -> Result<Vec<Object>, Exec> {
    let mut errs = Vec::new();
    let mut objs = Vec::new();
    if a.bool("local") {
        let files = a.all("filename");
        if files.is_empty() {
            return Err(fail(cx.out, resource::MISSING_RESOURCE));
        }
        let found = super::label::local_objects(cx, &files, a.bool("recursive"), ns)
            .map_err(|e| fail(cx.out, e))?;
        for f in found {
            match f.obj {
                Ok(mut o) => {
                    output::typed(&mut o);
                    objs.push(o);
                }
                Err(e) => errs.push(e),
            }
        }
    } else {
        let targets = targets(cx, a, res, ns).map_err(|e| fail(cx.out, e))?;
        for (kind, name, _) in targets {
            match cx.world.get_object(kind, ns, &name) {
                Ok(o) => objs.push(o),
                Err(e) => errs.push(VerbError::Api(e, None)),
            }
        }
    }
    if errs.is_empty() {
        Ok(objs)
    } else {
        Err(Exec::Done(super::print_errors(cx.out, &errs)))
    }
}

/// What `set image` and `set serviceaccount` share (set_image.go's and
/// set_serviceaccount.go's `Run`): each object's pod spec changed by `change` (which adds
/// what it cannot do to the errors), recorded with `--record`, then sent (with `--local` or
/// `--dry-run=client`, only printed) as `<kind>/<name> <what> updated`. The errors come
/// last, all together. An object `change` leaves as it was is skipped silently
/// (set_image.go's empty patch); `set serviceaccount` sends it anyway.
fn update_pod_specs(
    cx: &mut Cx<'_>,
    a: &super::flags::Args,
    dry: DryRun,
    objects: Vec<Object>,
    what: &str,
    mut change: impl FnMut(&mut PodSpec, &mut Vec<VerbError>),
) -> Exec {
    let format = a.str("output").unwrap_or("").to_string();
    let only_print = a.bool("local") || dry == DryRun::Client;
    let mut errs = Vec::new();
    let mut changed = Vec::new();
    for mut obj in objects {
        let before = obj.clone();
        match pod_spec_mut(&mut obj) {
            Some(spec) => change(spec, &mut errs),
            None => {
                changed.push(Err(VerbError::Msg(format!(
                    "error: {}/{} the object is not a pod or does not have a pod template: *v1.{}\n",
                    obj.info().singular_group(),
                    obj.name(),
                    obj.kind()
                ))));
                continue;
            }
        }
        super::record(a, &format!("set {what}"), &mut obj);
        if obj == before && matches!(what, "image" | "resources") {
            continue;
        }
        changed.push(Ok(obj));
    }
    // One printer for the command: YAML documents after the first begin with `---`.
    let mut printed = 0;
    let op = match what {
        "resources" => format!("resource requirements updated{}", dry.suffix()),
        _ => format!("{what} updated{}", dry.suffix()),
    };
    for obj in changed {
        let obj = match obj {
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        let result = match super::send_update(cx, obj, only_print, dry) {
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        output::separate(cx, &format, &mut printed);
        output::print_result(
            cx,
            result.info(),
            &output::object_value(&result),
            &op,
            &format,
        );
    }
    Exec::Done(super::print_errors(cx.out, &errs))
}

pub fn scale(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let (a, dry) = match parse_with_dry_run(cx, &SCALE_DOC, SCALE_FLAGS, args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let Some(replicas) = a.int("replicas").filter(|_| a.has("replicas")) else {
        return fail(cx.out, "required flag(s) \"replicas\" not set");
    };
    if replicas < 0 {
        return fail(
            cx.out,
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
    }
    let format = a.str("output").unwrap_or("").to_string();
    let ns = namespace_of(cx, &a);
    let targets = match targets(cx, &a, &a.positional, &ns) {
        Ok(t) => t,
        Err(e) => return fail(cx.out, e),
    };
    let mut code = 0;
    // One printer for every object: YAML separates them.
    let mut printed = 0;
    for (kind, name, doc) in targets {
        let info = kubeplay_api::registry::info(kind);
        // What kubectl prints is the object as it read it before scaling (the file's
        // document with its namespace, or the object it fetched), not the scaled one.
        let live = cx.world.get_object(kind, &ns, &name);
        let mut held = match (&doc, &live) {
            (Some(d), _) => {
                let mut d = d.clone();
                if let (true, Some(Value::Object(meta))) = (info.namespaced, d.get_mut("metadata"))
                {
                    meta.insert("namespace".into(), Value::String(ns.clone()));
                }
                d
            }
            (None, Ok(o)) => super::output::object_value(o),
            (None, Err(e)) => {
                super::print_api_error(cx.out, e, None);
                code = 1;
                continue;
            }
        };
        let op = format!("scaled{}", dry.suffix());
        if dry == DryRun::Client {
            super::output::separate(cx, &format, &mut printed);
            super::output::print_result(cx, info, &held, &op, &format);
            continue;
        }
        let mut obj = match live {
            Ok(o) => o,
            Err(e) => {
                super::print_api_error(cx.out, &e, None);
                code = 1;
                continue;
            }
        };
        let current = match &mut obj {
            Object::Deployment(d) => {
                let c = d.spec.replicas.unwrap_or(1);
                d.spec.replicas = Some(replicas as i32);
                c
            }
            Object::ReplicaSet(r) => {
                let c = r.spec.replicas.unwrap_or(1);
                r.spec.replicas = Some(replicas as i32);
                c
            }
            _ => {
                cx.out.err(format!(
                    "error: no scaler has been implemented for {{\"{}\" \"{}\"}}\n",
                    info.group, kind
                ));
                code = 1;
                continue;
            }
        };
        if let Some(want) = a.int("current-replicas").filter(|v| *v >= 0) {
            if want != current as i64 {
                cx.out.err(format!(
                    "error: Expected replicas to be {want}, was {current}\n"
                ));
                code = 1;
                continue;
            }
        }
        super::record(&a, "scale", &mut obj);
        match cx.world.update(obj, dry == DryRun::Server) {
            Ok((o, _)) => {
                // --record's change cause is the one change kubectl makes to what it holds.
                if let Some(cause) = o
                    .meta()
                    .annotations
                    .as_ref()
                    .and_then(|m| m.get(super::CHANGE_CAUSE))
                    .filter(|_| a.bool("record"))
                {
                    if let Some(Value::Object(meta)) = held.get_mut("metadata") {
                        let ann = meta
                            .entry("annotations")
                            .or_insert_with(|| Value::Object(Default::default()));
                        if let Value::Object(ann) = ann {
                            ann.insert(super::CHANGE_CAUSE.into(), Value::String(cause.clone()));
                        }
                    }
                }
                super::output::separate(cx, &format, &mut printed);
                super::output::print_result(cx, info, &held, &op, &format);
            }
            Err(e) => {
                super::print_api_error(cx.out, &e, None);
                code = 1;
            }
        }
    }
    Exec::Done(code)
}

//! `kubectl get`: resolve what was asked for (types, names, `TYPE/NAME`, `all`, `-f`), filter
//! by namespace and selectors, and print a table per kind or one of the generic formats;
//! `-w` keeps printing rows as objects change.

use super::flags::{self, Flag, FlagError};
use super::help::Doc;
use super::{print_api_error, Cx, Exec, Waiter};
use crate::print::jsonpath::{self, JsonPath};
use crate::print::output::{self, Format};
use crate::print::rows;
use crate::session::Output;
use kubeplay_api::registry::{self, ResourceInfo, RESOURCES};
use kubeplay_api::selector::Selector;
use kubeplay_api::{ApiError, Kind, Object, Reason};
use kubeplay_core::time::Millis;
use kubeplay_core::World;
use kubeplay_sort::Collect as _;
use serde_json::Value;
use std::collections::BTreeMap;

static FLAGS: &[Flag] = &[
    flags::OUTPUT,
    flags::SELECTOR,
    flags::ALL_NAMESPACES,
    flags::FILENAME,
    Flag::str("field-selector", None),
    Flag::bool("show-labels", None),
    Flag::slice("label-columns", Some('L')),
    Flag::str("sort-by", None),
    Flag::bool("no-headers", None),
    Flag::bool("watch", Some('w')),
    Flag::bool("watch-only", None),
    Flag::bool("output-watch-events", None),
    Flag::bool("show-kind", None),
    Flag::bool("ignore-not-found", None),
    Flag::int("chunk-size", None).shows("500"),
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    Flag::str("raw", None),
    Flag::str("subresource", None),
    Flag::bool("server-print", None).shows("true"),
    Flag::bool("show-managed-fields", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
];

/// What a `get` (or `describe`) command line names.
pub struct Request {
    pub info: &'static ResourceInfo,
    /// `None`: list every object of the type.
    pub names: Option<Vec<String>>,
}

/// Split positional args into requests, as kubectl's resource builder does.
pub fn resolve_args(args: &[String]) -> Result<(Vec<Request>, bool), String> {
    let unknown = |t: &str| format!("error: the server doesn't have a resource type \"{t}\"\n");
    let lookup = |t: &str| -> Result<Vec<&'static ResourceInfo>, String> {
        if t.eq_ignore_ascii_case("all") {
            return Ok(RESOURCES.iter().filter(|r| r.in_all).collect());
        }
        registry::lookup(t)
            .map(|i| vec![i])
            .ok_or_else(|| unknown(t))
    };
    if args.iter().any(|a| a.contains('/')) {
        if args.iter().any(|a| !a.contains('/')) {
            return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into());
        }
        let mut reqs: Vec<Request> = Vec::new();
        let mut kinds = std::collections::BTreeSet::new();
        for a in args {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            if n.is_empty() {
                return Err(format!(
                    "error: arguments in resource/name form must have a single resource and name\n"
                ));
            }
            let info = registry::lookup(t).ok_or_else(|| unknown(t))?;
            kinds.insert(info.kind);
            match reqs.last_mut() {
                Some(r) if r.info.kind == info.kind => {
                    r.names.get_or_insert_with(Vec::new).push(n.to_string())
                }
                _ => reqs.push(Request {
                    info,
                    names: Some(vec![n.to_string()]),
                }),
            }
        }
        return Ok((reqs, kinds.len() > 1));
    }
    let Some(types) = args.first() else {
        return Ok((vec![], false));
    };
    let mut infos: Vec<&'static ResourceInfo> = Vec::new();
    for t in types.split(',').filter(|t| !t.is_empty()) {
        for i in lookup(t)? {
            if !infos.iter().any(|x| x.kind == i.kind) {
                infos.push(i);
            }
        }
    }
    let multi = infos.len() > 1 || types.eq_ignore_ascii_case("all");
    let names = &args[1..];
    Ok((
        infos
            .into_iter()
            .map(|info| Request {
                info,
                names: (!names.is_empty()).then(|| names.to_vec()),
            })
            .collect(),
        multi,
    ))
}

/// `--field-selector`: `metadata.name=x,status.phase!=Running`.
#[derive(Clone, Debug, Default)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut reqs = Vec::new();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (k, eq, v) = if let Some((k, v)) = part.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = part.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = part.split_once('=') {
                (k, true, v)
            } else {
                return Err(format!(
                    "error: invalid selector: '{s}'; can't understand '{part}'\n"
                ));
            };
            reqs.push((k.trim().to_string(), eq, v.trim().to_string()));
        }
        Ok(FieldSelector(reqs))
    }

    /// The fields the API server lets a kind be selected by.
    fn value(o: &Object, field: &str) -> Option<Option<String>> {
        let m = o.meta();
        match field {
            "metadata.name" => return Some(m.name.clone()),
            "metadata.namespace" => return Some(m.namespace.clone()),
            _ => {}
        }
        match o {
            Object::Pod(p) => {
                let spec = p.spec.as_ref();
                let st = p.status.as_ref();
                Some(match field {
                    "spec.nodeName" => spec.and_then(|s| s.node_name.clone()),
                    "spec.restartPolicy" => spec.and_then(|s| s.restart_policy.clone()),
                    "spec.schedulerName" => spec.and_then(|s| s.scheduler_name.clone()),
                    "spec.serviceAccountName" => spec.and_then(|s| s.service_account_name.clone()),
                    "spec.hostNetwork" => Some(
                        spec.and_then(|s| s.host_network)
                            .unwrap_or(false)
                            .to_string(),
                    ),
                    "status.phase" => st.and_then(|s| s.phase.clone()),
                    "status.podIP" => st.and_then(|s| s.pod_ip.clone()),
                    "status.nominatedNodeName" => st.and_then(|s| s.nominated_node_name.clone()),
                    _ => return None,
                })
            }
            Object::Event(e) => {
                let io = &e.involved_object;
                Some(match field {
                    "involvedObject.kind" => io.kind.clone(),
                    "involvedObject.namespace" => io.namespace.clone(),
                    "involvedObject.name" => io.name.clone(),
                    "involvedObject.uid" => io.uid.clone(),
                    "involvedObject.apiVersion" => io.api_version.clone(),
                    "involvedObject.resourceVersion" => io.resource_version.clone(),
                    "involvedObject.fieldPath" => io.field_path.clone(),
                    "reason" => e.reason.clone(),
                    "reportingComponent" => e.reporting_component.clone(),
                    "source" => e.source.as_ref().and_then(|s| s.component.clone()),
                    "type" => e.type_.clone(),
                    _ => return None,
                })
            }
            Object::Secret(s) if field == "type" => Some(s.type_.clone()),
            Object::Namespace(n) if field == "status.phase" => {
                Some(n.status.as_ref().and_then(|s| s.phase.clone()))
            }
            Object::ReplicaSet(rs) if field == "status.replicas" => {
                Some(rs.status.as_ref().map(|s| s.replicas.to_string()))
            }
            Object::Node(n) if field == "spec.unschedulable" => Some(Some(
                n.spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false)
                    .to_string(),
            )),
            _ => None,
        }
    }

    /// Check the fields against a kind before listing (the API server's 400).
    pub fn check(
        &self,
        info: &ResourceInfo,
        sample: &Object,
        label: &str,
        raw: &str,
    ) -> Result<(), ApiError> {
        for (k, _, _) in &self.0 {
            if Self::value(sample, k).is_none() {
                return Err(ApiError::new(
                    Reason::BadRequest,
                    format!(
                        "Unable to find {{\"{}\" \"{}\" \"{}\"}} that match label selector \"{label}\", field selector \"{raw}\": field label not supported: {k}",
                        info.group, info.version, info.plural
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn matches(&self, o: &Object) -> bool {
        self.0.iter().all(|(k, eq, v)| {
            let got = Self::value(o, k).flatten().unwrap_or_default();
            (got == *v) == *eq
        })
    }
}

/// An empty object of a kind, to ask which fields it can be selected by.
fn sample(kind: Kind) -> Object {
    Object::from_value(kind, serde_json::json!({"metadata": {}}))
        .or_else(|_| {
            Object::from_value(
                kind,
                serde_json::json!({"metadata": {}, "involvedObject": {}, "spec": {}}),
            )
        })
        .unwrap_or_else(|_| Object::from(kubeplay_api::k8s_openapi::api::core::v1::Pod::default()))
}

/// Filters shared by `get` and `describe`.
pub struct Scope {
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    pub labels: Selector,
    pub fields: FieldSelector,
    pub label_raw: String,
    pub field_raw: String,
}

impl Scope {
    pub fn list(&self, world: &World, info: &ResourceInfo) -> Result<Vec<Object>, ApiError> {
        if !self.fields.0.is_empty() {
            self.fields
                .check(info, &sample(info.kind), &self.label_raw, &self.field_raw)?;
        }
        let mut objs = world.list_objects(info.kind, self.namespace.as_deref());
        objs.retain(|o| self.labels.matches(o.meta().labels.as_ref()) && self.fields.matches(o));
        Ok(objs)
    }
}

static DOC: Doc = Doc {
    path: "kubectl get",
    long: "Print a table of the objects of one or more types, or of the objects named. -o prints them another way (wide, yaml, json, name, jsonpath=..., custom-columns=...), -l keeps those whose labels match, and -w goes on printing changes.",
    examples: "# The pods of the current namespace
kubectl get pods

# With their node and IP, and their labels
kubectl get pods -o wide --show-labels

# Deployments and the ReplicaSets they made, one per revision
kubectl get deployments,replicasets

# One object, as YAML
kubectl get deployment myapp-deployment -o yaml

# The pods with a label
kubectl get pods -l app=myapp

# Watch the pods change during a rollout (Ctrl+C stops)
kubectl get pods -w

# One field of one object
kubectl get pod webapp -o jsonpath='{.spec.containers[0].image}'",
    usage: "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    subcommands: &[],
};

fn usage_err(cx: &mut Cx<'_>, e: FlagError) -> Exec {
    match e {
        FlagError::Help => {
            cx.out.out(super::help::render(&DOC, FLAGS));
            Exec::Done(0)
        }
        FlagError::Usage(m) => {
            cx.out.err(m);
            Exec::Done(1)
        }
    }
}

/// The table columns a `get` prints for one kind, with its options applied.
#[derive(Clone)]
pub struct TableOpts {
    pub wide: bool,
    pub all_namespaces: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
    pub with_kind: bool,
    pub no_headers: bool,
}

impl TableOpts {
    pub fn headers(&self, kind: Kind) -> Vec<String> {
        let mut h: Vec<String> = Vec::new();
        if self.all_namespaces && registry::info(kind).namespaced {
            h.push("NAMESPACE".into());
        }
        h.extend(rows::headers(kind, self.wide).into_iter().map(String::from));
        for l in &self.label_columns {
            h.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
        }
        if self.show_labels {
            h.push("LABELS".into());
        }
        h
    }

    pub fn row(&self, o: &Object, now: Millis) -> Vec<String> {
        let mut r = Vec::new();
        if self.all_namespaces && o.info().namespaced {
            r.push(o.namespace().unwrap_or("").to_string());
        }
        let mut cells = rows::row(o, now, self.wide);
        if self.with_kind && rows::has_name_column(o.kind()) {
            cells[0] = format!("{}/{}", o.info().singular_group(), cells[0]);
        }
        r.extend(cells);
        let labels = o.meta().labels.as_ref();
        for l in &self.label_columns {
            r.push(labels.and_then(|m| m.get(l)).cloned().unwrap_or_default());
        }
        if self.show_labels {
            r.push(rows::format_labels(labels));
        }
        r
    }
}

/// `--sort-by`: order objects by a JSONPath field (numbers numerically, strings naturally).
fn sort_objects(objs: &mut [Object], path: &JsonPath) -> Result<(), String> {
    let mut keyed: Vec<(Option<Value>, usize)> = Vec::with_capacity(objs.len());
    for (i, o) in objs.iter().enumerate() {
        let v = o.to_value();
        let r = path
            .find_results(&v)
            .map_err(|e| format!("error: {}\n", e.0))?;
        let first = r.into_iter().flatten().next();
        keyed.push((first, i));
    }
    if !objs.is_empty() && keyed.iter().all(|(k, _)| k.is_none()) {
        return Err(format!(
            "error: couldn't find any field with path \"{}\" in the list of objects\n",
            path.source()
        ));
    }
    kubeplay_sort::sort_by(&mut keyed, |(a, ai), (b, bi)| {
        cmp_values(a, b).then(ai.cmp(bi))
    });
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let orig = objs.to_vec();
    for (slot, i) in order.into_iter().enumerate() {
        objs[slot] = orig[i].clone();
    }
    Ok(())
}

fn cmp_values(a: &Option<Value>, b: &Option<Value>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => natural_cmp(x, y),
        (Some(x), Some(y)) => jsonpath::go_v(x).cmp(&jsonpath::go_v(y)),
    }
}

/// `sortorder.NaturalLess`: runs of digits compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        let (ca, cb) = (ab[i], bb[j]);
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let si = i;
            while i < ab.len() && ab[i] == b'0' {
                i += 1;
            }
            let sj = j;
            while j < bb.len() && bb[j] == b'0' {
                j += 1;
            }
            let ni = i;
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            let nj = j;
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let (da, db) = (&ab[ni..i], &bb[nj..j]);
            let o = da.len().cmp(&db.len()).then(da.cmp(db));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
            let o = (ni - si).cmp(&(nj - sj));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
            continue;
        }
        if ca != cb {
            return ca.cmp(&cb);
        }
        i += 1;
        j += 1;
    }
    (ab.len() - i).cmp(&(bb.len() - j))
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match flags::parse("kubectl get", FLAGS, args) {
        Ok(a) => a,
        Err(e) => return usage_err(cx, e),
    };
    let format = match output::parse(a.str("output"), a.str("template"), cx.fs) {
        Ok(f) => f,
        Err(m) => {
            cx.out.err(m);
            return Exec::Done(1);
        }
    };
    let watch = a.bool("watch") || a.bool("watch-only");
    let filenames = a.all("filename");
    let (requests, multi) = if !filenames.is_empty() {
        match objects_from_files(cx, &filenames) {
            Ok(objs) => {
                let mut reqs: Vec<Request> = Vec::new();
                for o in objs {
                    let info = o.info();
                    match reqs.last_mut() {
                        Some(r) if r.info.kind == info.kind => {
                            r.names.get_or_insert_with(Vec::new).push(o.name().into())
                        }
                        _ => reqs.push(Request {
                            info,
                            names: Some(vec![o.name().into()]),
                        }),
                    }
                }
                let multi = reqs.iter().map(|r| r.info.kind).collect_set().len() > 1;
                (reqs, multi)
            }
            Err(m) => {
                cx.out.err(m);
                return Exec::Done(1);
            }
        }
    } else {
        match resolve_args(&a.positional) {
            Ok(r) => r,
            Err(m) => {
                cx.out.err(m);
                return Exec::Done(1);
            }
        }
    };
    if requests.is_empty() {
        cx.out.err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n");
        return Exec::Done(1);
    }
    let all_ns = a.bool("all-namespaces");
    let ns = a
        .namespace()
        .map(String::from)
        .unwrap_or_else(|| cx.namespace.clone());
    let label_raw = a.str("selector").unwrap_or("").to_string();
    let labels = match Selector::parse(&label_raw) {
        Ok(s) => s,
        Err(e) => {
            cx.out.err(format!("error: {e}\n"));
            return Exec::Done(1);
        }
    };
    let field_raw = a.str("field-selector").unwrap_or("").to_string();
    let fields = match FieldSelector::parse(&field_raw) {
        Ok(f) => f,
        Err(m) => {
            cx.out.err(m);
            return Exec::Done(1);
        }
    };
    let has_names = requests.iter().any(|r| r.names.is_some());
    if has_names && !labels.is_empty() {
        cx.out
            .err("error: name cannot be provided when a selector is specified\n");
        return Exec::Done(1);
    }
    let sort_by = match a.str("sort-by").filter(|s| !s.is_empty()) {
        Some(s) if !watch => match jsonpath::relaxed(s)
            .map_err(|e| format!("error: {e}\n"))
            .and_then(|e| {
                JsonPath::parse(&e).map_err(|m| format!("error: error parsing jsonpath {e}, {m}\n"))
            }) {
            Ok(p) => Some(p),
            Err(m) => {
                cx.out.err(m);
                return Exec::Done(1);
            }
        },
        Some(_) => {
            cx.out
                .err("warning: --watch or --watch-only requested, --sort-by will be ignored\n");
            None
        }
        None => None,
    };
    let scope = Scope {
        namespace: if all_ns { None } else { Some(ns.clone()) },
        labels,
        fields,
        label_raw,
        field_raw,
    };
    let wide = matches!(format, Format::Table { wide: true });
    let opts = TableOpts {
        wide,
        all_namespaces: all_ns,
        show_labels: a.bool("show-labels"),
        label_columns: a.all("label-columns"),
        with_kind: multi || a.bool("show-kind"),
        no_headers: a.bool("no-headers"),
    };
    let ignore_not_found = a.bool("ignore-not-found");

    if watch {
        if requests.len() != 1 {
            cx.out.err(format!("error: watch is only supported on individual resources and resource collections, but {} resources were found\n", requests.len()));
            return Exec::Done(1);
        }
        let req = &requests[0];
        let mut w = GetWatch {
            info: req.info,
            names: req.names.clone(),
            scope,
            opts,
            format,
            seen: BTreeMap::new(),
            widths: Vec::new(),
            header_done: false,
            events: a.bool("output-watch-events"),
        };
        let initial = w.snapshot(cx.world);
        if !a.bool("watch-only") {
            let objs: Vec<(&str, Object)> =
                initial.values().map(|o| ("ADDED", o.clone())).collect();
            w.emit(&objs, cx.world.now(), cx.out);
        }
        w.seen = initial
            .into_iter()
            .map(|(k, o)| (k, (rv(&o), o)))
            .collect_map();
        return Exec::Wait(Box::new(w));
    }

    // Gather.
    let mut errors: Vec<ApiError> = Vec::new();
    let mut groups: Vec<(Kind, Vec<Object>)> = Vec::new();
    let single = requests.len() == 1 && requests[0].names.as_ref().is_some_and(|n| n.len() == 1);
    for req in &requests {
        let objs = match &req.names {
            None => match scope.list(cx.world, req.info) {
                Ok(o) => o,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
            Some(names) => {
                let mut v = Vec::new();
                for n in names {
                    match cx.world.get_object(req.info.kind, &ns, n) {
                        Ok(o) => v.push(o),
                        Err(e) => {
                            if !(ignore_not_found && e.reason == Reason::NotFound) {
                                errors.push(e)
                            }
                        }
                    }
                }
                v
            }
        };
        match groups.last_mut() {
            Some((k, v)) if *k == req.info.kind => v.extend(objs),
            _ => groups.push((req.info.kind, objs)),
        }
    }
    if let Some(p) = &sort_by {
        for (_, objs) in &mut groups {
            if let Err(m) = sort_objects(objs, p) {
                cx.out.err(m);
                return Exec::Done(1);
            }
        }
    }

    let now = cx.world.now();
    let mut code = 0;
    if format.is_table() {
        let mut printed = false;
        for (kind, objs) in &groups {
            if objs.is_empty() {
                continue;
            }
            if printed {
                cx.out.out("\n");
            }
            let mut lines: Vec<Vec<String>> = Vec::with_capacity(objs.len() + 1);
            if !opts.no_headers {
                lines.push(opts.headers(*kind));
            }
            for o in objs {
                lines.push(opts.row(o, now));
            }
            let refs: Vec<&Vec<String>> = lines.iter().collect();
            cx.out.out(crate::print::table::tabwrite(&refs, 6, 3));
            printed = true;
        }
        if !printed && errors.is_empty() && !ignore_not_found {
            let namespaced = requests.iter().all(|r| r.info.namespaced);
            if namespaced && !all_ns {
                cx.out
                    .err(format!("No resources found in {ns} namespace.\n"));
            } else {
                cx.out.err("No resources found\n");
            }
        }
    } else {
        if single && !errors.is_empty() {
            for e in &errors {
                print_api_error(cx.out, e, None);
            }
            return Exec::Done(1);
        }
        let all: Vec<Object> = groups.into_iter().flat_map(|(_, v)| v).collect();
        match output::print_objects(&all, single, &format, opts.no_headers) {
            Ok(s) => cx.out.out(s),
            Err(m) => {
                cx.out.err(m);
                code = 1;
            }
        }
    }
    for e in &errors {
        print_api_error(cx.out, e, None);
    }
    if !errors.is_empty() {
        code = 1;
    }
    Exec::Done(code)
}

/// The objects `-f FILE` names (only their kind, namespace and name matter to `get`).
pub fn objects_from_files(cx: &mut Cx<'_>, files: &[String]) -> Result<Vec<Object>, String> {
    let mut out = Vec::new();
    for f in files {
        let (name, bytes) = if f == "-" {
            ("STDIN".to_string(), cx.stdin.clone().unwrap_or_default())
        } else {
            match cx.fs.read(f) {
                Some(b) => (f.clone(), b),
                None => return Err(format!("error: the path \"{f}\" does not exist\n")),
            }
        };
        let text = String::from_utf8_lossy(&bytes).to_string();
        let docs = kubeplay_api::decode::parse_documents(&text)
            .map_err(|e| format!("error: error parsing {name}: {}\n", e.message()))?;
        for d in docs {
            let o = kubeplay_api::decode::decode_reference(&d)
                .map_err(|e| format!("error: unable to decode \"{name}\": {}\n", e.message()))?;
            out.push(o);
        }
    }
    Ok(out)
}

fn rv(o: &Object) -> String {
    o.meta().resource_version.clone().unwrap_or_default()
}

/// `kubectl get -w`: after the initial list, one row per change of a watched object.
struct GetWatch {
    info: &'static ResourceInfo,
    names: Option<Vec<String>>,
    scope: Scope,
    opts: TableOpts,
    format: Format,
    /// (namespace, name) → (resourceVersion, last state seen).
    seen: BTreeMap<(String, String), (String, Object)>,
    /// Column widths so far (the tabwriter's RememberWidths).
    widths: Vec<usize>,
    header_done: bool,
    /// `--output-watch-events`: an EVENT column (ADDED, MODIFIED, DELETED).
    events: bool,
}

impl GetWatch {
    fn snapshot(&self, world: &World) -> BTreeMap<(String, String), Object> {
        let objs = self.scope.list(world, self.info).unwrap_or_default();
        objs.into_iter()
            .filter(|o| {
                self.names
                    .as_ref()
                    .is_none_or(|ns| ns.iter().any(|n| n == o.name()))
            })
            .map(|o| {
                (
                    (
                        o.namespace().unwrap_or("").to_string(),
                        o.name().to_string(),
                    ),
                    o,
                )
            })
            .collect_map()
    }

    fn emit(&mut self, objs: &[(&str, Object)], now: Millis, out: &mut Output) {
        if objs.is_empty() {
            return;
        }
        if !self.format.is_table() {
            for (_, o) in objs {
                let text = match &self.format {
                    Format::Yaml => format!("---\n{}", crate::print::yaml::to_yaml(&o.to_value())),
                    other => output::print_objects(std::slice::from_ref(o), true, other, true)
                        .unwrap_or_else(|e| e),
                };
                out.out(text);
            }
            return;
        }
        let mut lines: Vec<Vec<String>> = Vec::new();
        if !self.header_done && !self.opts.no_headers {
            let mut h = self.opts.headers(self.info.kind);
            if self.events {
                h.insert(0, "EVENT".into());
            }
            lines.push(h);
        }
        self.header_done = true;
        for (ev, o) in objs {
            let mut r = self.opts.row(o, now);
            if self.events {
                r.insert(0, ev.to_string());
            }
            lines.push(r);
        }
        // Widths only grow: each flush remembers them.
        for l in &lines {
            for (i, c) in l.iter().enumerate() {
                if i + 1 < l.len() {
                    if self.widths.len() <= i {
                        self.widths.resize(i + 1, 0);
                    }
                    self.widths[i] = self.widths[i].max((c.chars().count() + 3).max(6));
                }
            }
        }
        let mut s = String::new();
        for l in &lines {
            for (i, c) in l.iter().enumerate() {
                s.push_str(c);
                if i + 1 < l.len() {
                    let pad = self.widths[i].saturating_sub(c.chars().count());
                    s.extend(std::iter::repeat_n(' ', pad));
                }
            }
            s.push('\n');
        }
        out.out(s);
    }
}

impl Waiter for GetWatch {
    fn poll(&mut self, world: &World, out: &mut Output) -> Option<i32> {
        let now_objs = self.snapshot(world);
        let mut changed: Vec<(&str, Object)> = Vec::new();
        for (k, o) in &now_objs {
            let v = rv(o);
            match self.seen.get(k) {
                Some((old, _)) if *old == v => {}
                Some(_) => changed.push(("MODIFIED", o.clone())),
                None => changed.push(("ADDED", o.clone())),
            }
        }
        let gone: Vec<(String, String)> = self
            .seen
            .keys()
            .filter(|k| !now_objs.contains_key(*k))
            .cloned()
            .collect();
        for k in gone {
            if let Some((_, o)) = self.seen.remove(&k) {
                changed.push(("DELETED", o));
            }
        }
        for (k, o) in now_objs {
            let v = rv(&o);
            self.seen.insert(k, (v, o));
        }
        self.emit(&changed, world.now(), out);
        None
    }
    fn wake_at(&self) -> Option<Millis> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["a10", "a9", "a1", "b"];
        kubeplay_sort::sort_by(&mut v, |a, b| natural_cmp(a, b));
        assert_eq!(v, vec!["a1", "a9", "a10", "b"]);
    }

    #[test]
    fn args_resolve_like_the_builder() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (r, multi) = resolve_args(&s(&["deploy,rs,po"])).unwrap();
        assert!(multi);
        assert_eq!(
            r.iter().map(|r| r.info.kind).collect::<Vec<_>>(),
            vec![Kind::Deployment, Kind::ReplicaSet, Kind::Pod]
        );
        let (r, multi) = resolve_args(&s(&["all"])).unwrap();
        assert!(multi);
        assert_eq!(
            r.iter().map(|r| r.info.kind).collect::<Vec<_>>(),
            vec![Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet]
        );
        let (r, multi) = resolve_args(&s(&["pod/a", "pod/b", "deploy/c"])).unwrap();
        assert!(multi);
        assert_eq!(r.len(), 2);
        assert!(resolve_args(&s(&["pods", "pod/a"])).is_err());
        assert_eq!(
            resolve_args(&s(&["nope"])).err().unwrap(),
            "error: the server doesn't have a resource type \"nope\"\n"
        );
    }

    #[test]
    fn field_selectors() {
        let f = FieldSelector::parse("status.phase!=Running,metadata.name==x").unwrap();
        assert_eq!(f.0.len(), 2);
        assert!(FieldSelector::parse("foo").is_err());
    }
}

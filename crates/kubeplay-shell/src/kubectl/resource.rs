//! What a kubectl verb is asked to act on: `TYPE NAME...`, `TYPE/NAME...`, `TYPE1,TYPE2 NAME`,
//! `TYPE -l sel`, `TYPE --all`, or `-f FILE...`. This follows cli-runtime's resource builder:
//! the same forms, the same order of checks and the same error text. Every verb that takes
//! resources (get, describe, delete, label, annotate, patch, rollout, wait...) resolves its
//! arguments here.
//!
//! Errors are returned without the `error: ` prefix; [`super::fail`] adds it.

use crate::fs::Vfs;
use kubeplay_api::decode::Validation;
use kubeplay_api::registry::{self, ResourceInfo};
use kubeplay_api::selector::Selector;
use kubeplay_api::{Kind, Object};
use kubeplay_core::World;
use serde_json::Value;

/// The builder's error for a verb given nothing to act on.
pub const MISSING_RESOURCE: &str = "You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'";

/// What the arguments ask for, before looking at the cluster.
#[derive(Debug, Clone)]
pub enum Request {
    /// Objects by type and name, in the order typed.
    Named(Vec<(&'static ResourceInfo, String)>),
    /// Every object of these types that matches the selector (`-l`, `--all`, or `get TYPE`).
    Bulk {
        types: Vec<&'static ResourceInfo>,
        selector: Selector,
    },
}

/// How the verb wants bare types handled.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `-l`/`--selector`, if given.
    pub selector: Option<String>,
    /// `--all`.
    pub all: bool,
    /// A bare `TYPE` means every object of it (`get`, `describe`); otherwise it is
    /// `resource(s) were provided, but no name was specified`.
    pub allow_empty_selector: bool,
}

/// Look up one typed resource, expanding nothing. `the server doesn't have a resource type`.
pub fn lookup(typed: &str) -> Result<&'static ResourceInfo, String> {
    registry::lookup(typed)
        .ok_or_else(|| format!("the server doesn't have a resource type \"{}\"", typed))
}

/// `pods,svc` -> the infos, with the `all` category expanded to its members.
pub fn lookup_types(typed: &str) -> Result<Vec<&'static ResourceInfo>, String> {
    let mut out: Vec<&'static ResourceInfo> = Vec::new();
    for t in split_types(typed) {
        if t.eq_ignore_ascii_case("all") {
            for r in registry::RESOURCES.iter().filter(|r| r.in_all) {
                if !out.iter().any(|o| o.kind == r.kind) {
                    out.push(r);
                }
            }
            continue;
        }
        let info = lookup(t)?;
        if !out.iter().any(|o| o.kind == info.kind) {
            out.push(info);
        }
    }
    Ok(out)
}

/// `SplitResourceArgument`: commas separate types; empty pieces are dropped.
fn split_types(s: &str) -> Vec<&str> {
    s.split(',').filter(|p| !p.is_empty()).collect()
}

/// Resolve positional arguments into a [`Request`], in the builder's order of checks.
pub fn resolve(args: &[String], opts: &Options) -> Result<Request, String> {
    let args = normalize_multiple(args);
    let slashed = args.iter().filter(|a| a.contains('/')).count();
    let mut tuples: Vec<(String, String)> = Vec::new();
    let mut types: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    if slashed > 0 {
        if slashed != args.len() {
            return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
        }
        for a in &args {
            let seg: Vec<&str> = a.split('/').collect();
            if seg.len() != 2 {
                return Err(
                    "arguments in resource/name form may not have more than one slash".into(),
                );
            }
            if seg[0].is_empty() || seg[1].is_empty() || split_types(seg[0]).len() != 1 {
                return Err(
                    "arguments in resource/name form must have a single resource and name".into(),
                );
            }
            tuples.push((seg[0].to_string(), seg[1].to_string()));
        }
    } else if let Some((first, rest)) = args.split_first() {
        types = split_types(first).into_iter().map(String::from).collect();
        names = rest.to_vec();
    }
    let mut selector = opts.selector.clone();
    if opts.all
        || (selector.is_none()
            && opts.allow_empty_selector
            && names.is_empty()
            && !types.is_empty())
    {
        selector = Some(selector.unwrap_or_default());
    }
    if let Some(sel) = selector {
        if !names.is_empty() {
            return Err("name cannot be provided when a selector is specified".into());
        }
        if !tuples.is_empty() {
            return Err(
                "selectors and the all flag cannot be used when passing resource/name arguments"
                    .into(),
            );
        }
        if types.is_empty() {
            return Err("at least one resource must be specified to use a selector".into());
        }
        let mut infos = Vec::new();
        for t in &types {
            for i in lookup_types(t)? {
                if !infos.iter().any(|o: &&ResourceInfo| o.kind == i.kind) {
                    infos.push(i);
                }
            }
        }
        let selector =
            Selector::parse(&sel).map_err(|e| format!("unable to parse requirement: {e}"))?;
        return Ok(Request::Bulk {
            types: infos,
            selector,
        });
    }
    if !tuples.is_empty() {
        let mut out = Vec::new();
        for (t, n) in tuples {
            out.push((lookup(&t)?, n));
        }
        return Ok(Request::Named(out));
    }
    if !names.is_empty() {
        if types.len() > 1 {
            return Err("you must specify only one resource".into());
        }
        let Some(first) = types.first() else {
            return Err("you must provide a resource and a resource name together".into());
        };
        let info = lookup(first)?;
        return Ok(Request::Named(
            names.into_iter().map(|n| (info, n)).collect(),
        ));
    }
    if !types.is_empty() {
        for t in &types {
            lookup_types(t)?;
        }
        return Err("resource(s) were provided, but no name was specified".into());
    }
    Err(MISSING_RESOURCE.into())
}

/// `a,b x y` -> `a/x a/y b/x b/y` (`normalizeMultipleResourcesArgs`).
fn normalize_multiple(args: &[String]) -> Vec<String> {
    if args.len() >= 2 {
        let types = split_types(&args[0]);
        if types.len() > 1 {
            let mut out = Vec::new();
            for t in types {
                for n in &args[1..] {
                    out.push(format!("{t}/{n}"));
                }
            }
            return out;
        }
    }
    args.to_vec()
}

/// The objects of one type in a namespace (all namespaces: `None`) whose labels match.
pub fn list(world: &World, info: &ResourceInfo, ns: Option<&str>, sel: &Selector) -> Vec<Object> {
    world
        .list_objects(info.kind, ns)
        .into_iter()
        .filter(|o| sel.matches(o.meta().labels.as_ref()))
        .collect()
}

/// Does a request name an object of this kind at all? (For verbs limited to some kinds.)
pub fn kinds_of(req: &Request) -> Vec<Kind> {
    match req {
        Request::Named(v) => v.iter().map(|(i, _)| i.kind).collect(),
        Request::Bulk { types, .. } => types.iter().map(|i| i.kind).collect(),
    }
}

/// One manifest source: its name as kubectl reports it (`x.yaml`, `STDIN`) and its text.
pub struct Source {
    pub name: String,
    pub text: String,
}

/// Read the `-f` arguments: files, directories (their `.json`, `.yaml` and `.yml` files in
/// name order; with `recursive`, subdirectories too) and `-` for standard input.
pub fn read_sources(
    fs: &Vfs,
    stdin: &mut Option<Vec<u8>>,
    files: &[String],
    recursive: bool,
) -> Result<Vec<Source>, String> {
    let mut out = Vec::new();
    let mut used_stdin = false;
    for f in files {
        if f == "-" {
            if used_stdin {
                return Err("standard input cannot be used for multiple arguments".into());
            }
            used_stdin = true;
            let bytes = stdin.take().unwrap_or_default();
            out.push(Source {
                name: "STDIN".into(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
            continue;
        }
        if f.starts_with("http://") || f.starts_with("https://") {
            return Err(format!(
                "unable to read URL \"{f}\", server reported 404 Not Found, status code=404"
            ));
        }
        if let Some(bytes) = fs.read(f) {
            out.push(Source {
                name: f.clone(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
            continue;
        }
        if !fs.is_dir(f) {
            return Err(format!("the path \"{f}\" does not exist"));
        }
        let mut entries: Vec<String> = Vec::new();
        collect_dir(fs, f.trim_end_matches('/'), recursive, &mut entries);
        for p in entries {
            let bytes = fs.read(&p).unwrap_or_default();
            out.push(Source {
                name: p,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
    Ok(out)
}

/// The manifest files of a directory, in name order (`FileVisitorForSTDIN`'s extensions:
/// .json, .yaml, .yml), descending into subdirectories when `recursive`.
fn collect_dir(fs: &Vfs, dir: &str, recursive: bool, out: &mut Vec<String>) {
    for (name, is_dir) in fs.list(dir).unwrap_or_default() {
        let path = format!("{dir}/{name}");
        if is_dir {
            if recursive {
                collect_dir(fs, &path, recursive, out);
            }
        } else if [".json", ".yaml", ".yml"].iter().any(|e| name.ends_with(e)) {
            out.push(path);
        }
    }
}

/// Each source's documents, as JSON, with where they came from. A syntax error stops
/// everything, as the builder does: `error parsing x.yaml: ...`.
pub fn documents(sources: &[Source]) -> Result<Vec<(String, Value)>, String> {
    match documents_until_error(sources) {
        (docs, errs) if errs.is_empty() => Ok(docs),
        (_, mut errs) => Err(errs.remove(0)),
    }
}

/// The documents of every source as kubectl's builder visits them: a source's documents up
/// to its first error, that error (`error parsing FILE: ...`), then the next source.
pub fn documents_until_error(sources: &[Source]) -> (Vec<(String, Value)>, Vec<String>) {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for s in sources {
        let (docs, err) = kubeplay_api::decode::parse_documents_until_error(&s.text);
        for d in docs {
            out.push((s.name.clone(), d));
        }
        if let Some((e, _)) = err {
            errs.push(format!("error parsing {}: {}", s.name, e.message()));
        }
    }
    (out, errs)
}

/// A document for a verb that writes it (`create`, `apply`, `replace`) under `--validate`:
/// kubectl's own check of what it says it is (`error validating`) unless validation is off,
/// then [`decode_doc`]'s decoding as the server does it under that validation. Returns the
/// object and the warnings the server would answer with (print them with
/// [`print_warnings`] when the request is really sent). A client dry run sends nothing, so
/// no field is refused: the object is what the server would keep of it.
pub fn decode_for_write(
    source: &str,
    doc: &Value,
    validation: Validation,
    client_dry_run: bool,
) -> Result<(Object, Vec<String>), super::VerbError> {
    if validation != Validation::Ignore {
        let errs = kubeplay_api::decode::object_kind_errors(doc);
        if !errs.is_empty() {
            // A utilerrors aggregate: one error as it is, several in brackets.
            let what = match errs.as_slice() {
                [one] => one.to_string(),
                many => format!("[{}]", many.join(", ")),
            };
            return Err(super::VerbError::Msg(format!(
                "error validating \"{source}\": error validating data: {what}; if you choose to ignore these errors, turn validation off with --validate=false"
            )));
        }
    }
    if client_dry_run {
        // Nothing is sent, so nothing the server would refuse (a field of the wrong type, a
        // Secret's data that is not base64) stops it: kubectl needs only what the document
        // names, and prints the document itself ([`super::output::client_view`]).
        return kubeplay_api::decode::decode_validated(doc, Validation::Ignore)
            .or_else(|_| kubeplay_api::decode::decode_named(doc))
            .map_err(|e| decode_error(source, doc, e));
    }
    kubeplay_api::decode::decode_validated(doc, validation)
        .map_err(|e| decode_error(source, doc, e))
}

/// The server's warnings, as kubectl prints them on stderr.
pub fn print_warnings(out: &mut crate::session::Output, warnings: &[String]) {
    for w in warnings {
        out.err(format!("Warning: {w}\n"));
    }
}

/// Decode one manifest document for a verb (`creating`, `applying`...). Schema errors come
/// back as the API server's BadRequest, naming the source; documents that do not say what
/// they are fail on the client.
pub fn decode_doc(source: &str, doc: &Value) -> Result<Object, super::VerbError> {
    kubeplay_api::decode::decode(doc).map_err(|e| decode_error(source, doc, e))
}

/// The objects the documents of `-f` files name (kind, namespace and name; see
/// [`reference_doc`]), each with its document, for verbs that take them by kind and name
/// (`scale`, `rollout`).
pub fn referenced(
    fs: &Vfs,
    stdin: &mut Option<Vec<u8>>,
    files: &[String],
    recursive: bool,
) -> Result<Vec<(Object, Value)>, String> {
    let sources = read_sources(fs, stdin, files, recursive)?;
    let mut out = Vec::new();
    for (source, doc) in documents(&sources)? {
        match reference_doc(&source, &doc) {
            Ok(o) => out.push((o, doc)),
            Err(super::VerbError::Msg(m)) => return Err(m),
            Err(super::VerbError::Api(e, _)) => return Err(e.message),
        }
    }
    Ok(out)
}

/// The object a document names, for verbs that act on existing objects (see
/// `kubeplay_api::decode::decode_reference`), with [`decode_doc`]'s errors.
pub fn reference_doc(source: &str, doc: &Value) -> Result<Object, super::VerbError> {
    kubeplay_api::decode::decode_reference(doc).map_err(|e| decode_error(source, doc, e))
}

fn decode_error(
    source: &str,
    doc: &Value,
    e: kubeplay_api::decode::DecodeError,
) -> super::VerbError {
    use super::VerbError;
    use kubeplay_api::decode::DecodeError;
    match e {
        DecodeError::Undecodable { .. } => VerbError::Api(
            kubeplay_api::ApiError::bad_request(e.message()),
            Some(("creating", source.to_string())),
        ),
        DecodeError::MissingKind { .. }
        | DecodeError::MissingApiVersion { .. }
        | DecodeError::NotAnObject { .. } => {
            VerbError::Msg(format!("unable to decode \"{source}\": {}", e.message()))
        }
        DecodeError::Syntax { .. } | DecodeError::Json { .. } | DecodeError::Separator { .. } => {
            VerbError::Msg(format!("error parsing {source}: {}", e.message()))
        }
        DecodeError::UnknownKind { .. } => VerbError::Msg(format!(
            "resource mapping not found for name: {:?} namespace: {:?} from \"{source}\": {}\nensure CRDs are installed first",
            doc.pointer("/metadata/name").and_then(Value::as_str).unwrap_or(""),
            doc.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or(""),
            e.message()
        )),
    }
}

/// Put an object read from a file into the command's namespace: set it when the file has
/// none, and refuse a different one when `-n` was given explicitly.
pub fn place_in_namespace(
    obj: &mut Object,
    ns: &str,
    enforce: bool,
) -> Result<(), super::VerbError> {
    if !obj.info().namespaced {
        return Ok(());
    }
    match obj.meta().namespace.clone() {
        Some(own) if !own.is_empty() => {
            if enforce && own != ns {
                return Err(super::VerbError::Msg(format!("the namespace from the provided object \"{own}\" does not match the namespace \"{ns}\". You must pass '--namespace={own}' to perform this operation.")));
            }
        }
        _ => obj.meta_mut().namespace = Some(ns.to_string()),
    }
    Ok(())
}

/// One object a verb acts on, as the builder found it.
pub struct Found {
    pub info: &'static ResourceInfo,
    pub ns: String,
    pub name: String,
    /// The `-f` source it came from.
    pub source: Option<String>,
    /// The live object, or why it could not be had (NotFound, a decode error...).
    pub obj: Result<Object, super::VerbError>,
}

/// Where to look, for [`find`].
pub struct Scope<'s> {
    pub files: &'s [String],
    pub recursive: bool,
    pub ns: &'s str,
    /// `-n` was given explicitly.
    pub enforce: bool,
    pub all_namespaces: bool,
}

impl<'s> Scope<'s> {
    /// The scope a verb's flags give: `-f` files, `-R`, the namespace (`-n` makes it
    /// enforced), `-A` where the verb has it.
    pub fn of(a: &super::flags::Args, files: &'s [String], ns: &'s str) -> Scope<'s> {
        Scope {
            files,
            recursive: a.bool("recursive"),
            ns,
            enforce: a.namespace().is_some(),
            all_namespaces: a.bool("all-namespaces"),
        }
    }
}

/// Run the builder for a verb that works on live objects: `-f` files (their objects fetched
/// from the cluster), or resource arguments, or a selector. The result is in kubectl's visit
/// order; lookup failures are per object, argument errors stop everything.
pub fn find(
    world: &World,
    fs: &Vfs,
    stdin: &mut Option<Vec<u8>>,
    scope: &Scope<'_>,
    args: &[String],
    opts: &Options,
) -> Result<Vec<Found>, String> {
    let mut out = Vec::new();
    if !scope.files.is_empty() {
        if !args.is_empty() {
            return Err(if args.iter().any(|a| a.contains('/')) {
                "resource/name arguments cannot be provided when a path is specified".into()
            } else {
                "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well".into()
            });
        }
        let sources = read_sources(fs, stdin, scope.files, scope.recursive)?;
        for (source, doc) in documents(&sources)? {
            match reference_doc(&source, &doc) {
                Ok(mut o) => {
                    if let Err(e) = place_in_namespace(&mut o, scope.ns, scope.enforce) {
                        out.push(Found {
                            info: o.info(),
                            ns: String::new(),
                            name: o.name().to_string(),
                            source: Some(source),
                            obj: Err(e),
                        });
                        continue;
                    }
                    let info = o.info();
                    let ns = o.namespace().unwrap_or("").to_string();
                    let name = o.name().to_string();
                    let live = world
                        .get_object(info.kind, &ns, &name)
                        .map_err(|e| super::VerbError::Api(e, None));
                    out.push(Found {
                        info,
                        ns,
                        name,
                        source: Some(source),
                        obj: live,
                    });
                }
                Err(e) => out.push(Found {
                    info: registry::info(Kind::Pod),
                    ns: String::new(),
                    name: String::new(),
                    source: Some(source),
                    obj: Err(e),
                }),
            }
        }
        return Ok(out);
    }
    match resolve(args, opts)? {
        Request::Named(v) => {
            if scope.all_namespaces {
                return Err("a resource cannot be retrieved by name across all namespaces".into());
            }
            for (info, name) in v {
                let obj = if name.is_empty() {
                    Err(super::VerbError::Msg(
                        "resource name may not be empty".into(),
                    ))
                } else {
                    world
                        .get_object(info.kind, scope.ns, &name)
                        .map_err(|e| super::VerbError::Api(e, None))
                };
                out.push(Found {
                    info,
                    ns: if info.namespaced {
                        scope.ns.to_string()
                    } else {
                        String::new()
                    },
                    name,
                    source: None,
                    obj,
                });
            }
        }
        Request::Bulk { types, selector } => {
            for info in types {
                let where_ = if scope.all_namespaces {
                    None
                } else {
                    Some(scope.ns)
                };
                for o in list(world, info, where_, &selector) {
                    out.push(Found {
                        info,
                        ns: o.namespace().unwrap_or("").to_string(),
                        name: o.name().to_string(),
                        source: None,
                        obj: Ok(o),
                    });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(args: &[&str], opts: Options) -> Result<Request, String> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        resolve(&v, &opts)
    }

    fn named(req: Request) -> Vec<(Kind, String)> {
        match req {
            Request::Named(v) => v.into_iter().map(|(i, n)| (i.kind, n)).collect(),
            other => panic!("not named: {other:?}"),
        }
    }

    #[test]
    fn type_and_names() {
        assert_eq!(
            named(r(&["deploy", "a", "b"], Options::default()).unwrap()),
            vec![
                (Kind::Deployment, "a".into()),
                (Kind::Deployment, "b".into())
            ]
        );
        assert_eq!(
            named(r(&["po/x", "deployment.apps/y"], Options::default()).unwrap()),
            vec![(Kind::Pod, "x".into()), (Kind::Deployment, "y".into())]
        );
        assert_eq!(
            named(r(&["deploy,svc", "web"], Options::default()).unwrap()),
            vec![
                (Kind::Deployment, "web".into()),
                (Kind::Service, "web".into())
            ]
        );
    }

    #[test]
    fn builder_errors() {
        let e = |args: &[&str], o: Options| r(args, o).unwrap_err();
        assert!(e(&["deploy", "deploy/x"], Options::default())
            .starts_with("there is no need to specify a resource type as a separate argument"));
        assert_eq!(
            e(&["pods"], Options::default()),
            "resource(s) were provided, but no name was specified"
        );
        assert_eq!(
            e(&["foo", "x"], Options::default()),
            "the server doesn't have a resource type \"foo\""
        );
        assert_eq!(e(&[], Options::default()), MISSING_RESOURCE);
        assert_eq!(
            e(&["a/b/c"], Options::default()),
            "arguments in resource/name form may not have more than one slash"
        );
        assert_eq!(
            e(&["/x"], Options::default()),
            "arguments in resource/name form must have a single resource and name"
        );
        let all = Options {
            all: true,
            ..Default::default()
        };
        assert_eq!(
            e(&["deploy", "x"], all.clone()),
            "name cannot be provided when a selector is specified"
        );
        assert_eq!(
            e(&["deploy/x"], all.clone()),
            "selectors and the all flag cannot be used when passing resource/name arguments"
        );
    }

    #[test]
    fn bulk_requests() {
        let get = Options {
            allow_empty_selector: true,
            ..Default::default()
        };
        match r(&["all"], get).unwrap() {
            Request::Bulk { types, selector } => {
                assert!(selector.is_empty());
                let kinds: Vec<Kind> = types.iter().map(|i| i.kind).collect();
                assert!(kinds.contains(&Kind::Pod) && kinds.contains(&Kind::Deployment));
            }
            other => panic!("{other:?}"),
        }
        let sel = Options {
            selector: Some("app=web".into()),
            ..Default::default()
        };
        assert!(matches!(r(&["po"], sel).unwrap(), Request::Bulk { .. }));
    }
}

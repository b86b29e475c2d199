//! `kubectl explain TYPE[.FIELD...] [--recursive]`, in the plaintext layout of kubectl's
//! OpenAPI v3 explainer, over the API descriptions in `explain.txt` (generated from
//! k8s-openapi's doc comments by `gen/explain.py`).
//!
//! The descriptions are a quarter of a megabyte of text that few sessions read, so the page
//! does not carry them in its wasm: it fetches `explain.txt` when a command line mentions
//! `explain` and hands the text to [`set_docs`]. Native builds (the `bundled-docs` feature)
//! compile the file in.

use super::flags::{self, Flag, FlagError};
use super::help::Doc;
use super::{Cx, Exec};
use kubeplay_api::registry;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

pub struct TypeDoc {
    pub name: &'static str,
    pub desc: &'static str,
    /// The fields, one record each, ended by `\x1e`: name, type, the object type it holds
    /// (empty if none), `r` if required, description, separated by `\x1f`.
    pub fields: &'static str,
}

#[derive(Clone, Copy)]
pub struct FieldDoc {
    pub name: &'static str,
    /// How kubectl shows the type: `string`, `[]Container`, `map[string]string`...
    pub ty: &'static str,
    /// The object type the field holds (or whose elements it holds), if any.
    pub of: Option<&'static str>,
    pub required: bool,
    pub desc: &'static str,
}

impl TypeDoc {
    fn fields(&self) -> impl Iterator<Item = FieldDoc> {
        self.fields.split_terminator('\x1e').map(|record| {
            let mut parts = record.split('\x1f');
            let mut next = || parts.next().unwrap_or("");
            let (name, ty, of, required, desc) = (next(), next(), next(), next(), next());
            FieldDoc {
                name,
                ty,
                of: (!of.is_empty()).then_some(of),
                required: required == "r",
                desc,
            }
        })
    }
}

/// The types of `explain.txt`: one record each, ended by `\x1c`: name `\x1f` description
/// `\x1d` fields. (A record that does not have that shape is skipped.)
fn parse_docs(text: &'static str) -> Vec<TypeDoc> {
    text.split_terminator('\x1c')
        .filter_map(|record| {
            let (head, fields) = record.split_once('\x1d')?;
            let (name, desc) = head.split_once('\x1f')?;
            Some(TypeDoc { name, desc, fields })
        })
        .collect()
}

static DOCS: OnceLock<Vec<TypeDoc>> = OnceLock::new();
/// A command needed the descriptions before they were there ([`docs_wanted`]).
static WANTED: AtomicBool = AtomicBool::new(false);
/// Why the embedder could not get them, the last time it tried ([`set_docs_error`]).
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Give `kubectl explain` its descriptions: the text of `explain.txt`. Only the first call
/// counts.
pub fn set_docs(text: &'static str) {
    let _ = DOCS.set(parse_docs(text));
    WANTED.store(false, Ordering::Relaxed);
    *FAILED.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

/// The embedder could not get `explain.txt`: `kubectl explain` says why until it can.
pub fn set_docs_error(reason: &str) {
    *FAILED.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason.to_string());
}

/// Whether `kubectl explain` has its descriptions.
pub fn docs_loaded() -> bool {
    docs().is_some()
}

/// Whether a command asked for the descriptions since they were last given (or failed to
/// come); reading it clears it. The embedder fetches them then.
pub fn docs_wanted() -> bool {
    WANTED.swap(false, Ordering::Relaxed)
}

#[cfg(feature = "bundled-docs")]
fn docs() -> Option<&'static [TypeDoc]> {
    Some(DOCS.get_or_init(|| parse_docs(include_str!("../../explain.txt"))))
}

#[cfg(not(feature = "bundled-docs"))]
fn docs() -> Option<&'static [TypeDoc]> {
    DOCS.get().map(Vec::as_slice)
}

static FLAGS: &[Flag] = &[
    Flag::bool("recursive", None),
    Flag::str("api-version", None),
    Flag::str("output", Some('o')).shows("'plaintext'"),
];

fn type_doc(name: &str) -> Option<&'static TypeDoc> {
    docs()?.iter().find(|t| t.name == name)
}

/// Word-wrap as go-wordwrap's `WrapString(s, limit)`: break at spaces so lines stay within
/// `limit`; a longer word stands alone.
fn wrap(s: &str, limit: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut cur = String::new();
        for word in para.split(' ') {
            if cur.is_empty() {
                cur.push_str(word);
            } else if cur.chars().count() + 1 + word.chars().count() > limit {
                lines.push(std::mem::take(&mut cur));
                cur.push_str(word);
            } else {
                cur.push(' ');
                cur.push_str(word);
            }
        }
        lines.push(cur);
    }
    lines
}

fn push_desc(out: &mut String, desc: &str, indent: usize) {
    let pad = " ".repeat(indent);
    for l in wrap(desc.trim_end(), 80 - indent) {
        out.push_str(&pad);
        out.push_str(&l);
        out.push('\n');
    }
}

fn field_line(out: &mut String, f: &FieldDoc, indent: usize) {
    out.push_str(&" ".repeat(indent));
    out.push_str(f.name);
    out.push('\t');
    out.push('<');
    out.push_str(f.ty);
    out.push('>');
    if f.required {
        out.push_str(" -required-");
    }
    out.push('\n');
}

fn recursive_fields(out: &mut String, t: &TypeDoc, indent: usize, depth: usize) {
    for f in t.fields() {
        field_line(out, &f, indent);
        if let Some(inner) = f.of.and_then(type_doc) {
            // Types that contain themselves (JSONSchemaProps-like) stop after a few levels.
            if depth < 12 && inner.name != t.name {
                recursive_fields(out, inner, indent + 2, depth + 1);
            }
        }
    }
}

/// The text `kubectl explain` prints for `path` (`deployment.spec.strategy`).
pub fn explain(path: &str, recursive: bool) -> Result<String, String> {
    let mut parts = path.split('.');
    let typed = parts.next().unwrap_or("");
    let info = registry::lookup(typed)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{typed}\"\n"))?;
    if !docs_loaded() {
        WANTED.store(true, Ordering::Relaxed);
        let why = FAILED.lock().unwrap_or_else(|e| e.into_inner()).clone();
        return Err(format!(
            "error: failed to download openapi: {}\n",
            why.as_deref()
                .unwrap_or("the API descriptions are still on their way; run the command again")
        ));
    }
    let root = type_doc(info.kind.as_str())
        .ok_or_else(|| format!("error: couldn't find resource for \"{}\"\n", info.plural))?;
    let mut cur = root;
    let mut field: Option<FieldDoc> = None;
    for p in parts.filter(|p| !p.is_empty()) {
        let f = cur
            .fields()
            .find(|f| f.name == p)
            .ok_or_else(|| format!("error: field \"{p}\" does not exist\n"))?;
        field = Some(f);
        match f.of.and_then(type_doc) {
            Some(t) => cur = t,
            None => {
                cur = &TypeDoc {
                    name: "",
                    desc: "",
                    fields: "",
                }
            }
        }
    }
    let mut out = String::new();
    if !info.group.is_empty() {
        out.push_str(&format!("GROUP:      {}\n", info.group));
    }
    out.push_str(&format!("KIND:       {}\n", info.kind.as_str()));
    out.push_str(&format!("VERSION:    {}\n\n", info.version));
    if let Some(f) = field {
        out.push_str(&format!("FIELD: {} <{}>\n\n\n", f.name, f.ty));
    }
    out.push_str("DESCRIPTION:\n");
    let desc = match field {
        Some(f) if !cur.desc.is_empty() => format!("{}\n{}", f.desc, cur.desc),
        Some(f) => f.desc.to_string(),
        None => root.desc.to_string(),
    };
    push_desc(&mut out, &desc, 4);
    out.push_str("    \n");
    if !cur.fields.is_empty() {
        out.push_str("FIELDS:\n");
        if recursive {
            recursive_fields(&mut out, cur, 2, 0);
        } else {
            for f in cur.fields() {
                field_line(&mut out, &f, 2);
                push_desc(&mut out, f.desc, 4);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

static DOC: Doc = Doc {
    path: "kubectl explain",
    long: "Show what a resource, or one of its fields given as a dotted path, is for, and the fields it has.",
    examples: "# A pod's fields
kubectl explain pod

# One field
kubectl explain deployment.spec.strategy.rollingUpdate

# Every field below one, as a tree
kubectl explain pod.spec.containers --recursive",
    usage: "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]",
    subcommands: &[],
};

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match flags::parse("kubectl explain", FLAGS, args) {
        Ok(a) => a,
        Err(FlagError::Help) => {
            cx.out.out(super::help::render(&DOC, FLAGS));
            return Exec::Done(0);
        }
        Err(FlagError::Usage(m)) => {
            cx.out.err(m);
            return Exec::Done(1);
        }
    };
    let Some(path) = a.positional.first() else {
        cx.out.err("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples\n");
        return Exec::Done(1);
    };
    if a.positional.len() > 1 {
        cx.out
            .err("error: We accept only this format: explain RESOURCE\n");
        return Exec::Done(1);
    }
    match explain(path, a.bool("recursive")) {
        Ok(s) => {
            cx.out.out(s);
            Exec::Done(0)
        }
        Err(m) => {
            cx.out.err(m);
            Exec::Done(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_fields() {
        let s = explain("deployment.spec.strategy", false).unwrap();
        assert!(s.starts_with("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n\n\nDESCRIPTION:\n    The deployment strategy to use to replace existing pods with new ones.\n    DeploymentStrategy describes how to replace existing pods with new ones.\n    \nFIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n"), "{s}");
        assert!(s.contains("  type\t<string>\n"));
        let p = explain("pods", false).unwrap();
        assert!(p.starts_with("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers"), "{p}");
        assert!(p.contains("  spec\t<PodSpec>\n"));
        let c = explain("po.spec.containers", false).unwrap();
        assert!(c.contains("FIELD: containers <[]Container>"));
        assert!(c.contains("  name\t<string> -required-\n"));
        assert!(c.contains("  envFrom\t<[]EnvFromSource>\n"));
    }

    #[test]
    fn recursive_and_errors() {
        let r = explain("deploy.spec.strategy", true).unwrap();
        assert!(r.ends_with("FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n"), "{r}");
        assert_eq!(
            explain("deploy.spec.nope", false).unwrap_err(),
            "error: field \"nope\" does not exist\n"
        );
        assert_eq!(
            explain("foo", false).unwrap_err(),
            "error: the server doesn't have a resource type \"foo\"\n"
        );
    }

    #[test]
    fn wraps_at_80_columns() {
        let p = explain("pod", false).unwrap();
        assert!(p
            .lines()
            .all(|l| l.chars().count() <= 80 || !l.trim().contains(' ')));
    }
}

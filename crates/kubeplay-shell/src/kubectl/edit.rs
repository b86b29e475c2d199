//! `kubectl edit`: on the page, the object opens as YAML in the editor and saving it updates
//! the object; the page finds the request in [`Output::edits`] and hands the saved text to
//! [`crate::Session::finish_edit`]. Where there is no editor (the CLI) it says so.

use super::flags::{Flag, FILENAME, OUTPUT};
use super::help::Doc;
use super::output::{self, object_value};
use super::resource::{self, Scope};
use super::{fail, namespace_of, parse_flags, print_api_error, print_errors, Cx, Exec};
use crate::session::Output;
use kubeplay_api::{Kind, Object};
use kubeplay_core::World;

static DOC: Doc = Doc {
    path: "kubectl edit",
    long: "Open resources in the editor as YAML; saving updates them on the server.

On the kubeplay page the object opens in the YAML editor. Lines starting with # are ignored, and saving an empty file, or the file unchanged, cancels the edit. Fields the server owns (status, resourceVersion...) can be left as they are.",
    examples: "# Edit a deployment\nkubectl edit deployment/web\n\n# Edit a config map in the dev namespace\nkubectl edit cm app-config -n dev",
    usage: "kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
    subcommands: &[],
};

static FLAGS: &[Flag] = &[
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    OUTPUT,
    Flag::bool("save-config", None),
    Flag::str("validate", None).with_no_opt("strict"),
    Flag::bool("windows-line-endings", None),
    Flag::str("field-manager", None),
    Flag::str("subresource", None),
    Flag::bool("show-managed-fields", None),
    Flag::bool("record", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
];

/// The header kubectl puts above the object in the editor.
pub const HEADER: &str =
    "# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
";

/// An object waiting to be edited on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditRequest {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    /// What the editor should show: [`HEADER`] and the object as YAML.
    pub text: String,
    /// The object's YAML as it was opened, to tell an unchanged save.
    pub original: String,
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let files = a.all("filename");
    let scope = Scope {
        files: &files,
        recursive: a.bool("recursive"),
        ns: &ns,
        enforce: a.namespace().is_some(),
        all_namespaces: false,
    };
    let found = match resource::find(
        cx.world,
        cx.fs,
        &mut cx.stdin,
        &scope,
        &a.positional,
        &resource::Options::default(),
    ) {
        Ok(f) => f,
        Err(e) => return fail(cx.out, e),
    };
    let mut objs = Vec::new();
    let mut errs = Vec::new();
    for f in found {
        match f.obj {
            Ok(o) => objs.push(o),
            Err(e) => errs.push(e),
        }
    }
    if !errs.is_empty() {
        return Exec::Done(print_errors(cx.out, &errs));
    }
    if !cx.out.editor {
        return fail(
            cx.out,
            "kubectl edit needs an editor, and this terminal has none. On the kubeplay page the object opens in the YAML editor; here, write it to a file, change it and replace it:\n  kubectl get TYPE NAME -o yaml > obj.yaml\n  kubectl replace -f obj.yaml",
        );
    }
    for o in objs {
        let yaml = output::yaml(&object_value(&o));
        cx.out.edits.push(EditRequest {
            kind: o.kind(),
            namespace: o.namespace().unwrap_or("").to_string(),
            name: o.name().to_string(),
            text: format!("{HEADER}{yaml}"),
            original: yaml,
        });
    }
    Exec::Done(0)
}

/// The editor was saved with `text`: update the object, or report why not.
pub fn finish(world: &mut World, out: &mut Output, req: &EditRequest, text: &str) -> i32 {
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    if body.trim().is_empty() || body == req.original {
        out.err("Edit cancelled, no changes made.\n");
        return 0;
    }
    let docs = match kubeplay_api::decode::parse_documents(&body) {
        Ok(d) => d,
        Err(e) => {
            out.err(format!("error: {}\n", e.message()));
            return 1;
        }
    };
    let Some(doc) = docs.into_iter().next() else {
        out.err("Edit cancelled, no changes made.\n");
        return 0;
    };
    let obj = match kubeplay_api::decode::decode(&doc) {
        Ok(o) => o,
        Err(e) => {
            out.err(format!("error: {}\n", e.message()));
            return 1;
        }
    };
    if obj.kind() != req.kind || obj.name() != req.name {
        out.err(format!(
            "error: At least one of apiVersion, kind and name was changed\n"
        ));
        return 1;
    }
    let info = obj.info();
    let mut obj: Object = obj;
    if info.namespaced {
        obj.meta_mut().namespace = Some(req.namespace.clone());
    }
    match world.update(obj, false) {
        Ok((o, changed)) => {
            if changed {
                out.out(format!("{}/{} edited\n", info.singular_group(), o.name()));
            } else {
                out.err("Edit cancelled, no changes made.\n");
            }
            0
        }
        Err(e) => {
            print_api_error(out, &e, None);
            1
        }
    }
}

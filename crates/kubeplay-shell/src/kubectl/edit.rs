//! `kubectl edit`: on the page, the object opens as YAML in the editor and saving it updates
//! the object; the page finds the request in [`Output::edits`] and hands the saved text to
//! [`crate::Session::finish_edit`]. Where there is no editor (the CLI) it says so.

use super::flags::{Flag, FILENAME, OUTPUT};
use super::help::Doc;
use super::output::{self, object_value};
use super::resource::{self, Scope};
use super::{fail, namespace_of, parse_flags, print_errors, Cx, Exec};
use crate::fs::Vfs;
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
    /// What the editor should show: [`HEADER`] and the object as YAML (after a failed save:
    /// the header, the reasons it failed, and the file as it was saved).
    pub text: String,
    /// The object's YAML as it was opened, to tell an unchanged save.
    pub original: String,
    /// The editor was reopened because the last save failed; it holds what was saved then.
    pub failed_save: Option<String>,
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse_flags(cx, &DOC, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let ns = namespace_of(cx, &a);
    let files = a.all("filename");
    let scope = Scope::of(&a, &files, &ns);
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
            failed_save: None,
        });
    }
    Exec::Done(0)
}

/// What happened to a saved edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditOutcome {
    /// The edit is over (updated, cancelled, or failed for good); the status is kubectl's.
    Done(i32),
    /// The save failed in a way kubectl answers by reopening the editor: the file with the
    /// reasons at the top.
    Reopen(EditRequest),
}

/// cmdutil.ManualStrip: the file without its comment lines.
fn manual_strip(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.starts_with('#') && !t.starts_with("#!") {
            continue;
        }
        out.push_str(l);
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
    out
}

/// cmdutil.StripComments: the file as data (YAML to JSON, which drops comments and layout),
/// or without its comment lines when it does not parse.
fn stripped(text: &str) -> Result<Vec<serde_json::Value>, String> {
    kubeplay_api::decode::parse_documents(text).map_err(|_| manual_strip(text))
}

/// `hasLines`: a line that is neither blank nor a comment.
fn has_lines(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

/// `# ` before each line of a reason (`hashOnLineBreak`).
fn hash_lines(s: &str) -> String {
    s.replace('\n', "\n# ")
}

/// Where kubectl leaves a copy of the edited file: os.CreateTemp's random number, here a
/// hash of the edit, so the same session writes the same name.
fn preserve(fs: &mut Vfs, req: &EditRequest, text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in req.name.bytes().chain(text.bytes()) {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    let path = format!("/tmp/kubectl-edit-{h}.yaml");
    fs.write(&path, text.as_bytes().to_vec());
    path
}

/// The editor again, with the reasons the save failed at the top (`editHeader.writeTo`).
fn reopen(req: &EditRequest, saved: &str, head: &str, causes: &[String]) -> EditOutcome {
    let mut text = HEADER.to_string();
    if causes.is_empty() {
        text.push_str(&format!("# {}\n", hash_lines(head)));
    } else {
        text.push_str(&format!("# {}:\n", hash_lines(head)));
        for c in causes {
            text.push_str(&format!("# * {}\n", hash_lines(c)));
        }
    }
    text.push_str("#\n");
    text.push_str(&manual_strip(saved));
    EditOutcome::Reopen(EditRequest {
        text,
        failed_save: Some(saved.to_string()),
        ..req.clone()
    })
}

/// The editor was saved with `text`: patch the object as `kubectl edit` does (a two-way
/// strategic merge patch from the object as opened to the file as saved, applied to the
/// object as it is now), or report why not, in kubectl's words (editoptions.go).
pub fn finish(
    world: &mut World,
    fs: &mut Vfs,
    out: &mut Output,
    req: &EditRequest,
    text: &str,
) -> EditOutcome {
    let info = kubeplay_api::registry::info(req.kind);
    let resource = info.plural_group();
    // Reopened after an error and saved again unchanged: give up, keeping a copy.
    if let Some(prev) = &req.failed_save {
        if stripped(prev) == stripped(text) {
            let path = preserve(fs, req, text);
            out.err(format!(
                "A copy of your changes has been stored to {path:?}\nerror: Edit cancelled, no valid changes were saved.\n"
            ));
            return EditOutcome::Done(1);
        }
    }
    if stripped(&req.original) == stripped(text) {
        out.err("Edit cancelled, no changes made.\n");
        return EditOutcome::Done(0);
    }
    if !has_lines(text) {
        out.err("Edit cancelled, saved file was empty.\n");
        return EditOutcome::Done(0);
    }
    let syntax = |e: String| {
        reopen(
            req,
            text,
            &format!("The edited file had a syntax error: {e}"),
            &[],
        )
    };
    let docs = match kubeplay_api::decode::parse_documents(text) {
        Ok(d) => d,
        Err(e) => return syntax(e.message()),
    };
    let Some(doc) = docs.into_iter().next() else {
        out.err("Edit cancelled, saved file was empty.\n");
        return EditOutcome::Done(0);
    };
    let edited = match kubeplay_api::decode::decode(&doc) {
        Ok(o) => o,
        Err(e) => return syntax(e.message()),
    };
    let kept = |fs: &mut Vfs, out: &mut Output, msg: String| {
        let path = preserve(fs, req, text);
        out.err(format!(
            "A copy of your changes has been stored to {path:?}\nerror: {msg}\n"
        ));
        EditOutcome::Done(1)
    };
    if edited.kind() != req.kind || edited.name() != req.name {
        return kept(
            fs,
            out,
            "At least one of apiVersion, kind and name was changed".into(),
        );
    }
    if let Some(ns) = edited
        .namespace()
        .filter(|ns| info.namespaced && *ns != req.namespace)
    {
        return kept(
            fs,
            out,
            format!(
                "the namespace from the provided object {ns:?} does not match the namespace {:?}. You must pass '--namespace={ns}' to perform this operation.",
                req.namespace
            ),
        );
    }
    let original = kubeplay_api::decode::parse_documents(&req.original)
        .ok()
        .and_then(|d| d.into_iter().next())
        .and_then(|d| kubeplay_api::decode::decode(&d).ok());
    let Some(original) = original else {
        return kept(fs, out, "no original object found".into());
    };
    let (from, to) = (object_value(&original), object_value(&edited));
    if from == to {
        out.out(format!("{}/{} skipped\n", info.singular_group(), req.name));
        return EditOutcome::Done(0);
    }
    let gone = |fs: &mut Vfs, out: &mut Output| {
        let path = preserve(fs, req, text);
        out.err(format!(
            "error: {resource} {:?} could not be found on the server\nThe edits you made on deleted resources have been saved to {path:?}\n",
            req.name
        ));
        EditOutcome::Done(1)
    };
    let Ok(live) = world.get_object(req.kind, &req.namespace, &req.name) else {
        return gone(fs, out);
    };
    let patch = super::merge::three_way(req.kind, &from, &to, &from);
    let not_patched = |fs: &mut Vfs, out: &mut Output, msg: &str| {
        let path = preserve(fs, req, text);
        out.err(format!(
            "error: {resource} {:?} could not be patched: {msg}\nYou can run `kubectl replace -f {path}` to try this update again.\n",
            req.name
        ));
        EditOutcome::Done(1)
    };
    let merged = match super::merge::strategic_merge(req.kind, &object_value(&live), &patch) {
        Ok(v) => v,
        Err(e) => return not_patched(fs, out, &e),
    };
    let obj: Object = match kubeplay_api::decode::decode(&merged) {
        Ok(o) => o,
        Err(e) => return not_patched(fs, out, &e.message()),
    };
    match world.update(obj, false) {
        Ok(_) => {
            out.out(format!("{}/{} edited\n", info.singular_group(), req.name));
            EditOutcome::Done(0)
        }
        Err(e) if e.reason == kubeplay_api::Reason::Invalid => {
            out.err(format!("error: {resource} {:?} is invalid\n", req.name));
            let causes: Vec<String> = e.causes.iter().map(|c| c.to_line()).collect();
            reopen(
                req,
                text,
                &format!("{resource} {:?} was not valid", req.name),
                &causes,
            )
        }
        Err(e) if e.reason == kubeplay_api::Reason::NotFound => gone(fs, out),
        Err(e) => not_patched(fs, out, &e.message),
    }
}

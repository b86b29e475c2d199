//! `kubectl label` and `kubectl annotate`: set (`key=value`), change (`--overwrite`) and remove
//! (`key-`) labels or annotations, or list them (`--list`).

use super::flags::{Flag, ALL_NAMESPACES, DRY_RUN, FILENAME, OUTPUT, SELECTOR};
use super::help::Doc;
use super::output::{self, object_value, print_result};
use super::resource::{self, Scope};
use super::{
    dry_run_of, fail, namespace_of, parse_flags, print_errors, Cx, DryRun, Exec, VerbError,
};
use kubeplay_api::Object;
use std::collections::BTreeMap;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Labels,
    Annotations,
}

static LABEL_DOC: Doc = Doc {
    path: "kubectl label",
    long: "Add, change or remove labels on resources.

  *  A label key and value start and end with a letter or digit and may contain letters, digits, '-', '_' and '.', up to 63 characters; the key may have a DNS-subdomain prefix and a '/', like example.com/tier.
  *  Changing a label that already has a different value needs --overwrite.
  *  KEY- removes the label KEY.",
    examples: "# Label pod web with tier=frontend\nkubectl label pods web tier=frontend\n\n# Change it\nkubectl label pods web tier=backend --overwrite\n\n# Label every pod in the namespace\nkubectl label pods --all status=checked\n\n# Remove the label tier\nkubectl label pods web tier-",
    usage: "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    subcommands: &[],
};

static ANNOTATE_DOC: Doc = Doc {
    path: "kubectl annotate",
    long: "Add, change or remove annotations on resources.

Annotations hold any text, meant for tools and people rather than for selecting objects. The annotation kubernetes.io/change-cause is what `kubectl rollout history` shows for a revision.

  *  Changing an annotation that already has a different value needs --overwrite (kubernetes.io/change-cause can always be changed).
  *  KEY- removes the annotation KEY.",
    examples: "# Describe why the current rollout happened\nkubectl annotate deployment/web kubernetes.io/change-cause=\"image updated to 1.16.1\"\n\n# Change an annotation\nkubectl annotate pods web description='my frontend' --overwrite\n\n# Remove it\nkubectl annotate pods web description-",
    usage: "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    subcommands: &[],
};

static FLAGS: &[Flag] = &[
    Flag::bool("overwrite", None),
    Flag::bool("list", None),
    Flag::bool("local", None),
    Flag::bool("all", None),
    ALL_NAMESPACES,
    SELECTOR,
    Flag::str("field-selector", None),
    Flag::str("resource-version", None),
    FILENAME,
    Flag::bool("recursive", Some('R')),
    Flag::str("kustomize", Some('k')),
    DRY_RUN,
    OUTPUT,
    Flag::str("field-manager", None),
    Flag::bool("record", None),
    Flag::str("template", None),
    Flag::bool("allow-missing-template-keys", None),
    Flag::bool("show-managed-fields", None),
];

/// `GetResourcesAndPairs`: resources first, then the changes.
fn resources_and_pairs(args: &[String], what: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut res, mut pairs) = (Vec::new(), Vec::new());
    let mut found = false;
    for s in args {
        let non_resource =
            (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        if non_resource {
            found = true;
            pairs.push(s.clone());
        } else if found {
            return Err(format!(
                "all resources must be specified before {what} changes: {s}"
            ));
        } else {
            res.push(s.clone());
        }
    }
    Ok((res, pairs))
}

type Changes = (BTreeMap<String, String>, Vec<String>);

/// `parseLabels`.
fn parse_labels(pairs: &[String]) -> Result<Changes, String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for p in pairs {
        if p.contains('=') {
            let parts: Vec<&str> = p.split('=').collect();
            if parts.len() != 2 {
                return Err(format!("invalid label spec: {p}"));
            }
            let errs = kubeplay_api::validate::label_value_errors(parts[1]);
            if !errs.is_empty() {
                return Err(format!("invalid label value: {:?}: {}", p, errs.join(";")));
            }
            set.insert(parts[0].to_string(), parts[1].to_string());
        } else if let Some(k) = p.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(format!("unknown label spec: {p}"));
        }
    }
    if remove.iter().any(|r| set.contains_key(r)) {
        return Err("can not both modify and remove a label in the same command".into());
    }
    Ok((set, remove))
}

/// `ParsePairs(..., "annotation", true)` + `validateAnnotations`.
fn parse_annotations(pairs: &[String]) -> Result<Changes, String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    let mut invalid = Vec::new();
    for p in pairs {
        if p.contains('=') && !p.starts_with('=') {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            set.insert(k.to_string(), v.to_string());
        } else if p.ends_with('-') && p != "-" {
            remove.push(p[..p.len() - 1].to_string());
        } else {
            invalid.push(p.clone());
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid annotation format: {}", invalid.join(", ")));
    }
    let both: Vec<&str> = remove
        .iter()
        .filter(|r| set.contains_key(*r))
        .map(String::as_str)
        .collect();
    if !both.is_empty() {
        return Err(format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        ));
    }
    Ok((set, remove))
}

pub fn run(cx: &mut Cx<'_>, args: &[String], which: Which) -> Exec {
    let doc = if which == Which::Labels {
        &LABEL_DOC
    } else {
        &ANNOTATE_DOC
    };
    let a = match parse_flags(cx, doc, FLAGS, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let what = if which == Which::Labels {
        "label"
    } else {
        "annotation"
    };
    let (resources, pairs) = match resources_and_pairs(&a.positional, what) {
        Ok(x) => x,
        Err(e) => return fail(cx.out, e),
    };
    let (set, remove) = match if which == Which::Labels {
        parse_labels(&pairs)
    } else {
        parse_annotations(&pairs)
    } {
        Ok(x) => x,
        Err(e) => return fail(cx.out, e),
    };
    let dry = match dry_run_of(&a) {
        Ok(d) => d,
        Err(e) => return fail(cx.out, e),
    };
    let format = output::format_of(&a);
    let list = a.bool("list");
    // Validate.
    if list && !format.is_empty() {
        return fail(cx.out, "--list and --output may not be specified together");
    }
    let all = a.bool("all");
    if all && a.has("selector") {
        return fail(cx.out, "cannot set --all and --selector at the same time");
    }
    if all && a.has("field-selector") {
        return fail(
            cx.out,
            "cannot set --all and --field-selector at the same time",
        );
    }
    let files = a.all("filename");
    let local = a.bool("local");
    if local {
        if dry == DryRun::Server {
            return fail(cx.out, super::LOCAL_SERVER_DRY_RUN);
        }
        if !resources.is_empty() {
            return fail(
                cx.out,
                if which == Which::Labels {
                    "can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set"
                } else {
                    "can only use local files by -f rsrc.yaml or --filename=rsrc.json when --local=true is set"
                },
            );
        }
        if files.is_empty() {
            return fail(
                cx.out,
                if which == Which::Labels {
                    "one or more files must be specified as -f pod.yaml or --filename=pod.json"
                } else {
                    "one or more files must be specified as -f rsrc.yaml or --filename=rsrc.json"
                },
            );
        }
    } else if resources.is_empty() && files.is_empty() {
        return fail(
            cx.out,
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if set.is_empty() && remove.is_empty() && !list {
        return fail(cx.out, format!("at least one {what} update is required"));
    }
    if let Err(e) = output::check_format(&format) {
        return fail(cx.out, e);
    }
    let ns = namespace_of(cx, &a);
    let scope = Scope::of(&a, &files, &ns);
    let opts = resource::Options {
        selector: a.str("selector").map(String::from),
        all,
        allow_empty_selector: all,
    };
    let found = if local {
        // --local: the objects come from the files themselves.
        match local_objects(cx, &files, a.bool("recursive"), &ns) {
            Ok(f) => f,
            Err(e) => return fail(cx.out, e),
        }
    } else {
        match resource::find(cx.world, cx.fs, &mut cx.stdin, &scope, &resources, &opts) {
            Ok(f) => f,
            Err(e) => return fail(cx.out, e),
        }
    };
    let single = found.len() == 1;
    if !single && a.has("resource-version") {
        return fail(
            cx.out,
            "--resource-version may only be used with a single resource",
        );
    }
    let record = a.bool("record").then(|| {
        a.change_cause(if which == Which::Labels {
            "label"
        } else {
            "annotate"
        })
    });
    let mut errs = Vec::new();
    for f in found {
        let live = match f.obj {
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        if let Some(rv) = a.str("resource-version") {
            if live.meta().resource_version.as_deref() != Some(rv) {
                errs.push(VerbError::Api(
                    kubeplay_api::ApiError::new(
                        kubeplay_api::Reason::Conflict,
                        format!("Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again", f.info.plural_group(), f.name),
                    ),
                    None,
                ));
                continue;
            }
        }
        let mut obj = live.clone();
        if which == Which::Labels && !local && !list && dry != DryRun::Client {
            let labels = live.meta().labels.clone().unwrap_or_default();
            for r in &remove {
                if !labels.contains_key(r) {
                    cx.out.out(format!("label {r:?} not found.\n"));
                }
            }
        }
        if let Err(e) = change(&mut obj, which, &set, &remove, a.bool("overwrite")) {
            errs.push(VerbError::Msg(e));
            continue;
        }
        if let Some(cmd) = &record {
            obj.meta_mut()
                .annotations
                .get_or_insert_with(Default::default)
                .insert(super::CHANGE_CAUSE.into(), cmd.clone());
        }
        let old_len = serde_json::to_string(&live.to_value())
            .map(|s| s.len())
            .unwrap_or(0);
        let new_len = serde_json::to_string(&obj.to_value())
            .map(|s| s.len())
            .unwrap_or(0);
        let msg = if which == Which::Labels {
            if obj == live {
                "not labeled"
            } else if !a.bool("overwrite") && new_len < old_len {
                "unlabeled"
            } else {
                "labeled"
            }
        } else {
            "annotated"
        };
        let result = match super::send_update(cx, obj, local || list || dry == DryRun::Client, dry)
        {
            Ok(o) => o,
            Err(e) => {
                errs.push(e);
                continue;
            }
        };
        if list {
            let map = if which == Which::Labels {
                result.meta().labels.clone()
            } else {
                result.meta().annotations.clone()
            }
            .unwrap_or_default();
            let indent = if single { "" } else { " " };
            if !single {
                let info = result.info();
                cx.out.out(format!(
                    "Listing {} for {}.{}/{}:\n",
                    if which == Which::Labels {
                        "labels"
                    } else {
                        "annotations"
                    },
                    info.kind.as_str(),
                    info.group,
                    f.name
                ));
            }
            for (k, v) in map {
                cx.out.out(format!("{indent}{k}={v}\n"));
            }
            continue;
        }
        print_result(
            cx,
            f.info,
            &object_value(&result),
            &format!("{msg}{}", if local { "" } else { dry.suffix() }),
            &format,
        );
    }
    Exec::Done(print_errors(cx.out, &errs))
}

/// Apply the changes to one object, refusing overwrites unless allowed.
fn change(
    obj: &mut Object,
    which: Which,
    set: &BTreeMap<String, String>,
    remove: &[String],
    overwrite: bool,
) -> Result<(), String> {
    let meta = obj.meta_mut();
    let map = if which == Which::Labels {
        &mut meta.labels
    } else {
        &mut meta.annotations
    };
    let current = map.clone().unwrap_or_default();
    if !overwrite {
        let clashes: Vec<String> = set
            .iter()
            .filter(|(k, _)| which == Which::Labels || k.as_str() != super::CHANGE_CAUSE)
            .filter_map(|(k, v)| match current.get(k) {
                Some(cur) if cur != v => Some(format!("'{k}' already has a value ({cur})")),
                _ => None,
            })
            .collect();
        if !clashes.is_empty() {
            return Err(if which == Which::Labels {
                clashes
                    .iter()
                    .map(|c| format!("{c}, and --overwrite is false"))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                format!(
                    "--overwrite is false but found the following declared annotation(s): {}",
                    clashes.join("; ")
                )
            });
        }
    }
    let mut m = current;
    for (k, v) in set {
        m.insert(k.clone(), v.clone());
    }
    for r in remove {
        m.remove(r);
    }
    *map = if m.is_empty() && map.is_none() {
        None
    } else {
        Some(m)
    };
    if map.as_ref().is_some_and(|m| m.is_empty()) {
        *map = None;
    }
    Ok(())
}

/// `--local`: objects straight from the files.
pub(crate) fn local_objects(
    cx: &mut Cx<'_>,
    files: &[String],
    recursive: bool,
    ns: &str,
) -> Result<Vec<resource::Found>, String> {
    let sources = resource::read_sources(cx.fs, &mut cx.stdin, files, recursive)?;
    let mut out = Vec::new();
    for (source, doc) in resource::documents(&sources)? {
        let obj = resource::decode_doc(&source, &doc);
        let (info, name) = match &obj {
            Ok(o) => (o.info(), o.name().to_string()),
            Err(_) => (
                kubeplay_api::registry::info(kubeplay_api::Kind::Pod),
                String::new(),
            ),
        };
        out.push(resource::Found {
            info,
            ns: ns.to_string(),
            name,
            source: Some(source),
            obj,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::kubectl::strs as s;

    #[test]
    fn pairs_follow_resources() {
        let (r, p) = resources_and_pairs(&s(&["pod", "web", "a=b", "c-"]), "label").unwrap();
        assert_eq!(r, s(&["pod", "web"]));
        assert_eq!(p, s(&["a=b", "c-"]));
        assert_eq!(
            resources_and_pairs(&s(&["pod", "a=b", "web"]), "label").unwrap_err(),
            "all resources must be specified before label changes: web"
        );
    }

    #[test]
    fn label_specs() {
        assert_eq!(
            parse_labels(&s(&["a=b=c"])).unwrap_err(),
            "invalid label spec: a=b=c"
        );
        assert!(parse_labels(&s(&["a=b c"]))
            .unwrap_err()
            .starts_with("invalid label value: \"a=b c\": a valid label must be"));
        assert_eq!(
            parse_labels(&s(&["a=b", "a-"])).unwrap_err(),
            "can not both modify and remove a label in the same command"
        );
        assert_eq!(
            parse_annotations(&s(&["=x"])).unwrap_err(),
            "invalid annotation format: =x"
        );
        let (set, _) = parse_annotations(&s(&["note=a=b c"])).unwrap();
        assert_eq!(set["note"], "a=b c");
    }
}

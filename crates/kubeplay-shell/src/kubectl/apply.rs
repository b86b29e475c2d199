//! `kubectl apply -f FILE|-`.

use super::{print_api_error, Cx, Exec};
use kubeplay_api::decode::{self, DecodeError};
use kubeplay_api::{ApiError, Object};

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-f" || a == "--filename" {
            match it.next() {
                Some(f) => files.push(f.clone()),
                None => {
                    cx.out.err("error: flag needs an argument: 'f' in -f\nSee 'kubectl apply --help' for usage.\n");
                    return Exec::Done(1);
                }
            }
        } else if let Some(f) = a
            .strip_prefix("--filename=")
            .or_else(|| a.strip_prefix("-f="))
        {
            files.push(f.to_string());
        } else {
            cx.out.err(format!(
                "error: unknown flag: {a}\nSee 'kubectl apply --help' for usage.\n"
            ));
            return Exec::Done(1);
        }
    }
    if files.is_empty() {
        cx.out.err("error: must specify one of -f and -k\n\n");
        return Exec::Done(1);
    }
    let mut code = 0;
    for f in files {
        let (name, text) = if f == "-" {
            ("STDIN".to_string(), cx.stdin.take().unwrap_or_default())
        } else {
            match cx.fs.read(&f) {
                Some(t) => (f.clone(), t),
                None => {
                    cx.out
                        .err(format!("error: the path \"{f}\" does not exist\n"));
                    return Exec::Done(1);
                }
            }
        };
        let text = String::from_utf8_lossy(&text).to_string();
        let docs = match decode::parse_documents(&text) {
            Ok(d) => d,
            Err(e) => {
                cx.out
                    .err(format!("error: error parsing {name}: {}\n", e.message()));
                return Exec::Done(1);
            }
        };
        if docs.is_empty() {
            cx.out.err("error: no objects passed to apply\n");
            return Exec::Done(1);
        }
        for doc in docs {
            let obj = match decode::decode(&doc) {
                Ok(o) => o,
                Err(e @ DecodeError::Undecodable { .. }) => {
                    cx.out.err(format!(
                        "Error from server (BadRequest): error when creating \"{name}\": {}\n",
                        e.message()
                    ));
                    code = 1;
                    continue;
                }
                Err(
                    e @ (DecodeError::MissingKind { .. } | DecodeError::MissingApiVersion { .. }),
                ) => {
                    cx.out.err(format!(
                        "error: unable to decode \"{name}\": {}\n",
                        e.message()
                    ));
                    code = 1;
                    continue;
                }
                Err(e) => {
                    cx.out.err(format!("error: resource mapping not found for name: {:?} namespace: \"\" from \"{name}\": {}\nensure CRDs are installed first\n", doc.pointer("/metadata/name").and_then(|v| v.as_str()).unwrap_or(""), e.message()));
                    code = 1;
                    continue;
                }
            };
            match apply_one(cx, obj) {
                Ok(line) => cx.out.out(line),
                Err((verb, e)) => {
                    print_api_error(cx.out, &e, Some((verb, &name)));
                    code = 1;
                }
            }
        }
    }
    Exec::Done(code)
}

fn apply_one(cx: &mut Cx<'_>, mut obj: Object) -> Result<String, (&'static str, ApiError)> {
    let info = obj.info();
    if info.namespaced && obj.meta().namespace.is_none() {
        obj.meta_mut().namespace = Some(cx.namespace.clone());
    }
    let ns = obj.namespace().unwrap_or("").to_string();
    let name = obj.name().to_string();
    let prefix = format!("{}/{}", info.singular_group(), name);
    match cx.world.get_object(obj.kind(), &ns, &name) {
        Err(_) => {
            cx.world
                .create_checked(obj, false)
                .map_err(|e| ("creating", e))?;
            Ok(format!("{prefix} created\n"))
        }
        Ok(_) => {
            let (_, changed) = cx
                .world
                .update(obj, false)
                .map_err(|e| ("applying patch", e))?;
            Ok(format!(
                "{prefix} {}\n",
                if changed { "configured" } else { "unchanged" }
            ))
        }
    }
}

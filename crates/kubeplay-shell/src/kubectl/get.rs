//! `kubectl get TYPE[,TYPE...] [NAME...]`.

use super::{print_api_error, Cx, Exec};
use crate::print::{self, table::Table};
use kubeplay_api::registry;

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let Some(types) = args.first() else {
        cx.out.err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n");
        return Exec::Done(1);
    };
    let mut infos = Vec::new();
    for t in types.split(',') {
        match registry::lookup(t) {
            Some(i) => infos.push(i),
            None => {
                cx.out.err(format!(
                    "error: the server doesn't have a resource type \"{t}\"\n"
                ));
                return Exec::Done(1);
            }
        }
    }
    let names = &args[1..];
    let multi = infos.len() > 1;
    let ns = cx.namespace.clone();
    let mut code = 0;
    let mut printed_any = false;
    for info in infos {
        let objs = if names.is_empty() {
            cx.world.list_objects(info.kind, Some(&ns))
        } else {
            let mut v = Vec::new();
            for n in names {
                match cx.world.get_object(info.kind, &ns, n) {
                    Ok(o) => v.push(o),
                    Err(e) => {
                        print_api_error(cx.out, &e, None);
                        code = 1;
                    }
                }
            }
            v
        };
        if objs.is_empty() {
            continue;
        }
        let mut t: Table = print::rows::table_for(info.kind, &objs, cx.world.now());
        if multi {
            t.prefix_names(&format!("{}/", info.singular_group()));
            if printed_any {
                cx.out.out("\n");
            }
        }
        cx.out.out(t.render());
        printed_any = true;
    }
    if !printed_any && code == 0 {
        cx.out
            .err(format!("No resources found in {ns} namespace.\n"));
    }
    Exec::Done(code)
}

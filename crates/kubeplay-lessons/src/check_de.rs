//! Reading a [`Check`] from JSON by a table of its variants' fields, with the results and the
//! error messages of the `#[derive(Deserialize)]` the type had (externally tagged through
//! `serde_json::Value`, `deny_unknown_fields`, camelCase names).
//!
//! Why: the derived code, a visitor per variant that reads each field as its own type and
//! accepts sequences as well as maps, was about 30 KB of the page's WebAssembly; a table and
//! one loop read the same. The derive is kept for the tests, which compare the two on many
//! inputs (`tests` below).

use crate::check::Check;
use kubeplay_api::de::unexpected;
use serde::de::{Deserialize, Error as _, Unexpected};
use serde_json::{Error, Value};

/// The type of one field, read with that type's own `Deserialize` (so with its errors).
#[derive(Clone, Copy)]
enum Ty {
    /// `String`, required.
    Str,
    /// `Option<String>`, default `None`.
    OptStr,
    /// `Option<i32>`, default `None`.
    OptI32,
    /// `Option<bool>`, default `None`.
    OptBool,
    /// `u64`, required.
    U64,
    /// `usize`, required.
    Usize,
    /// `bool`, default `true`.
    BoolYes,
}

use Ty::*;

/// The variants' names, in declaration order (`unknown variant` lists them so).
const VARIANTS: &[&str] = &[
    "deploymentImage",
    "deploymentReplicas",
    "deploymentRevision",
    "revisionCount",
    "deploymentStrategy",
    "configMapValue",
    "secretValue",
    "exists",
    "podCount",
    "podStatus",
    "field",
    "env",
    "containerFile",
    "file",
    "command",
];

/// Each variant's fields, in declaration order: names (as `unknown field` lists them) and types.
const FIELDS: &[(&[&str], &[Ty])] = &[
    (
        &["name", "namespace", "container", "image"],
        &[Str, OptStr, OptStr, Str],
    ),
    (
        &[
            "name",
            "namespace",
            "desired",
            "ready",
            "available",
            "updated",
        ],
        &[Str, OptStr, OptI32, OptI32, OptI32, OptI32],
    ),
    (&["name", "namespace", "revision"], &[Str, OptStr, U64]),
    (&["deployment", "namespace", "count"], &[Str, OptStr, Usize]),
    (&["name", "namespace", "type"], &[Str, OptStr, Str]),
    (
        &["name", "namespace", "key", "value"],
        &[Str, OptStr, Str, Str],
    ),
    (
        &["name", "namespace", "key", "value"],
        &[Str, OptStr, Str, Str],
    ),
    (
        &["kind", "name", "namespace", "exists"],
        &[Str, Str, OptStr, BoolYes],
    ),
    (
        &["selector", "namespace", "phase", "ready", "count"],
        &[Str, OptStr, OptStr, OptBool, Usize],
    ),
    (
        &["pod", "selector", "namespace", "ready", "status", "phase"],
        &[OptStr, OptStr, OptStr, OptStr, OptStr, OptStr],
    ),
    (
        &["kind", "name", "namespace", "path", "value"],
        &[Str, Str, OptStr, Str, Str],
    ),
    (
        &["pod", "selector", "namespace", "container", "var", "value"],
        &[OptStr, OptStr, OptStr, OptStr, Str, Str],
    ),
    (
        &[
            "pod",
            "selector",
            "namespace",
            "container",
            "path",
            "equals",
            "contains",
            "notContains",
        ],
        &[OptStr, OptStr, OptStr, OptStr, Str, OptStr, OptStr, OptStr],
    ),
    (
        &["path", "equals", "contains", "notContains"],
        &[Str, OptStr, OptStr, OptStr],
    ),
    (
        &["run", "status", "equals", "contains", "notContains"],
        &[Str, OptI32, OptStr, OptStr, OptStr],
    ),
];

/// One field's value once read (or its default).
enum Val {
    Absent,
    Str(String),
    OptStr(Option<String>),
    OptI32(Option<i32>),
    OptBool(Option<bool>),
    U64(u64),
    Usize(usize),
    Bool(bool),
}

fn read(ty: Ty, v: Value) -> Result<Val, Error> {
    Ok(match ty {
        Str => Val::Str(String::deserialize(v)?),
        OptStr => Val::OptStr(Option::<String>::deserialize(v)?),
        OptI32 => Val::OptI32(Option::<i32>::deserialize(v)?),
        OptBool => Val::OptBool(Option::<bool>::deserialize(v)?),
        U64 => Val::U64(u64::deserialize(v)?),
        Usize => Val::Usize(usize::deserialize(v)?),
        BoolYes => Val::Bool(bool::deserialize(v)?),
    })
}

/// The fields read, taken out in declaration order.
struct Fields(std::vec::IntoIter<Val>);

impl Fields {
    fn next(&mut self) -> Val {
        self.0.next().unwrap_or(Val::Absent)
    }
    fn s(&mut self) -> String {
        match self.next() {
            Val::Str(s) => s,
            _ => String::new(),
        }
    }
    fn os(&mut self) -> Option<String> {
        match self.next() {
            Val::OptStr(s) => s,
            _ => None,
        }
    }
    fn oi(&mut self) -> Option<i32> {
        match self.next() {
            Val::OptI32(n) => n,
            _ => None,
        }
    }
    fn ob(&mut self) -> Option<bool> {
        match self.next() {
            Val::OptBool(b) => b,
            _ => None,
        }
    }
    fn u64(&mut self) -> u64 {
        match self.next() {
            Val::U64(n) => n,
            _ => 0,
        }
    }
    fn usize(&mut self) -> usize {
        match self.next() {
            Val::Usize(n) => n,
            _ => 0,
        }
    }
    fn yes(&mut self) -> bool {
        match self.next() {
            Val::Bool(b) => b,
            _ => true,
        }
    }
}

/// A variant's fields from its JSON object: keys in the object's order, each unknown one an
/// error as met and each known one read as met; then the first required field missing, in
/// declaration order.
fn fields(names: &'static [&'static str], tys: &[Ty], v: Value) -> Result<Fields, Error> {
    let m = match v {
        Value::Object(m) => m,
        other => return Err(Error::invalid_type(unexpected(&other), &"struct variant")),
    };
    let mut vals: Vec<Val> = names.iter().map(|_| Val::Absent).collect();
    for (k, v) in m {
        let Some(i) = names.iter().position(|n| *n == k) else {
            return Err(Error::unknown_field(&k, names));
        };
        vals[i] = read(tys[i], v)?;
    }
    for (i, val) in vals.iter_mut().enumerate() {
        if matches!(val, Val::Absent) {
            *val = match tys[i] {
                Str | U64 | Usize => return Err(Error::missing_field(names[i])),
                OptStr => Val::OptStr(None),
                OptI32 => Val::OptI32(None),
                OptBool => Val::OptBool(None),
                BoolYes => Val::Bool(true),
            };
        }
    }
    Ok(Fields(vals.into_iter()))
}

impl Check {
    /// A check from its JSON form (`{"deploymentImage": {"name": ..., ...}}`), as serde's
    /// derived `Deserialize` would read it through `serde_json::from_value`.
    pub fn from_json(v: Value) -> Result<Check, Error> {
        let (variant, body) = match v {
            Value::Object(m) => {
                let mut it = m.into_iter();
                match (it.next(), it.next()) {
                    (Some((k, v)), None) => (k, Some(v)),
                    _ => {
                        return Err(Error::invalid_value(
                            Unexpected::Map,
                            &"map with a single key",
                        ))
                    }
                }
            }
            Value::String(s) => (s, None),
            other => return Err(Error::invalid_type(unexpected(&other), &"string or map")),
        };
        let Some(i) = VARIANTS.iter().position(|n| *n == variant) else {
            return Err(Error::unknown_variant(&variant, VARIANTS));
        };
        let Some(body) = body else {
            return Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            ));
        };
        let (names, tys) = FIELDS[i];
        let mut f = fields(names, tys, body)?;
        Ok(match i {
            0 => Check::DeploymentImage {
                name: f.s(),
                namespace: f.os(),
                container: f.os(),
                image: f.s(),
            },
            1 => Check::DeploymentReplicas {
                name: f.s(),
                namespace: f.os(),
                desired: f.oi(),
                ready: f.oi(),
                available: f.oi(),
                updated: f.oi(),
            },
            2 => Check::DeploymentRevision {
                name: f.s(),
                namespace: f.os(),
                revision: f.u64(),
            },
            3 => Check::RevisionCount {
                deployment: f.s(),
                namespace: f.os(),
                count: f.usize(),
            },
            4 => Check::DeploymentStrategy {
                name: f.s(),
                namespace: f.os(),
                type_: f.s(),
            },
            5 => Check::ConfigMapValue {
                name: f.s(),
                namespace: f.os(),
                key: f.s(),
                value: f.s(),
            },
            6 => Check::SecretValue {
                name: f.s(),
                namespace: f.os(),
                key: f.s(),
                value: f.s(),
            },
            7 => Check::Exists {
                kind: f.s(),
                name: f.s(),
                namespace: f.os(),
                exists: f.yes(),
            },
            8 => Check::PodCount {
                selector: f.s(),
                namespace: f.os(),
                phase: f.os(),
                ready: f.ob(),
                count: f.usize(),
            },
            9 => Check::PodStatus {
                pod: f.os(),
                selector: f.os(),
                namespace: f.os(),
                ready: f.os(),
                status: f.os(),
                phase: f.os(),
            },
            10 => Check::Field {
                kind: f.s(),
                name: f.s(),
                namespace: f.os(),
                path: f.s(),
                value: f.s(),
            },
            11 => Check::Env {
                pod: f.os(),
                selector: f.os(),
                namespace: f.os(),
                container: f.os(),
                var: f.s(),
                value: f.s(),
            },
            12 => Check::ContainerFile {
                pod: f.os(),
                selector: f.os(),
                namespace: f.os(),
                container: f.os(),
                path: f.s(),
                equals: f.os(),
                contains: f.os(),
                not_contains: f.os(),
            },
            13 => Check::File {
                path: f.s(),
                equals: f.os(),
                contains: f.os(),
                not_contains: f.os(),
            },
            _ => Check::Command {
                run: f.s(),
                status: f.oi(),
                equals: f.os(),
                contains: f.os(),
                not_contains: f.os(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The derived reading (kept for tests only) and the table's agree: same check, or the
    /// same error message.
    fn same(v: Value) {
        let derived: Result<Check, Error> = serde_json::from_value(v.clone());
        let table = Check::from_json(v.clone());
        match (derived, table) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{v}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{v}"),
            (a, b) => panic!("{v}: derived {a:?}, table {b:?}"),
        }
    }

    #[test]
    fn table_reads_as_the_derive_does() {
        // Every variant, all fields given, then only the required ones.
        let full: Vec<Value> = vec![
            json!({"deploymentImage": {"name": "w", "namespace": "n", "container": "c", "image": "i"}}),
            json!({"deploymentReplicas": {"name": "w", "namespace": "n", "desired": 1, "ready": 2, "available": 3, "updated": 4}}),
            json!({"deploymentRevision": {"name": "w", "namespace": "n", "revision": 7}}),
            json!({"revisionCount": {"deployment": "w", "namespace": "n", "count": 2}}),
            json!({"deploymentStrategy": {"name": "w", "namespace": "n", "type": "Recreate"}}),
            json!({"configMapValue": {"name": "w", "namespace": "n", "key": "k", "value": "v"}}),
            json!({"secretValue": {"name": "w", "namespace": "n", "key": "k", "value": "v"}}),
            json!({"exists": {"kind": "pod", "name": "a", "namespace": "n", "exists": false}}),
            json!({"podCount": {"selector": "a=b", "namespace": "n", "phase": "Running", "ready": true, "count": 3}}),
            json!({"podStatus": {"pod": "p", "selector": "s", "namespace": "n", "ready": "1/1", "status": "Running", "phase": "Running"}}),
            json!({"field": {"kind": "deploy", "name": "w", "namespace": "n", "path": "spec", "value": "v"}}),
            json!({"env": {"pod": "p", "selector": "s", "namespace": "n", "container": "c", "var": "A", "value": "1"}}),
            json!({"containerFile": {"pod": "p", "selector": "s", "namespace": "n", "container": "c", "path": "/x", "equals": "e", "contains": "c", "notContains": "n"}}),
            json!({"file": {"path": "a", "equals": "e", "contains": "c", "notContains": "n"}}),
            json!({"command": {"run": "true", "status": 0, "equals": "e", "contains": "c", "notContains": "n"}}),
        ];
        for v in &full {
            same(v.clone());
            let (variant, body) = v.as_object().unwrap().iter().next().unwrap();
            let body = body.as_object().unwrap();
            // Each field left out, set to null, to a number, a string, a negative, a big
            // number, a bool, a list, a map; and an unknown field before and after the others.
            for k in body.keys() {
                let mut without = body.clone();
                without.remove(k);
                same(json!({variant.clone(): without}));
                for bad in [
                    json!(null),
                    json!(5),
                    json!("x"),
                    json!(-3),
                    json!(5_000_000_000u64),
                    json!(1.5),
                    json!(true),
                    json!([1]),
                    json!({"a": 1}),
                ] {
                    let mut b = body.clone();
                    b.insert(k.clone(), bad);
                    same(json!({variant.clone(): b}));
                }
            }
            for extra in ["aaa", "zzz", "Name", "not_contains"] {
                let mut b = body.clone();
                b.insert(extra.into(), json!(1));
                same(json!({variant.clone(): b}));
            }
            same(json!({variant.clone(): {}}));
            same(json!({variant.clone(): null}));
            same(json!({variant.clone(): [1, 2]}));
            same(json!({variant.clone(): "x"}));
            same(json!(variant.clone()));
        }
        // The enum's own shapes.
        for v in [
            json!({}),
            json!({"file": {"path": "a"}, "exists": {"kind": "pod", "name": "a"}}),
            json!({"deploymentimage": {}}),
            json!({"nope": 1}),
            json!("nope"),
            json!(null),
            json!(3),
            json!(true),
            json!([{"file": {"path": "a"}}]),
        ] {
            same(v);
        }
    }
}

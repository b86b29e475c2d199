//! Patches as the API server and kubectl compute and apply them:
//!
//! * strategic merge patch (apimachinery `strategicpatch`): maps merge; lists of objects that
//!   have a patch merge key (`containers` by `name`, `ports` by `containerPort`...) merge item
//!   by item; other lists are replaced; `null` deletes; the `$patch: delete|replace` and
//!   `$retainKeys` directives;
//! * the three-way patch `kubectl apply` sends (`CreateThreeWayMergePatch`): changes from the
//!   live object to the new configuration, ignoring fields the configuration never had, plus
//!   deletions of fields the last applied configuration had and the new one has not;
//! * JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
//!
//! Which lists merge by which key is the kinds' schema, written out in [`list_merge_key`].

use kubeplay_api::Kind;
use serde_json::{Map, Value};

/// Path of field names from the object's root (list indexes left out).
type Path = Vec<String>;

/// Where the pod spec sits in each kind that has one.
fn pod_spec_prefix(kind: Kind) -> Option<&'static [&'static str]> {
    match kind {
        Kind::Pod => Some(&["spec"]),
        Kind::Deployment | Kind::ReplicaSet => Some(&["spec", "template", "spec"]),
        _ => None,
    }
}

/// The patch merge key of the list at `path`, if the list merges item by item
/// (`patchStrategy:"merge"` with `patchMergeKey` in the Go types).
pub fn list_merge_key(kind: Kind, path: &[String]) -> Option<&'static str> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    // Metadata, wherever it is (the object's or a pod template's).
    if p.last() == Some(&"ownerReferences") {
        return Some("uid");
    }
    if p.ends_with(&["status", "conditions"]) && p.len() == 2 {
        return Some("type");
    }
    if kind == Kind::Service && p == ["spec", "ports"] {
        return Some("port");
    }
    if let Some(prefix) = pod_spec_prefix(kind) {
        if p.len() > prefix.len() && p[..prefix.len()] == *prefix {
            let rel = &p[prefix.len()..];
            return match rel {
                ["containers"] | ["initContainers"] | ["ephemeralContainers"] => Some("name"),
                ["volumes"] | ["imagePullSecrets"] | ["resourceClaims"] | ["schedulingGates"] => {
                    Some("name")
                }
                ["hostAliases"] => Some("ip"),
                ["topologySpreadConstraints"] => Some("topologyKey"),
                [c, "ports"] if is_containers(c) => Some("containerPort"),
                [c, "env"] if is_containers(c) => Some("name"),
                [c, "volumeMounts"] if is_containers(c) => Some("mountPath"),
                [c, "volumeDevices"] if is_containers(c) => Some("devicePath"),
                _ => None,
            };
        }
    }
    None
}

fn is_containers(s: &str) -> bool {
    matches!(s, "containers" | "initContainers" | "ephemeralContainers")
}

/// Lists of strings merged as sets (`patchStrategy:"merge"` without a key).
fn is_set_list(path: &[String]) -> bool {
    path.last().map(String::as_str) == Some("finalizers")
}

/// Maps whose keys are retained only as the patch lists them (`patchStrategy:"retainKeys"`):
/// a deployment's strategy, and each volume (its source is a union).
fn retains_keys(kind: Kind, path: &[String]) -> bool {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    if matches!(kind, Kind::Deployment) && p == ["spec", "strategy"] {
        return true;
    }
    if let Some(prefix) = pod_spec_prefix(kind) {
        if p.len() == prefix.len() + 1
            && p[..prefix.len()] == *prefix
            && p[prefix.len()] == "volumes"
        {
            return true;
        }
    }
    false
}

fn child(path: &[String], k: &str) -> Path {
    let mut p = path.to_vec();
    p.push(k.to_string());
    p
}

// ----- applying a strategic merge patch -----

/// Apply a strategic merge patch to `live`, as the API server does for
/// `application/strategic-merge-patch+json`.
pub fn strategic_merge(kind: Kind, live: &Value, patch: &Value) -> Result<Value, String> {
    merge_value(kind, &[], live, patch)
}

fn merge_value(kind: Kind, path: &[String], live: &Value, patch: &Value) -> Result<Value, String> {
    match (live, patch) {
        (Value::Object(l), Value::Object(p)) => Ok(Value::Object(merge_map(kind, path, l, p)?)),
        (_, Value::Object(p)) => {
            // Nothing to merge into: the patch (minus directives) is the value.
            Ok(Value::Object(merge_map(kind, path, &Map::new(), p)?))
        }
        _ => Ok(strip_directives(patch)),
    }
}

fn merge_map(
    kind: Kind,
    path: &[String],
    live: &Map<String, Value>,
    patch: &Map<String, Value>,
) -> Result<Map<String, Value>, String> {
    if let Some(Value::String(d)) = patch.get("$patch") {
        match d.as_str() {
            "replace" => {
                let mut m = patch.clone();
                m.remove("$patch");
                return match strip_directives(&Value::Object(m)) {
                    Value::Object(m) => Ok(m),
                    _ => Ok(Map::new()),
                };
            }
            "delete" => return Ok(Map::new()),
            other => return Err(format!("Unknown patch type: {other:?}")),
        }
    }
    let mut out = live.clone();
    if let Some(Value::Array(keep)) = patch.get("$retainKeys") {
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        out.retain(|k, _| keep.contains(&k.as_str()));
    }
    for (k, pv) in patch {
        if k.starts_with('$') {
            continue;
        }
        let p = child(path, k);
        match pv {
            Value::Null => {
                out.remove(k);
            }
            Value::Object(_) => {
                let lv = out.get(k).cloned().unwrap_or(Value::Null);
                let merged = merge_value(kind, &p, &lv, pv)?;
                out.insert(k.clone(), merged);
            }
            Value::Array(items) => {
                let lv = out.get(k).cloned();
                let merged = match (lv, list_merge_key(kind, &p)) {
                    (Some(Value::Array(l)), Some(key)) => {
                        Value::Array(merge_list(kind, &p, &l, items, key)?)
                    }
                    (_, Some(key)) => Value::Array(merge_list(kind, &p, &[], items, key)?),
                    (Some(Value::Array(l)), None) if is_set_list(&p) => {
                        let mut v = l.clone();
                        for i in items {
                            if !v.contains(i) {
                                v.push(i.clone());
                            }
                        }
                        Value::Array(v)
                    }
                    _ => strip_directives(pv),
                };
                out.insert(k.clone(), merged);
            }
            other => {
                out.insert(k.clone(), other.clone());
            }
        }
    }
    Ok(out)
}

fn merge_list(
    kind: Kind,
    path: &[String],
    live: &[Value],
    patch: &[Value],
    key: &str,
) -> Result<Vec<Value>, String> {
    // `[{"$patch": "replace"}, ...]` replaces the list.
    if patch
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        return Ok(patch
            .iter()
            .filter(|i| i.get("$patch").is_none())
            .map(strip_directives)
            .collect());
    }
    let mut out: Vec<Value> = live.to_vec();
    for item in patch {
        let Some(kv) = item.get(key) else {
            if item.is_object() {
                return Err(format!(
                    "map: {} does not contain declared merge key: {key}",
                    go_map(item)
                ));
            }
            out.push(item.clone());
            continue;
        };
        let pos = out.iter().position(|l| l.get(key) == Some(kv));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            out.retain(|l| l.get(key) != Some(kv));
            continue;
        }
        match pos {
            Some(i) => {
                let merged = merge_value(kind, path, &out[i], item)?;
                out[i] = merged;
            }
            None => out.push(merge_value(kind, path, &Value::Null, item)?),
        }
    }
    Ok(out)
}

/// Go's `%v` of a map, for error messages.
fn go_map(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_map(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The patch's own value with directives removed (for fields that are simply replaced).
fn strip_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            // Extended, not collected: collecting a map sorts it (a copy of the sort).
            let mut out = serde_json::Map::new();
            out.extend(
                m.iter()
                    .filter(|(k, _)| !k.starts_with('$'))
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), strip_directives(v))),
            );
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(strip_directives).collect()),
        other => other.clone(),
    }
}

// ----- computing the three-way patch of `kubectl apply` -----

/// `CreateThreeWayMergePatch(original, modified, current)`: what to send so that the live
/// object takes the new configuration, keeps fields others set, and loses fields only the
/// previous configuration had. `{}` means there is nothing to do.
pub fn three_way(kind: Kind, original: &Value, modified: &Value, current: &Value) -> Value {
    let delta = diff(kind, &[], current, modified, false);
    let deletions = diff(kind, &[], original, modified, true);
    let mut patch = merge_patches(kind, &[], &deletions, &delta);
    if let Value::Object(m) = &mut patch {
        m.retain(|_, v| !is_empty_map(v));
    }
    patch
}

fn is_empty_map(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.is_empty())
}

/// The patch from `from` to `to`. With `only_deletions`, just the fields `from` has and `to`
/// lacks (as nulls or `$patch: delete` list items); otherwise just changes and additions.
fn diff(kind: Kind, path: &[String], from: &Value, to: &Value, only_deletions: bool) -> Value {
    let (Value::Object(f), Value::Object(t)) = (from, to) else {
        return Value::Object(Map::new());
    };
    let mut patch = Map::new();
    if only_deletions {
        for (k, fv) in f {
            if k.starts_with('$') {
                continue;
            }
            match t.get(k) {
                None => {
                    patch.insert(k.clone(), Value::Null);
                }
                Some(tv) => {
                    let p = child(path, k);
                    if let Some(v) = diff_value(kind, &p, fv, tv, true) {
                        patch.insert(k.clone(), v);
                    }
                }
            }
        }
    } else {
        for (k, tv) in t {
            let p = child(path, k);
            match f.get(k) {
                None => {
                    if !tv.is_null() {
                        patch.insert(k.clone(), tv.clone());
                    }
                }
                Some(fv) => {
                    if let Some(v) = diff_value(kind, &p, fv, tv, false) {
                        patch.insert(k.clone(), v);
                    }
                }
            }
        }
    }
    if !patch.is_empty() && retains_keys(kind, path) && !only_deletions {
        let mut keys: Vec<Value> = t.keys().map(|k| Value::String(k.clone())).collect();
        kubeplay_sort::sort_by(&mut keys, |a, b| a.as_str().cmp(&b.as_str()));
        patch.insert("$retainKeys".into(), Value::Array(keys));
    }
    Value::Object(patch)
}

/// The patch for one field present on both sides, or `None` when there is nothing to send.
fn diff_value(
    kind: Kind,
    path: &[String],
    f: &Value,
    t: &Value,
    only_deletions: bool,
) -> Option<Value> {
    match (f, t) {
        (Value::Object(_), Value::Object(_)) => {
            let d = diff(kind, path, f, t, only_deletions);
            (!is_empty_map(&d)).then_some(d)
        }
        (Value::Array(fa), Value::Array(ta)) => match list_merge_key(kind, path) {
            Some(key) => {
                let d = diff_list(kind, path, fa, ta, key, only_deletions);
                (!d.is_empty()).then_some(Value::Array(d))
            }
            None => {
                if only_deletions || fa == ta {
                    None
                } else {
                    Some(t.clone())
                }
            }
        },
        _ => {
            if only_deletions || f == t {
                None
            } else {
                Some(t.clone())
            }
        }
    }
}

fn diff_list(
    kind: Kind,
    path: &[String],
    from: &[Value],
    to: &[Value],
    key: &str,
    only_deletions: bool,
) -> Vec<Value> {
    let mut out = Vec::new();
    if only_deletions {
        for fi in from {
            let Some(kv) = fi.get(key) else { continue };
            match to.iter().find(|t| t.get(key) == Some(kv)) {
                None => {
                    let mut m = Map::new();
                    m.insert("$patch".into(), Value::String("delete".into()));
                    m.insert(key.into(), kv.clone());
                    out.push(Value::Object(m));
                }
                Some(ti) => {
                    let d = diff(kind, path, fi, ti, true);
                    if let Value::Object(mut m) = d {
                        if !m.is_empty() {
                            m.insert(key.into(), kv.clone());
                            out.push(Value::Object(m));
                        }
                    }
                }
            }
        }
    } else {
        for ti in to {
            let Some(kv) = ti.get(key) else {
                out.push(ti.clone());
                continue;
            };
            match from.iter().find(|f| f.get(key) == Some(kv)) {
                None => out.push(ti.clone()),
                Some(fi) => {
                    if let Value::Object(mut m) = diff(kind, path, fi, ti, false) {
                        if !m.is_empty() {
                            m.insert(key.into(), kv.clone());
                            out.push(Value::Object(m));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Merge two patches (deletions first, then changes), list items by their merge key.
fn merge_patches(kind: Kind, path: &[String], a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(am), Value::Object(bm)) => {
            let mut out = am.clone();
            for (k, bv) in bm {
                let p = child(path, k);
                let merged = match out.get(k) {
                    Some(av) => merge_patches(kind, &p, av, bv),
                    None => bv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(aa), Value::Array(ba)) => match list_merge_key(kind, path) {
            Some(key) => {
                let mut out = aa.clone();
                for bi in ba {
                    match bi
                        .get(key)
                        .and_then(|kv| out.iter().position(|x| x.get(key) == Some(kv)))
                    {
                        Some(i) => out[i] = merge_patches(kind, path, &out[i], bi),
                        None => out.push(bi.clone()),
                    }
                }
                Value::Array(out)
            }
            None => b.clone(),
        },
        _ => b.clone(),
    }
}

// ----- JSON merge patch and JSON patch -----

/// RFC 7386.
pub fn json_merge(target: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(p) => {
            let mut out = match target {
                Value::Object(t) => t.clone(),
                _ => Map::new(),
            };
            for (k, v) in p {
                if v.is_null() {
                    out.remove(k);
                } else {
                    let cur = out.get(k).cloned().unwrap_or(Value::Null);
                    out.insert(k.clone(), json_merge(&cur, v));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// RFC 6902, with the error texts of the json-patch library the API server uses.
pub fn json_patch(doc: &Value, ops: &Value) -> Result<Value, String> {
    let Value::Array(ops) = ops else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = doc.clone();
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str);
        let Some(path) = path else {
            return Err(format!("Unexpected kind: {kind}"));
        };
        match kind {
            "add" => {
                let v = op.get("value").cloned().ok_or("missing value")?;
                add(&mut doc, path, v)?;
            }
            "remove" => {
                remove(&mut doc, path)?;
            }
            "replace" => {
                let v = op.get("value").cloned().ok_or("missing value")?;
                if doc.pointer(path).is_none() {
                    return Err(format!("replace operation does not apply: doc is missing key: {path}: missing value"));
                }
                if let Some(slot) = doc.pointer_mut(path) {
                    *slot = v;
                }
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let v = doc
                    .pointer(from)
                    .cloned()
                    .ok_or_else(|| format!("{kind} operation does not apply: doc is missing from path: {from}: missing value"))?;
                if kind == "move" {
                    remove(&mut doc, from)?;
                }
                add(&mut doc, path, v)?;
            }
            "test" => {
                let v = op.get("value").cloned().unwrap_or(Value::Null);
                if doc.pointer(path) != Some(&v) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn split_pointer(path: &str) -> Result<(String, String), String> {
    let idx = path
        .rfind('/')
        .ok_or_else(|| format!("doc is missing path: {path:?}: missing value"))?;
    let last = path[idx + 1..].replace("~1", "/").replace("~0", "~");
    Ok((path[..idx].to_string(), last))
}

fn add(doc: &mut Value, path: &str, v: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = v;
        return Ok(());
    }
    let (parent, last) = split_pointer(path)?;
    let missing =
        || format!("add operation does not apply: doc is missing path: {path:?}: missing value");
    let Some(target) = doc.pointer_mut(&parent) else {
        return Err(missing());
    };
    match target {
        Value::Object(m) => {
            m.insert(last, v);
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(v);
            } else {
                let i: usize = last.parse().map_err(|_| missing())?;
                if i > a.len() {
                    return Err(format!("add operation does not apply: doc is missing path: {path:?}: missing value"));
                }
                a.insert(i, v);
            }
        }
        _ => return Err(missing()),
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &str) -> Result<(), String> {
    let (parent, last) = split_pointer(path)?;
    let missing =
        || format!("remove operation does not apply: doc is missing path: {path:?}: missing value");
    let Some(target) = doc.pointer_mut(&parent) else {
        return Err(missing());
    };
    match target {
        Value::Object(m) => {
            m.remove(&last).ok_or_else(missing)?;
        }
        Value::Array(a) => {
            let i: usize = last.parse().map_err(|_| missing())?;
            if i >= a.len() {
                return Err(missing());
            }
            a.remove(i);
        }
        _ => return Err(missing()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn containers_merge_by_name_and_env_by_name() {
        let live = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "nginx:1", "env": [{"name": "X", "value": "1"}]},
            {"name": "b", "image": "busybox"}
        ]}}}});
        let patch = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "nginx:2", "env": [{"name": "Y", "value": "2"}]}
        ]}}}});
        let out = strategic_merge(Kind::Deployment, &live, &patch).unwrap();
        let cs = &out["spec"]["template"]["spec"]["containers"];
        assert_eq!(cs.as_array().unwrap().len(), 2);
        assert_eq!(cs[0]["image"], "nginx:2");
        assert_eq!(cs[0]["env"].as_array().unwrap().len(), 2);
        assert_eq!(cs[1]["image"], "busybox");
    }

    #[test]
    fn delete_directive_and_null() {
        let live = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
        let patch = json!({"metadata": {"labels": {"a": null}}, "spec": {"containers": [{"$patch": "delete", "name": "a"}]}});
        let out = strategic_merge(Kind::Pod, &live, &patch).unwrap();
        assert_eq!(out["metadata"]["labels"], json!({"b": "2"}));
        assert_eq!(out["spec"]["containers"], json!([{"name": "b"}]));
    }

    #[test]
    fn three_way_keeps_what_others_set_and_drops_what_the_file_dropped() {
        let original = json!({"spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "x", "old": "y"}}}}});
        let modified = json!({"spec": {"template": {"metadata": {"labels": {"app": "x"}}}}});
        let current = json!({"spec": {"replicas": 5, "paused": false, "template": {"metadata": {"labels": {"app": "x", "old": "y"}}}}});
        let p = three_way(Kind::Deployment, &original, &modified, &current);
        assert_eq!(
            p,
            json!({"spec": {"replicas": null, "template": {"metadata": {"labels": {"old": null}}}}})
        );
        // Identical configuration, live object with extra defaults: nothing to do.
        let p = three_way(Kind::Deployment, &modified, &modified, &current);
        assert_eq!(p, json!({}));
    }

    #[test]
    fn strategy_switch_retains_only_declared_keys() {
        let original = json!({"spec": {"strategy": {"type": "RollingUpdate"}}});
        let modified = json!({"spec": {"strategy": {"type": "Recreate"}}});
        let current = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}});
        let p = three_way(Kind::Deployment, &original, &modified, &current);
        let out = strategic_merge(Kind::Deployment, &current, &p).unwrap();
        assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn merge_and_json_patches() {
        let doc = json!({"a": {"b": 1, "c": 2}, "l": [1, 2]});
        assert_eq!(
            json_merge(&doc, &json!({"a": {"b": null, "d": 3}})),
            json!({"a": {"c": 2, "d": 3}, "l": [1, 2]})
        );
        let ops = json!([{"op": "replace", "path": "/a/b", "value": 5}, {"op": "add", "path": "/l/-", "value": 3}, {"op": "remove", "path": "/a/c"}]);
        assert_eq!(
            json_patch(&doc, &ops).unwrap(),
            json!({"a": {"b": 5}, "l": [1, 2, 3]})
        );
        assert!(json_patch(&doc, &json!([{"op": "remove", "path": "/zz"}])).is_err());
    }
}

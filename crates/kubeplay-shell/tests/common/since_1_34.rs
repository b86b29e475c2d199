//! The real kubectl the parity tests run is 1.32; kubeplay is 1.34. Since apimachinery v0.34
//! (Kubernetes 1.34.0) `ObjectMeta.CreationTimestamp` is tagged `omitempty,omitzero`, so an
//! object that was never stored prints no `creationTimestamp: null` (nor
//! `"creationTimestamp": null`) where 1.32 prints one: `since_1_34` takes those out of 1.32's
//! output. And since 1.34 `kubectl delete` names the namespace of what it deleted
//! (`deployment.apps "web" deleted from default namespace`); the parity tests run in
//! `default`, so `since_1_34` adds ` from default namespace` to 1.32's line for any kind but
//! the cluster-scoped ones they use (namespace, node). Every other byte stays as it was.

pub fn since_1_34(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        match line.trim() {
            "creationTimestamp: null" | "\"creationTimestamp\": null," => {}
            // Last in its object: the line before loses its comma.
            "\"creationTimestamp\": null" => {
                let end = out.trim_end_matches('\n').len();
                if out[..end].ends_with(',') {
                    out.remove(end - 1);
                }
            }
            l if deleted(l).is_some() => {
                let (head, tail) = deleted(l).expect("checked");
                out.push_str(&format!("{head} from default namespace{tail}\n"));
            }
            _ => out.push_str(
                &line
                    .replace("\"creationTimestamp\":null,", "")
                    .replace(",\"creationTimestamp\":null", ""),
            ),
        }
    }
    out
}

/// 1.32's `<kind> "<name>" [force ]deleted[ (dry run)|(server dry run)]` line of a namespaced
/// kind, split where 1.34 names the namespace.
fn deleted(line: &str) -> Option<(&str, &str)> {
    let (kind, rest) = line.split_once(' ')?;
    if matches!(kind, "namespace" | "node") || !rest.starts_with('"') {
        return None;
    }
    let end = rest.find(" deleted")? + " deleted".len();
    let tail = &rest[end..];
    matches!(tail, "" | " (dry run)" | " (server dry run)")
        .then(|| line.split_at(kind.len() + 1 + end))
}

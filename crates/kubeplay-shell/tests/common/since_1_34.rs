//! The real kubectl the parity tests run is 1.32; kubeplay is 1.34. Since apimachinery v0.34
//! (Kubernetes 1.34.0) `ObjectMeta.CreationTimestamp` is tagged `omitempty,omitzero`, so an
//! object that was never stored prints no `creationTimestamp: null` (nor
//! `"creationTimestamp": null`) where 1.32 prints one. `since_1_34` takes those out of 1.32's
//! output and leaves every other byte as it was.

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
            _ => out.push_str(
                &line
                    .replace("\"creationTimestamp\":null,", "")
                    .replace(",\"creationTimestamp\":null", ""),
            ),
        }
    }
    out
}

//! `kubectl create deployment NAME --image=IMAGE... [--replicas=N] [--port=P]`
//! (KUBECTL:pkg/cmd/create/create_deployment.go).

use super::create::{finish_generated, one_name, GEN_FLAGS};
use super::flags::Flag;
use super::help::Doc;
use super::{dry_run_of, fail, parse_flags, Cx, DryRun, Exec};
use kubeplay_api::Kind;
use serde_json::{json, Value};

static DOC: Doc = Doc {
    path: "kubectl create deployment",
    long: "Create a deployment with the specified name.",
    examples: "  # Create a deployment named my-dep that runs the busybox image\n  kubectl create deployment my-dep --image=busybox\n\n  # Create a deployment with a command\n  kubectl create deployment my-dep --image=busybox -- date\n\n  # Create a deployment named my-dep that runs the nginx image with 3 replicas\n  kubectl create deployment my-dep --image=nginx --replicas=3\n\n  # Create a deployment named my-dep that runs the busybox image and expose port 5701\n  kubectl create deployment my-dep --image=busybox --port=5701\n\n  # Create a deployment named my-dep that runs multiple containers\n  kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx",
    usage: "kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
    subcommands: &[],
};

fn flags() -> Vec<Flag> {
    let mut v = GEN_FLAGS.to_vec();
    v.push(Flag::slice("image", None));
    v.push(Flag::int("replicas", Some('r')).shows("1"));
    v.push(Flag::int("port", None).shows("-1"));
    v
}

/// The container name kubectl derives from an image: the last path segment without tag or
/// digest (`docker.io/library/nginx:1.14.2` -> `nginx`).
pub fn container_name(image: &str) -> String {
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split('@').next().unwrap_or(base);
    base.split(':').next().unwrap_or(base).to_string()
}

pub fn run(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let fl = flags();
    let a = match parse_flags(cx, &DOC, &fl, args) {
        Ok(a) => a,
        Err(e) => return e,
    };
    let images = a.all("image");
    if images.is_empty() {
        return fail(cx.out, "required flag(s) \"image\" not set");
    }
    let name = match one_name(cx, &a, DOC.path) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let (_, command) = a.split_at_dash();
    if images.len() > 1 && !command.is_empty() {
        return fail(
            cx.out,
            "cannot specify multiple --image options and command",
        );
    }
    let replicas = a.int("replicas").unwrap_or(1);
    let port = a.int("port").unwrap_or(-1);
    let mut containers: Vec<Value> = images
        .iter()
        .map(|img| json!({"name": container_name(img), "image": img, "resources": {}}))
        .collect();
    if !command.is_empty() {
        containers[0]["command"] = json!(command);
    }
    if port >= 0 {
        containers[0]["ports"] = json!([{"containerPort": port}]);
    }
    let generated = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": containers},
            },
            "strategy": {},
        },
        "status": {},
    });
    if matches!(dry_run_of(&a), Ok(DryRun::Client)) && a.str("output") == Some("json") {
        // The typed object in Go struct field order.
        cx.out
            .out(crate::print::json::to_json_typed(&generated, order));
        return Exec::Done(0);
    }
    finish_generated(
        cx,
        &a,
        Kind::Deployment,
        generated,
        Some("failed to create deployment".into()),
    )
}

/// Go struct field order for the objects this generator builds.
fn order(key_path: &str) -> Option<&'static [&'static str]> {
    Some(match key_path {
        "" => &["kind", "apiVersion", "metadata", "spec", "status"],
        "metadata" | "spec.template.metadata" => &["name", "labels"],
        "spec" => &["replicas", "selector", "template", "strategy"],
        "spec.template" => &["metadata", "spec"],
        "spec.template.spec" => &["containers"],
        "spec.template.spec.containers" => &["name", "image", "command", "ports", "resources"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_from_images() {
        assert_eq!(container_name("nginx:1.14.2"), "nginx");
        assert_eq!(container_name("kodecloud/webapp-color:v2"), "webapp-color");
        assert_eq!(container_name("localhost:5000/app"), "app");
        assert_eq!(container_name("busybox@sha256:abc"), "busybox");
    }
}

//! The write verbs driven through a [`Session`], as the page drives them: `kubectl edit`'s
//! round trip through the editor, and bad input that must fail cleanly.

use kubeplay_shell::{Session, Stream};

fn run(s: &mut Session, line: &str) -> (String, String) {
    s.feed_line(line);
    s.run_until_idle();
    let (mut out, mut err) = (String::new(), String::new());
    for c in s.take_output() {
        match c.stream {
            Stream::Out => out.push_str(&c.text),
            Stream::Err => err.push_str(&c.text),
        }
    }
    (out, err)
}

const WEB: &str = "cat <<EOF | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
EOF";

fn feed_script(s: &mut Session, script: &str) -> String {
    let mut out = String::new();
    for line in script.lines() {
        s.feed_line(line);
    }
    s.run_until_idle();
    for c in s.take_output() {
        out.push_str(&c.text);
    }
    out
}

#[test]
fn edit_opens_the_object_and_saving_updates_it() {
    let mut s = Session::new(1);
    s.set_editor(true);
    assert_eq!(feed_script(&mut s, WEB), "deployment.apps/web created\n");
    let (out, err) = run(&mut s, "kubectl edit deployment/web");
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
    let reqs = s.take_edit_requests();
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert!(req.text.starts_with("# Please edit the object below."));
    assert!(req.text.contains("image: nginx:1.14.2"));

    // Saved unchanged: nothing happens.
    s.finish_edit(req, &req.text);
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "Edit cancelled, no changes made.\n");

    // Saved with a new image: the object changes.
    s.finish_edit(req, &req.text.replace("nginx:1.14.2", "nginx:1.16.1"));
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "deployment.apps/web edited\n");
    let (out, _) = run(
        &mut s,
        "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'",
    );
    assert_eq!(out, "nginx:1.16.1");

    // A broken save is reported and changes nothing.
    s.finish_edit(
        req,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n",
    );
    let err: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert!(err.starts_with("error: "), "{err}");
}

#[test]
fn edit_without_an_editor_says_what_to_do() {
    let mut s = Session::new(1);
    feed_script(&mut s, WEB);
    let (out, err) = run(&mut s, "kubectl edit deploy web");
    assert_eq!(out, "");
    assert!(
        err.starts_with("error: kubectl edit needs an editor"),
        "{err}"
    );
    assert_eq!(s.last_status, 1);
    assert!(s.take_edit_requests().is_empty());
}

#[test]
fn bad_input_fails_cleanly() {
    let mut s = Session::new(1);
    feed_script(&mut s, WEB);
    let huge = "x".repeat(100_000);
    let lines = [
        "kubectl delete , foo".to_string(),
        "kubectl delete pod ''".to_string(),
        "kubectl label , x=1".to_string(),
        "kubectl patch deploy web -p '[]'".to_string(),
        "kubectl patch deploy web -p 'null'".to_string(),
        "kubectl patch deploy web --type=json -p '[{\"op\":\"add\"}]'".to_string(),
        "kubectl patch deploy web --type=json -p '[{\"op\":\"add\",\"path\":\"/a/b/c\",\"value\":1}]'".to_string(),
        "kubectl patch deploy web --type=merge -p '\"text\"'".to_string(),
        "kubectl wait deploy/web --for='jsonpath={.a[}' --timeout=1s".to_string(),
        "kubectl wait deploy/web --for=condition= --timeout=1s".to_string(),
        "kubectl create svc clusterip x --tcp=:".to_string(),
        "kubectl create ns ''".to_string(),
        format!("kubectl delete pod {huge}"),
        "kubectl apply -f /".to_string(),
        "kubectl delete deploy/a/b/c".to_string(),
        "kubectl api-resources -o json".to_string(),
        "kubectl config vew".to_string(),
        "kubectl zzzzzz".to_string(),
    ];
    for l in &lines {
        let (_, err) = run(&mut s, l);
        assert_ne!(s.last_status, 0, "{l} should fail");
        assert!(!err.is_empty(), "{l} should say why");
    }
    // The deployment is still there and unchanged.
    let (out, _) = run(
        &mut s,
        "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'",
    );
    assert_eq!(out, "nginx:1.14.2");
}

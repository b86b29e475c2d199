//! The write verbs driven through a [`Session`], as the page drives them: `kubectl edit`'s
//! round trip through the editor, and bad input that must fail cleanly.

mod common {
    pub mod session;
}
use kubeplay_shell::Session;

fn run(s: &mut Session, line: &str) -> (String, String) {
    common::session::run_line(s, line)
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
    assert_eq!(s.finish_edit(req, &req.text), None);
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "Edit cancelled, no changes made.\n");

    // Saved with only comments: an empty file.
    assert_eq!(s.finish_edit(req, "# nothing\n\n"), None);
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "Edit cancelled, saved file was empty.\n");

    // Saved with a new image: the object changes.
    assert_eq!(
        s.finish_edit(req, &req.text.replace("nginx:1.14.2", "nginx:1.16.1")),
        None
    );
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "deployment.apps/web edited\n");
    let (out, _) = run(
        &mut s,
        "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'",
    );
    assert_eq!(out, "nginx:1.16.1");

    // A name changed: kubectl keeps a copy and gives up.
    let renamed = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n";
    assert_eq!(s.finish_edit(req, renamed), None);
    let err: String = s.take_output().into_iter().map(|c| c.text).collect();
    let (copy, msg) = err.split_once('\n').unwrap();
    assert!(copy.starts_with("A copy of your changes has been stored to \"/tmp/kubectl-edit-"));
    assert_eq!(
        msg,
        "error: At least one of apiVersion, kind and name was changed\n"
    );
    let path = copy.split('"').nth(1).unwrap();
    assert_eq!(s.fs.read(path).unwrap(), renamed.as_bytes());
    assert_eq!(s.last_status, 1);
}

#[test]
fn a_failed_edit_reopens_the_editor_with_the_reasons_on_top() {
    let mut s = Session::new(1);
    s.set_editor(true);
    feed_script(&mut s, WEB);
    run(&mut s, "kubectl edit deploy web");
    let req = s.take_edit_requests().remove(0);

    // An invalid object: kubectl says so and reopens the file with the causes at the top.
    let bad = req.text.replace("replicas: 1", "replicas: -1");
    let again = s.finish_edit(&req, &bad).expect("reopened");
    let err: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(err, "error: deployments.apps \"web\" is invalid\n");
    let head = "# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
# deployments.apps \"web\" was not valid:
# * spec.replicas: Invalid value: -1: must be greater than or equal to 0
#
apiVersion: apps/v1
";
    assert!(again.text.starts_with(head), "{}", again.text);
    assert!(again.text.contains("replicas: -1"));

    // Saved again without a change: kubectl gives up and keeps a copy.
    assert_eq!(s.finish_edit(&again, &again.text), None);
    let err: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert!(
        err.ends_with("\"\nerror: Edit cancelled, no valid changes were saved.\n"),
        "{err}"
    );

    // A syntax error reopens the file without printing anything; fixing it then works.
    let broken = req.text.replace("replicas: 1", "replicas: [1");
    let again = s.finish_edit(&req, &broken).expect("reopened");
    assert_eq!(s.take_output(), vec![]);
    assert!(
        again
            .text
            .contains("\n# The edited file had a syntax error: "),
        "{}",
        again.text
    );
    let fixed = again.text.replace("replicas: [1", "replicas: 3");
    assert_eq!(s.finish_edit(&again, &fixed), None);
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "deployment.apps/web edited\n");
    let (out, _) = run(
        &mut s,
        "kubectl get deploy web -o jsonpath='{.spec.replicas}'",
    );
    assert_eq!(out, "3");
}

#[test]
fn an_edit_patches_the_object_as_it_is_now() {
    // The controller writes status and annotations while the editor is open; the edit
    // changes only what was changed in the file.
    let mut s = Session::new(1);
    s.set_editor(true);
    feed_script(&mut s, WEB);
    run(&mut s, "kubectl edit deploy web");
    let req = s.take_edit_requests().remove(0);
    run(&mut s, "kubectl label deploy web tier=front");
    s.take_output();
    assert_eq!(
        s.finish_edit(&req, &req.text.replace("nginx:1.14.2", "nginx:1.16.1")),
        None
    );
    let out: String = s.take_output().into_iter().map(|c| c.text).collect();
    assert_eq!(out, "deployment.apps/web edited\n");
    let (out, _) = run(
        &mut s,
        "kubectl get deploy web -o jsonpath='{.metadata.labels.tier} {.spec.template.spec.containers[0].image}'",
    );
    assert_eq!(out, "front nginx:1.16.1");
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

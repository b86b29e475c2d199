//! The difference between env vars and volumes when a ConfigMap changes, as a learner sees it:
//! the mounted file follows the edit after the kubelet's resync (60 s here), a `subPath` file
//! and the environment keep the old value until the pods are replaced (`rollout restart`).

use kubeplay_shell::script::transcript;
use kubeplay_shell::Session;

/// Run one command line (continuation lines included) and return what it printed.
fn run(s: &mut Session, cmd: &str) -> String {
    let t = transcript(s, cmd);
    t.lines()
        .filter(|l| !l.starts_with("$ ") && !l.starts_with("> "))
        .map(|l| format!("{l}\n"))
        .collect()
}

const SETUP: &str = "cat > app-config.yaml <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  APP_COLOR: blue
EOF
cat > webapp.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: webapp
spec:
  replicas: 1
  selector:
    matchLabels: {app: webapp}
  template:
    metadata:
      labels: {app: webapp}
    spec:
      containers:
      - name: webapp
        image: nginx
        env:
        - name: APP_COLOR
          valueFrom:
            configMapKeyRef:
              name: app-config
              key: APP_COLOR
        volumeMounts:
        - name: config
          mountPath: /etc/config
        - name: config
          mountPath: /etc/app/color
          subPath: APP_COLOR
      volumes:
      - name: config
        configMap:
          name: app-config
EOF
kubectl apply -f app-config.yaml
kubectl apply -f webapp.yaml
";

#[test]
#[ignore = "needs kubectl exec and kubectl rollout restart on main"]
fn env_keeps_old_value_until_rollout_restart_volume_follows_after_resync() {
    let mut s = Session::new(1);
    transcript(&mut s, SETUP);
    run(&mut s, "kubectl rollout status deployment/webapp");
    let cat = "kubectl exec deploy/webapp -- cat /etc/config/APP_COLOR";
    let sub = "kubectl exec deploy/webapp -- cat /etc/app/color";
    let env = "kubectl exec deploy/webapp -- printenv APP_COLOR";
    assert_eq!(run(&mut s, cat), "blue\n");
    assert_eq!(run(&mut s, env), "blue\n");

    assert_eq!(
        run(
            &mut s,
            "kubectl create configmap app-config --from-literal=APP_COLOR=pink --dry-run=client -o yaml | kubectl apply -f -"
        ),
        "configmap/app-config configured\n"
    );
    // Right after the edit nothing has changed inside the container yet.
    assert_eq!(run(&mut s, cat), "blue\n");
    run(&mut s, "sleep 60");
    // After the kubelet's resync the mounted file has the new value...
    assert_eq!(run(&mut s, cat), "pink\n");
    // ...but a subPath mount and the environment do not.
    assert_eq!(run(&mut s, sub), "blue\n");
    assert_eq!(run(&mut s, env), "blue\n");

    run(&mut s, "kubectl rollout restart deployment/webapp");
    run(&mut s, "kubectl rollout status deployment/webapp");
    run(&mut s, "sleep 5");
    assert_eq!(run(&mut s, env), "pink\n");
    assert_eq!(run(&mut s, sub), "pink\n");
}

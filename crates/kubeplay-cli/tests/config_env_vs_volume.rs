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

const CAT: &str = "kubectl exec deploy/webapp -- cat /etc/config/APP_COLOR";
const SUB: &str = "kubectl exec deploy/webapp -- cat /etc/app/color";
const ENV: &str = "kubectl exec deploy/webapp -- printenv APP_COLOR";

/// Setup, then the edit and the kubelet's resync: the mounted file changed, the rest did not.
fn edited_and_resynced() -> Session {
    let mut s = Session::new(1);
    transcript(&mut s, SETUP);
    run(&mut s, "sleep 10");
    assert_eq!(run(&mut s, CAT), "blue\n");
    assert_eq!(run(&mut s, SUB), "blue\n");
    assert_eq!(run(&mut s, ENV), "blue\n");
    assert_eq!(
        run(
            &mut s,
            "kubectl create configmap app-config --from-literal=APP_COLOR=pink --dry-run=client -o yaml | kubectl apply -f -"
        ),
        "configmap/app-config configured\n"
    );
    // Right after the edit nothing has changed inside the container yet.
    assert_eq!(run(&mut s, CAT), "blue\n");
    run(&mut s, "sleep 60");
    // After the kubelet's resync the mounted file has the new value...
    assert_eq!(run(&mut s, CAT), "pink\n");
    // ...but a subPath mount and the environment do not.
    assert_eq!(run(&mut s, SUB), "blue\n");
    assert_eq!(run(&mut s, ENV), "blue\n");
    s
}

#[test]
fn env_and_sub_path_keep_old_value_until_the_pod_is_replaced() {
    let mut s = edited_and_resynced();
    // Still the old value much later: env is fixed for the life of the container.
    run(&mut s, "sleep 300");
    assert_eq!(run(&mut s, ENV), "blue\n");
    // A new pod (here: the ReplicaSet replaces a deleted one) reads the new value.
    run(&mut s, "kubectl delete pod -l app=webapp");
    run(&mut s, "sleep 10");
    assert_eq!(run(&mut s, ENV), "pink\n");
    assert_eq!(run(&mut s, SUB), "pink\n");
}

#[test]
fn rollout_restart_picks_up_new_env() {
    let mut s = edited_and_resynced();
    run(&mut s, "kubectl rollout restart deployment/webapp");
    run(&mut s, "kubectl rollout status deployment/webapp");
    run(&mut s, "sleep 5");
    assert_eq!(run(&mut s, ENV), "pink\n");
    assert_eq!(run(&mut s, SUB), "pink\n");
}

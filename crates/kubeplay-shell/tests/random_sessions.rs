//! Random sessions: command lines drawn from what learners type (kubectl's verbs, resource
//! types, names and flags, with good and bad values; a little shell) and the seed notes'
//! manifests with random damage (a line lost, mis-indented, a value replaced), fed to a
//! Session line by line. Whatever comes in:
//! - nothing panics and every line finishes;
//! - a kubectl line that only printed an error changed nothing in the cluster, and neither
//!   did a dry run;
//! - the same seed gives the same bytes.
//!
//! A failure prints the seed and the whole script, to paste into `kubeplay run`.

use kubeplay_shell::{LineState, Session};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  replicas: 3
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.16
        ports:
        - containerPort: 80";

const WEBAPP: &str = "apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
  - name: webapp
    image: kodekloud/webapp-color
    command: [\"python\", \"app.py\"]
    args: [\"--color\", \"pink\"]
    envFrom:
    - configMapRef:
        name: app-config
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef:
          name: app-secret
          key: DB_Password
    volumeMounts:
    - name: cfg
      mountPath: /etc/cfg
  volumes:
  - name: cfg
    configMap:
      name: app-config";

const SECRET: &str = "apiVersion: v1
kind: Secret
metadata:
  name: app-secret
data:
  DB_Host: bXlzcWw=
  DB_User: cm9vdA==
  DB_Password: cGFzd3Jk";

const CONFIGMAP: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  APP_COLOR: blue
  APP_MODE: prod";

const INIT: &str = "apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
spec:
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', 'sleep 2']
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  - name: log-agent
    image: busybox:1.28
    command: ['sh', '-c', 'sleep 3600']";

/// Recreate, with what slows a rollout down: readiness, minReadySeconds, a short deadline.
const RECREATE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  revisionHistoryLimit: 2
  progressDeadlineSeconds: 20
  minReadySeconds: 3
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.17
        readinessProbe:
          httpGet:
            path: /
            port: 80
          initialDelaySeconds: 4
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80";

/// The seed notes' Secret whose value is not base64.
const BAD_SECRET: &str = "apiVersion: v1
kind: Secret
metadata:
  name: app-secret
data:
  DB_Password: paswrd";

const MANIFESTS: &[&str] = &[
    DEPLOYMENT, WEBAPP, SECRET, CONFIGMAP, INIT, RECREATE, BAD_SECRET,
];

const RESOURCES: &[&str] = &[
    "pods",
    "po",
    "pod",
    "deploy",
    "deployments",
    "deployment.apps",
    "rs",
    "replicaset",
    "cm",
    "configmaps",
    "secret",
    "secrets",
    "ns",
    "svc",
    "events",
    "ev",
    "nodes",
    "all",
    "endpoints",
    "deployment/nginx",
    "pod/webapp",
    "rs,pods",
    "foo",
    "deploy/",
];
const NAMES: &[&str] = &[
    "nginx",
    "webapp",
    "myapp-pod",
    "app-config",
    "app-secret",
    "web",
    "x",
    "Bad_Name",
    "a.b",
    "''",
    "default",
    "kube-system",
    "nginx-deployment",
    "a-name-that-is-far-too-long-for-kubernetes-to-accept-as-a-label-value-x",
];
const IMAGES: &[&str] = &[
    "nginx",
    "nginx:1.16",
    "nginx:1.17",
    "nginx:1.161",
    "busybox:1.28",
    "kodekloud/webapp-color",
    "''",
    ":bad",
    "nginx:latest",
    "nginx@sha256:abc",
    "redis",
];
const NUMBERS: &[&str] = &[
    "-1",
    "0",
    "1",
    "2",
    "3",
    "5",
    "x",
    "1.5",
    "25%",
    "99999999999",
];
const KVS: &[&str] = &[
    "APP_COLOR=blue",
    "APP_MODE=prod",
    "a",
    "=b",
    "a=b=c",
    "bad key=1",
    "tier=web",
    "app-",
    "DB_Password=paswrd",
    "kubernetes.io/change-cause=\"new image\"",
];
const OUTPUTS: &[&str] = &[
    "-o yaml",
    "-o json",
    "-o wide",
    "-o name",
    "-o jsonpath='{.items[*].metadata.name}'",
    "-o jsonpath='{.spec.template.spec.containers[0].image}'",
    "-o custom-columns=N:.metadata.name",
    "-o bogus",
    "-o jsonpath='{.items[0'",
    "--show-labels",
    "--sort-by=.metadata.name",
    "-A",
    "-l app=nginx",
    "-l 'app in (nginx,web)'",
    "-l '!app'",
    "-l =bad",
    "-n kube-system",
    "-n missing",
    "--no-headers",
];
const WORDS: &[&str] = &[
    "nginx",
    "1.16",
    "blue",
    "\"",
    "'",
    "[",
    "{",
    "}",
    "- ",
    "  ",
    "\t",
    "null",
    "~",
    "*a",
    "&a",
    "!!binary",
    "123",
    "true",
    "%",
    ":",
    "envFrom:",
    "- name: x",
    "key",
    "Recreate",
    "-1",
];

struct Gen(ChaCha8Rng);

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, in_n: usize) -> bool {
        self.below(in_n) == 0
    }
    fn maybe<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        if self.chance(2) {
            self.pick(xs)
        } else {
            ""
        }
    }

    /// A manifest from the seed notes, maybe damaged.
    fn manifest(&mut self) -> Vec<String> {
        let mut lines: Vec<String> = self.pick(MANIFESTS).lines().map(str::to_string).collect();
        for _ in 0..self.below(3) {
            let i = self.below(lines.len());
            match self.below(6) {
                0 => {
                    lines.remove(i);
                }
                1 => lines[i].insert_str(0, "  "),
                2 => {
                    let l = lines[i].trim_start_matches(' ').to_string();
                    let indent = lines[i].len() - l.len();
                    lines[i] = format!("{}{l}", " ".repeat(indent.saturating_sub(2)));
                }
                3 => {
                    if let Some(colon) = lines[i].find(": ") {
                        let w = self.pick(WORDS);
                        lines[i].replace_range(colon + 2.., w);
                    }
                }
                4 => lines.insert(i, lines[i].clone()),
                _ => lines.insert(i, "---".into()),
            }
        }
        lines
    }

    fn target(&mut self) -> String {
        match self.below(4) {
            0 => format!("deployment/{}", self.pick(NAMES)),
            1 => format!("deployment {}", self.pick(NAMES)),
            2 => format!("{} {}", self.pick(RESOURCES), self.pick(NAMES)),
            _ => "-f f.yaml".into(),
        }
    }

    /// One command line, or a heredoc writing `f.yaml` (several lines).
    fn command(&mut self) -> Vec<String> {
        let line = match self.below(24) {
            0 | 1 => {
                let mut out = vec!["cat <<'EOF' > f.yaml".to_string()];
                out.extend(self.manifest());
                out.push("EOF".into());
                return out;
            }
            2 | 3 => format!(
                "kubectl {} -f f.yaml {}",
                self.pick(&["apply", "apply", "create", "replace", "delete"]),
                self.maybe(&[
                    "--dry-run=client",
                    "--dry-run=server",
                    "--dry-run=bad",
                    "-o yaml"
                ])
            ),
            4 | 5 => format!(
                "kubectl get {} {} {}",
                self.pick(RESOURCES),
                self.maybe(NAMES),
                self.maybe(OUTPUTS)
            ),
            6 => format!(
                "kubectl describe {} {}",
                self.pick(RESOURCES),
                self.maybe(NAMES)
            ),
            7 => format!(
                "kubectl delete {} {} {}",
                self.pick(RESOURCES),
                self.pick(&["nginx", "webapp", "--all", "app-config", "x"]),
                self.maybe(&[
                    "--grace-period=0 --force",
                    "--cascade=orphan",
                    "--wait=false",
                    "--now"
                ])
            ),
            8 => format!(
                "kubectl create deployment {} --image={} {}",
                self.pick(NAMES),
                self.pick(IMAGES),
                self.maybe(&["--replicas=3", "--replicas=-1", "--replicas=x", "--port=80"])
            ),
            9 => format!(
                "kubectl create {} {} --from-literal={} {}",
                self.pick(&["configmap", "secret generic", "secret", "cm"]),
                self.pick(NAMES),
                self.pick(KVS),
                self.maybe(&["--from-literal=APP_MODE=prod", "--dry-run=client -o yaml"])
            ),
            10 | 11 => format!(
                "kubectl set image {} {}={} {}",
                self.target(),
                self.pick(&["nginx", "*", "webapp", "x"]),
                self.pick(IMAGES),
                self.maybe(&["--record", "--dry-run=client"])
            ),
            12 => format!(
                "kubectl scale {} --replicas={}",
                self.target(),
                self.pick(NUMBERS)
            ),
            13 | 14 => format!(
                "kubectl rollout {} {} {}",
                self.pick(&["status", "history", "undo", "pause", "resume", "restart", "bogus"]),
                self.target(),
                self.maybe(&[
                    "--to-revision=1",
                    "--to-revision=9",
                    "--revision=2",
                    "--revision=x",
                    "--timeout=5s",
                    "--watch=false",
                    "-w=false",
                ])
            ),
            15 => format!(
                "kubectl {} {} {} {}",
                self.pick(&["label", "annotate"]),
                self.pick(RESOURCES),
                self.pick(NAMES),
                self.pick(KVS)
            ),
            16 => format!(
                "kubectl logs {} {}",
                self.pick(&["webapp", "myapp-pod", "deploy/nginx", "x"]),
                self.maybe(&[
                    "-c log-agent",
                    "-c init-myservice",
                    "--previous",
                    "--tail=1",
                    "-c x"
                ])
            ),
            17 => format!(
                "kubectl exec {} -- {}",
                self.pick(&["webapp", "myapp-pod", "x"]),
                self.pick(&[
                    "env",
                    "printenv APP_COLOR",
                    "ls /etc/cfg",
                    "cat /etc/cfg/APP_COLOR",
                    "false",
                    "sh -c 'exit 3'"
                ])
            ),
            18 => format!(
                "kubectl run {} --image={} {} {}",
                self.pick(NAMES),
                self.pick(IMAGES),
                self.maybe(&[
                    "--env=APP_COLOR=pink",
                    "--labels=tier=web",
                    "--restart=Never",
                    "--command",
                    "--port=8080",
                    "--dry-run=client -o yaml"
                ]),
                self.maybe(&[
                    "-- --color green",
                    "-- sleep 1000",
                    "-- python app.py --color green"
                ])
            ),
            19 => format!(
                "kubectl {} {}",
                self.pick(&[
                    "patch",
                    "set env",
                    "expose",
                    "wait --for=condition=Available --timeout=5s",
                    "explain"
                ]),
                self.pick(&[
                    "deployment nginx -p '{\"spec\":{\"replicas\":2}}'",
                    "deployment/nginx APP_COLOR=green",
                    "deployment nginx --port=80",
                    "deployment/nginx",
                    "pods.spec.containers.envFrom",
                    "deployment nginx -p '{bad'",
                ])
            ),
            20 => format!(
                "kubectl {} {}",
                self.pick(&[
                    "create namespace",
                    "config set-context --current --namespace=",
                    "get ns"
                ]),
                self.pick(NAMES)
            ),
            21 => format!(
                "echo -n {} | base64 {}",
                self.pick(&["mysql", "root", "paswrd", "''"]),
                self.maybe(&["-d", "-w0"])
            ),
            22 => self
                .pick(&[
                    "kubectl exec -it webapp -- sh",
                    "kubectl exec -it myapp-pod -c log-agent -- sh",
                    "env | sort | head -3",
                    "cat /etc/cfg/APP_COLOR",
                    "exit",
                    "exit 4",
                    "cat f.yaml",
                    "ls",
                    "sed -i 's/nginx:1.16/nginx:1.17/' f.yaml",
                    "kubectl",
                    "kubectl version --client",
                    "kubectl api-resources",
                    "kubectl get pods -w",
                    "sleep 30",
                    "echo $?",
                    "kubectl get pods -w &",
                    "sleep 100 &",
                    "jobs",
                    "kill %1",
                    "kill -9 %+",
                    "fg",
                ])
                .to_string(),
            _ => format!("kubectl {} {}", self.pick(WORDS), self.pick(NAMES)),
        };
        vec![line]
    }

    /// The seed notes' objects to start from, then `commands` random commands.
    fn script(&mut self, commands: usize) -> Vec<String> {
        let mut out: Vec<String> = [
            "kubectl create configmap app-config --from-literal=APP_COLOR=blue",
            "kubectl create secret generic app-secret --from-literal=DB_Password=paswrd",
            "cat <<'EOF' | kubectl apply -f -",
        ]
        .map(String::from)
        .to_vec();
        out.extend(DEPLOYMENT.lines().map(String::from));
        out.push("EOF".into());
        for _ in 0..commands {
            out.extend(self.command());
        }
        out
    }
}

/// Run a script; returns everything it printed. Checks the per-line properties.
fn run(script: &[String]) -> String {
    let mut s = Session::new(7);
    let mut all = String::new();
    let mut pending: Vec<&str> = Vec::new();
    for line in script {
        let before = s.world.store.writes();
        pending.push(line);
        if s.feed_line(line) == LineState::NeedMore {
            continue;
        }
        s.run_until_idle();
        assert!(!s.is_busy(), "a line did not finish: {line}");
        let out: String = s.take_output().into_iter().map(|c| c.text).collect();
        let first = pending[0];
        let only_errors = !out.is_empty()
            && out.lines().all(|l| {
                l.starts_with("error:")
                    || l.starts_with("Error from server")
                    || l.starts_with("error: ")
                    || l.starts_with("error validating")
                    || l.starts_with("error parsing")
            });
        if first.starts_with("kubectl ") && (only_errors || first.contains("--dry-run=client")) {
            assert_eq!(
                s.world.store.writes(),
                before,
                "`{first}` printed only errors or was a dry run, yet changed the cluster:\n{out}"
            );
        }
        all.push_str(&out);
        pending.clear();
    }
    all
}

#[test]
fn random_sessions_never_panic_hang_or_change_the_cluster_on_error() {
    // More with `SEEDS=N` (a release build runs thousands in seconds).
    let seeds: u64 = std::env::var("SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    for seed in 0..seeds {
        let script = Gen(ChaCha8Rng::seed_from_u64(seed)).script(40);
        let first = std::panic::catch_unwind(|| run(&script));
        let Ok(first) = first else {
            panic!("seed {seed} failed; the script:\n{}", script.join("\n"));
        };
        if std::env::var("SHOW_SEED").is_ok_and(|v| v == seed.to_string()) {
            println!("{}\n----\n{first}", script.join("\n"));
        }
        assert_eq!(first, run(&script), "seed {seed}: not deterministic");
    }
}

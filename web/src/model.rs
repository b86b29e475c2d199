//! What the cluster view shows, read from the World: Deployments, their ReplicaSets as
//! revisions, and pods with the STATUS kubectl would print. Plain data, built only when the
//! cluster changed, and tested natively.

use kubeplay_api::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use kubeplay_api::k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use kubeplay_core::controllers::deployment::{self as dc, HASH_LABEL};
use kubeplay_core::table::FxBuild;
use kubeplay_core::World;
use kubeplay_shell::print::rows::pod_columns;
use kubeplay_sort::Collect as _;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub name: String,
    pub uid: String,
    /// READY as kubectl prints it (`1/1`).
    pub ready: String,
    /// STATUS as kubectl prints it.
    pub status: String,
    pub class: &'static str,
    pub node: String,
    /// What a card's tooltip says (name, READY, STATUS, node), made once per change of the pod.
    pub title: Rc<str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsView {
    pub name: String,
    pub uid: String,
    pub revision: i64,
    pub hash: String,
    pub images: String,
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    pub available: i32,
    pub change_cause: Option<String>,
    /// Revisions this ReplicaSet had before (a rollback brings an old template back under a
    /// new number): `deployment.kubernetes.io/revision-history`.
    pub former_revisions: Vec<i64>,
    /// The pod template as YAML, without the pod-template-hash label (for diffs).
    pub template: std::rc::Rc<str>,
    /// Its pods by name. The same `Rc` as the last model's when none of them changed, so the
    /// view compares it in O(1) (`Rc`'s equality tries the pointer first).
    pub pods: Rc<[Rc<PodView>]>,
}

/// Why a rollout is not done yet, as the cluster view explains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Waiting {
    Paused,
    /// The ReplicaSets cannot create pods (the ReplicaFailure condition): the API server's
    /// words, e.g. a missing service account.
    CannotCreate {
        error: String,
    },
    /// Recreate: old pods must all be gone first.
    OldPodsGo {
        old_pods: i32,
    },
    NewAvailable {
        available: i32,
        desired: i32,
    },
    /// RollingUpdate at its ceiling: desired + maxSurge pods exist.
    AtSurge {
        max_total: i32,
        desired: i32,
        max_surge: i32,
    },
    /// RollingUpdate at its floor: desired - maxUnavailable available pods.
    AtFloor {
        min_available: i32,
        desired: i32,
        max_unavailable: i32,
        available: i32,
    },
    Replacing {
        old_pods: i32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    pub strategy: String,
    pub desired: i32,
    pub max_surge: i32,
    pub max_unavailable: i32,
    /// desired + maxSurge: the most pods the rollout may have at once.
    pub max_total: i32,
    /// desired - maxUnavailable: the fewest available pods it keeps.
    pub min_available: i32,
    /// Pods the ReplicaSets want now (sum of their spec.replicas).
    pub total: i32,
    pub available: i32,
    /// Why the rollout is not done yet, when it is under way.
    pub waiting: Option<Waiting>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployView {
    pub name: String,
    pub uid: String,
    pub desired: i32,
    pub ready: i32,
    pub updated: i32,
    pub available: i32,
    pub revision: i64,
    pub budget: Budget,
    /// Newest revision first.
    pub replicasets: Vec<RsView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterModel {
    pub namespace: String,
    pub deployments: Vec<DeployView>,
    /// ReplicaSets no Deployment owns.
    pub replicasets: Vec<RsView>,
    /// Pods no ReplicaSet owns.
    pub pods: Vec<Rc<PodView>>,
    pub pod_count: usize,
}

/// The colour class of a pod card, from its STATUS column.
pub fn status_class(status: &str, ready: &str) -> &'static str {
    let all_ready = ready
        .split_once('/')
        .is_some_and(|(a, b)| a == b && a != "0");
    match status {
        "Running" if all_ready => "running",
        "Running" | "NotReady" => "notready",
        "Pending" | "ContainerCreating" | "PodInitializing" => "pending",
        "Terminating" => "terminating",
        "Completed" | "Succeeded" => "done",
        s if s.starts_with("Init:") && s[5..].contains('/') => "pending",
        _ => "failed",
    }
}

/// Remembers each pod's view by resourceVersion, so an unchanged pod costs a lookup, and each
/// ReplicaSet's list of pods, so an unchanged list is the same `Rc`. Nothing here allocates for
/// a pod that did not change.
#[derive(Default)]
pub struct PodCache {
    /// Pod uid -> (resourceVersion, view, the model that last showed it).
    map: HashMap<String, (String, Rc<PodView>, u64), FxBuild>,
    /// ReplicaSet uid -> its pods as the last model had them.
    lists: HashMap<String, Rc<[Rc<PodView>]>, FxBuild>,
    /// ReplicaSet uid -> its template as YAML (a ReplicaSet's template never changes).
    templates: HashMap<String, std::rc::Rc<str>, FxBuild>,
    /// Counts the models built; a pod seen by this one is marked with it.
    generation: u64,
    /// How many pods this model has seen so far (through ReplicaSets).
    seen_now: usize,
}

impl PodCache {
    fn view(&mut self, p: &Pod, now: u64) -> Rc<PodView> {
        let uid = p.metadata.uid.as_deref().unwrap_or_default();
        let rv = p.metadata.resource_version.as_deref().unwrap_or_default();
        if let Some((v, view, seen)) = self.map.get_mut(uid) {
            if *seen != self.generation {
                *seen = self.generation;
                self.seen_now += 1;
            }
            if v == rv {
                return view.clone();
            }
        } else {
            self.seen_now += 1;
        }
        let (ready, status, _) = pod_columns(p, now);
        let name = p.metadata.name.clone().unwrap_or_default();
        let node = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default();
        let view = Rc::new(PodView {
            title: format!("{name}  {ready}  {status}  {node}").into(),
            name,
            uid: uid.to_string(),
            class: status_class(&status, &ready),
            ready,
            status,
            node,
        });
        self.map.insert(
            uid.to_string(),
            (rv.to_string(), view.clone(), self.generation),
        );
        view
    }

    fn seen(&self, uid: &str) -> bool {
        self.map.get(uid).is_some_and(|e| e.2 == self.generation)
    }

    /// The pods of ReplicaSet `rs_uid` by name: the last model's list when it is the same.
    fn pods_of(&mut self, w: &World, rs_uid: &str) -> Rc<[Rc<PodView>]> {
        let mut pods: Vec<Rc<PodView>> = w
            .pods_of(rs_uid)
            .into_iter()
            .map(|p| self.view(p, w.now()))
            .collect();
        kubeplay_sort::sort_by(&mut pods, |a, b| a.name.cmp(&b.name));
        if let Some(old) = self.lists.get(rs_uid) {
            if old.len() == pods.len() && old.iter().zip(&pods).all(|(a, b)| Rc::ptr_eq(a, b)) {
                return old.clone();
            }
        }
        let list: Rc<[Rc<PodView>]> = pods.into();
        self.lists.insert(rs_uid.to_string(), list.clone());
        list
    }
}

fn images(t: &PodTemplateSpec) -> String {
    t.spec
        .as_ref()
        .map(|s| {
            s.containers
                .iter()
                .map(|c| c.image.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn rs_view(w: &World, rs: &ReplicaSet, cache: &mut PodCache) -> RsView {
    let st = rs.status.clone().unwrap_or_default();
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    let pods = cache.pods_of(w, &uid);
    let template = cache
        .templates
        .entry(uid.clone())
        .or_insert_with(|| template_yaml(rs))
        .clone();
    RsView {
        name: rs.metadata.name.clone().unwrap_or_default(),
        uid,
        revision: dc::revision(&rs.metadata),
        hash: rs
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(HASH_LABEL).cloned())
            .unwrap_or_default(),
        images: rs.spec.template.as_ref().map(images).unwrap_or_default(),
        desired: rs.spec.replicas.unwrap_or(1),
        current: st.replicas,
        ready: st.ready_replicas.unwrap_or(0),
        available: st.available_replicas.unwrap_or(0),
        change_cause: rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("kubernetes.io/change-cause").cloned()),
        former_revisions: rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(dc::REVISION_HISTORY))
            .map(|h| h.split(',').filter_map(|r| r.trim().parse().ok()).collect())
            .unwrap_or_default(),
        template,
        pods,
    }
}

fn template_yaml(rs: &ReplicaSet) -> std::rc::Rc<str> {
    let t = rs
        .spec
        .template
        .as_ref()
        .map(dc::template_without_hash)
        .unwrap_or_default();
    yaml_of(&t).into()
}

/// The template as `kubectl get -o yaml` writes it (kubeplay's printer, the terminal's).
fn yaml_of(t: &PodTemplateSpec) -> String {
    kubeplay_shell::print::yaml::to_yaml(&kubeplay_api::codec::to_value(t))
}

/// A line diff of `a` to `b` (longest common subsequence): each line with `' '`, `'-'` or
/// `'+'`.
pub fn diff_lines<'a>(a: &'a str, b: &'a str) -> Vec<(char, &'a str)> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the LCS length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(('-', a[i]));
            i += 1;
        } else {
            out.push(('+', b[j]));
            j += 1;
        }
    }
    out
}

fn budget(d: &Deployment, rss: &[RsView]) -> Budget {
    let desired = dc::replicas(d);
    let strategy = d
        .spec
        .strategy
        .as_ref()
        .and_then(|s| s.type_.clone())
        .unwrap_or_else(|| "RollingUpdate".into());
    let max_surge = dc::max_surge(d);
    let max_unavailable = dc::max_unavailable(d);
    let st = d.status.clone().unwrap_or_default();
    let available = st.available_replicas.unwrap_or(0);
    let total: i32 = rss.iter().map(|r| r.desired).sum();
    let max_total = desired + max_surge;
    let min_available = desired - max_unavailable;
    let revision = dc::revision(&d.metadata);
    let (new, old): (Vec<&RsView>, Vec<&RsView>) = rss.iter().partition(|r| r.revision == revision);
    let new = new.first();
    let old_pods: i32 = old.iter().map(|r| r.current.max(r.desired)).sum();
    let new_desired = new.map_or(0, |r| r.desired);
    let new_available = new.map_or(0, |r| r.available);
    let failure = st.conditions.iter().flatten().find(|c| {
        c.type_.as_deref() == Some("ReplicaFailure") && c.status.as_deref() == Some("True")
    });
    let waiting = if d.spec.paused == Some(true) {
        Some(Waiting::Paused)
    } else if let Some(f) = failure {
        Some(Waiting::CannotCreate {
            error: f.message.clone().unwrap_or_default(),
        })
    } else if new.is_none() {
        None
    } else if strategy == "Recreate" {
        if old_pods > 0 {
            Some(Waiting::OldPodsGo { old_pods })
        } else if new_available < desired {
            Some(Waiting::NewAvailable {
                available: new_available,
                desired,
            })
        } else {
            None
        }
    } else if old_pods == 0 && new_available >= desired {
        None
    } else if old_pods > 0 && new_desired < desired && total >= max_total {
        Some(Waiting::AtSurge {
            max_total,
            desired,
            max_surge,
        })
    } else if old_pods > 0 && available <= min_available {
        Some(Waiting::AtFloor {
            min_available,
            desired,
            max_unavailable,
            available,
        })
    } else if old_pods > 0 {
        Some(Waiting::Replacing { old_pods })
    } else {
        Some(Waiting::NewAvailable {
            available: new_available,
            desired,
        })
    };
    Budget {
        strategy,
        desired,
        max_surge,
        max_unavailable,
        max_total,
        min_available,
        total,
        available,
        waiting,
    }
}

/// Everything the cluster view shows for namespace `ns`.
pub fn cluster(w: &World, ns: &str, cache: &mut PodCache) -> ClusterModel {
    cache.generation += 1;
    cache.seen_now = 0;
    let mut owned_rs = BTreeSet::new();
    let mut deployments = Vec::new();
    for d in w.store.list::<Deployment>(ns) {
        let mut rss: Vec<RsView> = w
            .replicasets_of(d)
            .into_iter()
            .map(|rs| {
                owned_rs.insert(rs.metadata.uid.clone().unwrap_or_default());
                rs_view(w, rs, cache)
            })
            .collect();
        kubeplay_sort::sort_by(&mut rss, |a, b| {
            b.revision.cmp(&a.revision).then(a.name.cmp(&b.name))
        });
        let st = d.status.clone().unwrap_or_default();
        deployments.push(DeployView {
            name: d.metadata.name.clone().unwrap_or_default(),
            uid: d.metadata.uid.clone().unwrap_or_default(),
            desired: dc::replicas(d),
            ready: st.ready_replicas.unwrap_or(0),
            updated: st.updated_replicas.unwrap_or(0),
            available: st.available_replicas.unwrap_or(0),
            revision: dc::revision(&d.metadata),
            budget: budget(d, &rss),
            replicasets: rss,
        });
    }
    let mut replicasets = Vec::new();
    for rs in w.store.list::<ReplicaSet>(ns) {
        if !owned_rs.contains(rs.metadata.uid.as_deref().unwrap_or("")) {
            replicasets.push(rs_view(w, rs, cache));
        }
    }
    let mut pods = Vec::new();
    let pod_count = w.store.list::<Pod>(ns).count();
    // Pods no ReplicaSet shown owns, when there are any (else no pod needs looking up).
    if cache.seen_now < pod_count {
        for p in w.store.list::<Pod>(ns) {
            if !cache.seen(p.metadata.uid.as_deref().unwrap_or("")) {
                pods.push(cache.view(p, w.now()));
            }
        }
    }
    let generation = cache.generation;
    cache.map.retain(|_, e| e.2 == generation);
    let shown: BTreeSet<&str> = deployments
        .iter()
        .flat_map(|d: &DeployView| d.replicasets.iter())
        .chain(replicasets.iter())
        .map(|r| r.uid.as_str())
        .collect_set();
    cache.lists.retain(|uid, _| shown.contains(uid.as_str()));
    if cache.templates.len() > 256 {
        cache.templates.clear();
    }
    ClusterModel {
        namespace: ns.to_string(),
        deployments,
        replicasets,
        pods,
        pod_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_shell::Session;

    fn deploy(replicas: u32, image: &str, extra: &str) -> String {
        format!(
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
{extra}  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: {image}
"
        )
    }

    fn apply(s: &mut Session, yaml: &str) {
        s.fs.write("d.yaml", yaml.as_bytes().to_vec());
        s.feed_line("kubectl apply -f d.yaml");
        let out: String = s.take_output().into_iter().map(|c| c.text).collect();
        assert!(out.contains("deployment.apps/web"), "{out}");
    }

    #[test]
    fn pods_no_replicaset_owns_are_listed_apart_and_come_and_go() {
        let mut s = Session::new(7);
        apply(&mut s, &deploy(2, "nginx:1.25", ""));
        let t = s.now() + 30_000;
        s.advance_to(t);
        let mut cache = PodCache::default();
        let m = cluster(&s.world, "default", &mut cache);
        assert!(m.pods.is_empty());
        s.feed_line("kubectl run solo --image=nginx:1.25");
        let t = s.now() + 30_000;
        s.advance_to(t);
        let m = cluster(&s.world, "default", &mut cache);
        let bare: Vec<&str> = m.pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(bare, ["solo"]);
        assert_eq!(m.pod_count, 3);
        assert_eq!(m.deployments[0].replicasets[0].pods.len(), 2);
        s.feed_line("kubectl delete pod solo --grace-period=0 --force");
        let t = s.now() + 30_000;
        s.advance_to(t);
        let m = cluster(&s.world, "default", &mut cache);
        assert!(m.pods.is_empty());
        assert_eq!(m.pod_count, 2);
    }

    #[test]
    fn an_unchanged_replicaset_keeps_its_pod_list() {
        let mut s = Session::new(1);
        apply(&mut s, &deploy(3, "nginx:1.25", ""));
        s.advance_to(60_000);
        let mut cache = PodCache::default();
        let a = cluster(&s.world, "default", &mut cache);
        let b = cluster(&s.world, "default", &mut cache);
        let (ra, rb) = (
            &a.deployments[0].replicasets[0],
            &b.deployments[0].replicasets[0],
        );
        assert_eq!(ra.pods.len(), 3);
        assert!(Rc::ptr_eq(&ra.pods, &rb.pods), "same pods, same list");
        s.feed_line("kubectl delete pod --all --wait=false");
        let c = cluster(&s.world, "default", &mut cache);
        let rc = &c.deployments[0].replicasets[0];
        assert!(!Rc::ptr_eq(&ra.pods, &rc.pods), "pods changed, a new list");
        // Three terminating, three new.
        assert_eq!(rc.pods.len(), 6, "{:?}", rc.pods);
        assert_eq!(c.pod_count, 6);
        assert_eq!(
            rc.pods.iter().filter(|p| p.class == "terminating").count(),
            3
        );
        let t = rc.pods.iter().find(|p| p.class == "terminating").unwrap();
        assert!(t.title.starts_with(&format!("{}  ", t.name)), "{}", t.title);
        assert!(t.title.contains("Terminating"), "{}", t.title);
    }

    #[test]
    fn diffs_show_what_changed() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(
            d,
            [(' ', "a"), ('-', "b"), ('+', "B"), (' ', "c"), ('+', "d")]
        );
        assert_eq!(diff_lines("", "x"), [('+', "x")]);
    }

    #[test]
    fn classes_follow_kubectl_status() {
        assert_eq!(status_class("Running", "1/1"), "running");
        assert_eq!(status_class("Running", "0/1"), "notready");
        assert_eq!(status_class("ContainerCreating", "0/1"), "pending");
        assert_eq!(status_class("Init:0/2", "0/1"), "pending");
        assert_eq!(status_class("Init:CrashLoopBackOff", "0/1"), "failed");
        assert_eq!(status_class("ImagePullBackOff", "0/1"), "failed");
        assert_eq!(status_class("Terminating", "1/1"), "terminating");
        assert_eq!(status_class("Completed", "0/1"), "done");
    }

    #[test]
    fn a_deployment_shows_its_revision_and_running_pods() {
        let mut s = Session::new(7);
        apply(&mut s, &deploy(3, "nginx:1.25", ""));
        let t = s.now() + 30_000;
        s.advance_to(t);
        let mut cache = PodCache::default();
        let m = cluster(&s.world, "default", &mut cache);
        assert_eq!(m.deployments.len(), 1);
        let d = &m.deployments[0];
        assert_eq!((d.desired, d.ready, d.available), (3, 3, 3));
        assert_eq!(d.replicasets.len(), 1);
        let rs = &d.replicasets[0];
        assert_eq!(rs.revision, 1);
        assert_eq!(rs.images, "nginx:1.25");
        assert!(rs.name.ends_with(&rs.hash) && !rs.hash.is_empty());
        assert_eq!(rs.pods.len(), 3);
        for p in rs.pods.iter() {
            assert!(p.name.starts_with(&rs.name));
            assert_eq!((p.status.as_str(), p.class), ("Running", "running"));
        }
        assert_eq!(d.budget.waiting, None);
        assert_eq!(m.pod_count, 3);
        // A second build with nothing changed gives the same model from the cache.
        assert_eq!(cluster(&s.world, "default", &mut cache), m);
    }

    #[test]
    fn a_rollout_that_cannot_create_pods_says_why() {
        let mut s = Session::new(7);
        apply(&mut s, &deploy(2, "nginx:1.25", ""));
        s.feed_line("kubectl set serviceaccount deployment web robot");
        let t = s.now() + 5_000;
        s.advance_to(t);
        let m = cluster(&s.world, "default", &mut PodCache::default());
        let error = "pods \"web-";
        match &m.deployments[0].budget.waiting {
            Some(Waiting::CannotCreate { error: e }) => {
                assert!(e.starts_with(error), "{e}");
                assert!(e.ends_with("serviceaccount \"robot\" not found"), "{e}");
            }
            w => panic!("{w:?}"),
        }
        // Once the account exists the pods come, and the reason goes.
        s.feed_line("kubectl create serviceaccount robot");
        let t = s.now() + 60_000;
        s.advance_to(t);
        let m = cluster(&s.world, "default", &mut PodCache::default());
        assert_eq!(m.deployments[0].budget.waiting, None);
    }

    #[test]
    fn template_yaml_is_what_kubectl_prints() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: {app: web, 'on': 'yes', z: '1'}\n      annotations: {note: \"a: b\\n\\tc \\u00e9 '\\\" #x\"}\n    spec:\n      terminationGracePeriodSeconds: -1\n      initContainers: [{name: i, image: busybox, command: [sh, -c, 'echo \"hi\"; exit 0']}]\n      containers:\n      - name: c\n        image: nginx:1.25\n        args: ['', '~', 'null', 'true', '1.5', '0x1F', '- x', '*a']\n        env: [{name: A, value: '007'}, {name: B, valueFrom: {secretKeyRef: {name: s, key: k}}}]\n        ports: [{containerPort: 80, protocol: TCP}]\n        resources: {limits: {cpu: 500m, memory: 1Gi}}\n        readinessProbe: {httpGet: {path: /, port: http}}\n      volumes: [{name: v, configMap: {name: cm, defaultMode: 0400, items: [{key: a, path: b}]}}]\n";
        let docs = kubeplay_api::decode::parse_documents(yaml).unwrap();
        let kubeplay_api::Object::Deployment(d) = kubeplay_api::decode::decode(&docs[0]).unwrap()
        else {
            panic!()
        };
        let t = &d.spec.template;
        let y = yaml_of(t);
        // The terminal's `kubectl get -o yaml` layout: go-yaml v2's quoting and key order.
        for line in [
            "metadata:\n  annotations:\n    note: \"a: b\\n\\tc é '\\\" #x\"\n",
            "    \"on\": \"yes\"\n    z: \"1\"\n",
            "    - \"\"\n    - \"~\"\n    - \"null\"\n    - \"true\"\n    - \"1.5\"\n    - \"0x1F\"\n    - '- x'\n    - '*a'\n",
            "    env:\n    - name: A\n      value: \"007\"\n",
            "    - echo \"hi\"; exit 0\n",
            "  terminationGracePeriodSeconds: -1\n",
        ] {
            assert!(y.contains(line), "{line:?} not in\n{y}");
        }
        assert_eq!(
            y,
            kubeplay_shell::print::yaml::to_yaml(&kubeplay_api::codec::to_value(t))
        );
    }

    #[test]
    fn a_rolling_update_shows_two_revisions_and_its_budget() {
        let mut s = Session::new(3);
        let strategy =
            "  strategy:\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 25%\n";
        apply(&mut s, &deploy(10, "nginx:1.25", strategy));
        let t = s.now() + 60_000;
        s.advance_to(t);
        apply(&mut s, &deploy(10, "nginx:1.26", strategy));
        let t = s.now() + 1;
        s.advance_to(t);
        let m = cluster(&s.world, "default", &mut PodCache::default());
        let d = &m.deployments[0];
        assert_eq!(d.revision, 2);
        let revs: Vec<i64> = d.replicasets.iter().map(|r| r.revision).collect();
        assert_eq!(revs, [2, 1]);
        assert_eq!(d.replicasets[0].images, "nginx:1.26");
        let diff = diff_lines(&d.replicasets[1].template, &d.replicasets[0].template);
        let changed: Vec<String> = diff
            .iter()
            .filter(|(c, _)| *c != ' ')
            .map(|(c, l)| format!("{c}{}", l.trim()))
            .collect();
        assert_eq!(changed, ["-- image: nginx:1.25", "+- image: nginx:1.26"]);
        // 25% of 10: maxSurge rounds up to 3, maxUnavailable down to 2.
        assert_eq!((d.budget.max_surge, d.budget.max_unavailable), (3, 2));
        assert_eq!((d.budget.max_total, d.budget.min_available), (13, 8));
        assert!(d.budget.waiting.is_some());
        let t = s.now() + 300_000;
        s.advance_to(t);
        let m = cluster(&s.world, "default", &mut PodCache::default());
        let d = &m.deployments[0];
        assert_eq!(d.budget.waiting, None, "{:?}", d.budget);
        assert_eq!(d.replicasets[1].desired, 0);
    }
}

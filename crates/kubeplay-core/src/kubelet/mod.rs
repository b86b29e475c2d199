//! The simulated kubelet: takes each scheduled pod through sandbox creation, image pulls, init
//! containers and app containers; runs their processes in virtual time; restarts them with
//! Kubernetes' back-off; runs probes; reports status; and terminates pods being deleted.
//!
//! Work is done per pod, only when the pod changes or one of its containers asked to be woken
//! (a `sleep` ending, a back-off expiring, a probe due). An idle server costs nothing.
//!
//! What `describe pod` and `logs` need is plain data on [`PodRuntime`] / [`Ctr`]:
//! the effective command, the environment, mounts, current and previous logs.

pub mod command;
pub mod exec;
pub mod log;
pub mod net;
pub mod process;
pub mod ps;
pub mod script;

use crate::config::FileData;
use crate::events::NewEvent;
use crate::images::{self, Image};
use crate::store::Key;
use crate::time::{k8s_time, Millis};
use crate::world::DeleteOptions;
use crate::{Task, World};
use kubeplay_api::k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, Pod, PodCondition, PodIP, Probe,
};
use kubeplay_api::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_api::Kind;
use kubeplay_sort::Collect as _;
use process::{EnvPair, Files, Poll, ProcCx, Program};
use rand_core::RngCore;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// How long the kubelet takes to notice a newly bound pod.
const PICKUP: Millis = 400;
/// Sandbox creation (network, pause container).
const SANDBOX: Millis = 600;
/// From an exit to the restart that needs no back-off (PLEG relist + sync).
const RELIST: Millis = 1000;
const BACKOFF_INITIAL: Millis = 10_000;
const BACKOFF_MAX: Millis = 300_000;
/// A back-off whose last step is more than this before a container's exit is forgotten (the
/// kubelet's `flowcontrol.Backoff` drops an entry older than twice its maximum): a container
/// that ran ten minutes starts again at once. Measured from the step, not from the start, so a
/// container that never starts (StartError: startedAt is the Unix epoch) keeps backing off.
const BACKOFF_RESET: Millis = 600_000;
/// A pull of an image that is not in the registry fails after this long.
const PULL_FAIL: Millis = 800;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Init,
    /// An init container with `restartPolicy: Always` (native sidecar).
    Sidecar,
    App,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Terminated {
    pub exit_code: i32,
    pub reason: String,
    pub message: Option<String>,
    pub started: Millis,
    pub finished: Millis,
    pub container_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CState {
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running {
        started: Millis,
    },
    Terminated(Terminated),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Pull {
    /// Not asked for yet.
    None,
    /// Pulling; finishes at the time, successfully or not.
    Pulling {
        done_at: Millis,
        ok: bool,
    },
    Present,
    /// The last pull failed; the next try is at the time.
    BackOff {
        until: Millis,
        view_at: Option<Millis>,
        err: String,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ProbeRun {
    next_at: Option<Millis>,
    fails: i32,
    successes: i32,
}

/// One container as the kubelet keeps it.
#[derive(Clone, Debug)]
pub struct Ctr {
    pub name: String,
    pub role: Role,
    /// Where it is in the pod's `containers` (an app container) or `initContainers` (the
    /// others): a pod's lists of containers never change (the API server refuses such
    /// updates, and a runtime is for one pod uid), so it is found there without comparing
    /// names ([`spec_container`]).
    spec_idx: usize,
    pub image: String,
    pub state: CState,
    /// Boxed: most containers never restart, and a `Ctr` is read on every sync of its pod.
    pub last: Option<Box<Terminated>>,
    pub restarts: i32,
    pub ready: bool,
    pub started: bool,
    /// The process of the current (or last) run: ENTRYPOINT/CMD with command/args, expanded.
    pub argv: Vec<String>,
    /// The environment of the current run, in order.
    pub env: Vec<EnvPair>,
    /// This run's log, and the previous run's (`logs -p`).
    pub logs: log::Log,
    pub prev_logs: Option<log::Log>,
    /// Files written outside volumes.
    pub fs: Files,
    /// `Some(page)`: `fs` (empty then) stands for the files a container starts with, the index
    /// page of its web server image if any and `/etc/hostname` ([`Ctr::start_file`]), not
    /// copied into it for every pod until a process runs with its files (`with_cx`).
    start_files: Option<IndexPage>,
    /// (mountPath, volume name) of emptyDir and hostPath volumes.
    pub mounts: Vec<(String, String)>,
    /// Files of configMap/secret/token volumes as this run sees them (read-only).
    pub projected: BTreeMap<String, FileData>,
    pub projected_dirs: Vec<String>,
    /// Projected paths mounted with `subPath`: never refreshed.
    pub projected_sub: std::collections::BTreeSet<String>,
    mount_error: Option<String>,
    pub container_id: String,
    proc: Option<Program>,
    /// The image this container runs, shared (it is read, never changed).
    img: Option<Rc<Image>>,
    pull: Pull,
    pull_backoff: Millis,
    backoff: Millis,
    /// When `backoff` last stepped (the back-off entry's `lastUpdate`).
    backoff_at: Millis,
    restart_at: Option<Millis>,
    /// When the exit turns into `CrashLoopBackOff` on screen, and the delay it shows.
    crash_view_at: Option<Millis>,
    backoff_shown: Millis,
    pulled_msg: Option<String>,
    /// Init container finished successfully (for regular init containers).
    pub done: bool,
    readiness: ProbeRun,
    liveness: ProbeRun,
    startup: ProbeRun,
    /// Stop signal sent; killed (exit 137) at this time unless it exits first.
    kill_at: Option<Millis>,
    /// `stdin: true`: its standard input stays open (`kubectl run -i`), so a shell waits on it.
    stdin: bool,
    /// How many `kubectl exec`s this run has started (their pids follow from it).
    pub execs: u32,
}

impl Ctr {
    fn new(c: &Container, role: Role, spec_idx: usize) -> Ctr {
        Ctr {
            name: c.name.clone(),
            role,
            spec_idx,
            image: c.image.clone().unwrap_or_default(),
            state: CState::Waiting {
                reason: if role == Role::App {
                    "ContainerCreating".into()
                } else {
                    "PodInitializing".into()
                },
                message: None,
            },
            last: None,
            restarts: 0,
            ready: false,
            started: false,
            argv: Vec::new(),
            env: Vec::new(),
            logs: log::Log::default(),
            prev_logs: None,
            fs: Files::new(),
            start_files: None,
            mounts: Vec::new(),
            projected: BTreeMap::new(),
            projected_dirs: Vec::new(),
            projected_sub: Default::default(),
            mount_error: None,
            container_id: String::new(),
            proc: None,
            img: None,
            pull: Pull::None,
            pull_backoff: 0,
            backoff: 0,
            restart_at: None,
            crash_view_at: None,
            backoff_shown: 0,
            backoff_at: 0,
            pulled_msg: None,
            done: false,
            readiness: ProbeRun::default(),
            liveness: ProbeRun::default(),
            startup: ProbeRun::default(),
            kill_at: None,
            stdin: c.stdin == Some(true),
            execs: 0,
        }
    }

    /// The command the container's script put in its own place (`exec`, or the last command
    /// of `sh -c`), which runs as process 1 now.
    pub fn execed(&self) -> Option<Vec<String>> {
        self.proc.as_ref().and_then(Program::exec_argv)
    }

    pub fn is_running(&self) -> bool {
        matches!(self.state, CState::Running { .. })
    }

    /// The server listening on `port` in this container, if any.
    pub fn server_on(&self, port: u16) -> Option<&process::ServerKind> {
        if !self.is_running() {
            return None;
        }
        let s = self.proc.as_ref()?.server()?;
        let ports: Vec<u16> = match s {
            process::ServerKind::Generic => self
                .img
                .as_ref()
                .map(|i| i.ports.clone())
                .unwrap_or_default(),
            s => s.ports().to_vec(),
        };
        ports.contains(&port).then_some(s)
    }

    fn field_path(&self) -> String {
        let list = match self.role {
            Role::App => "spec.containers{",
            _ => "spec.initContainers{",
        };
        let mut path = String::with_capacity(list.len() + self.name.len() + 1);
        path.push_str(list);
        path.push_str(&self.name);
        path.push('}');
        path
    }

    /// A file of those the container started with, while they stand in `start_files`
    /// (`pod`: the pod's name, which `/etc/hostname` holds).
    fn start_file(&self, pod: &str, path: &str) -> Option<Vec<u8>> {
        let page = self.start_files?;
        match page {
            Some((p, body)) if p == path => Some(body.as_bytes().to_vec()),
            _ if path == HOSTNAME_FILE => Some(hostname_file(pod)),
            _ => None,
        }
    }

    /// Write the files `start_files` stands for into `fs`.
    fn write_start_files(&mut self, pod: &str) {
        if let Some(page) = self.start_files.take() {
            add_start_files(&mut self.fs, page, pod);
        }
    }
}

/// The index page a web server image starts with: (path, contents).
type IndexPage = Option<(&'static str, &'static str)>;

fn index_page(repo: &str) -> IndexPage {
    match repo {
        "docker.io/library/nginx" => {
            Some(("/usr/share/nginx/html/index.html", process::NGINX_INDEX))
        }
        "docker.io/library/httpd" => {
            Some(("/usr/local/apache2/htdocs/index.html", process::HTTPD_INDEX))
        }
        _ => None,
    }
}

const HOSTNAME_FILE: &str = "/etc/hostname";
const HOSTS_FILE: &str = "/etc/hosts";
const RESOLV_FILE: &str = "/etc/resolv.conf";

/// The pod's `/etc/hosts` as the kubelet writes it (`managedHostsFileContent`): loopback
/// and IPv6 boilerplate, the pod's own name (its FQDN first with a subdomain), then the
/// spec's hostAliases.
fn hosts_file(pod: &Pod, ns: &str, ip: &str) -> Vec<u8> {
    let spec = pod.spec.as_ref();
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let hostname = spec.and_then(|s| s.hostname.as_deref()).unwrap_or(name);
    let mut f = String::from("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
    match spec.and_then(|s| s.subdomain.as_deref()) {
        Some(sub) => f.push_str(&format!(
            "{ip}\t{hostname}.{sub}.{ns}.svc.cluster.local\t{hostname}\n"
        )),
        None => f.push_str(&format!("{ip}\t{hostname}\n")),
    }
    let aliases = spec
        .and_then(|s| s.host_aliases.as_deref())
        .unwrap_or_default();
    if !aliases.is_empty() {
        f.push_str("\n# Entries added by HostAliases.\n");
        for a in aliases {
            let names = a.hostnames.as_deref().unwrap_or_default().join("\t");
            f.push_str(&format!("{}\t{names}\n", a.ip));
        }
    }
    f.into_bytes()
}

/// The pod's `/etc/resolv.conf` as containerd writes it from the kubelet's DNS settings
/// (search, nameserver, options): the cluster's DNS for `ClusterFirst` (the default), plus
/// the spec's dnsConfig; only dnsConfig for `None`. (`Default` takes the node's file, which
/// kubeplay does not model.)
fn resolv_conf(pod: &Pod, ns: &str) -> Option<Vec<u8>> {
    let spec = pod.spec.as_ref();
    let policy = spec
        .and_then(|s| s.dns_policy.as_deref())
        .unwrap_or("ClusterFirst");
    let (mut search, mut servers, mut options) = match policy {
        "None" => (Vec::new(), Vec::new(), Vec::new()),
        "ClusterFirst" | "ClusterFirstWithHostNet" => (
            vec![
                format!("{ns}.svc.cluster.local"),
                "svc.cluster.local".into(),
                "cluster.local".into(),
            ],
            vec!["10.96.0.10".to_string()],
            vec!["ndots:5".to_string()],
        ),
        _ => return None,
    };
    if let Some(c) = spec.and_then(|s| s.dns_config.as_ref()) {
        search.extend(c.searches.iter().flatten().cloned());
        servers.extend(c.nameservers.iter().flatten().cloned());
        for o in c.options.iter().flatten() {
            let opt = match &o.value {
                Some(v) => format!("{}:{v}", o.name.as_deref().unwrap_or_default()),
                None => o.name.clone().unwrap_or_default(),
            };
            // An option of the same name replaces the cluster's (`ndots:2`).
            let key = opt.split(':').next().unwrap_or_default().to_string();
            options.retain(|x| x.split(':').next() != Some(key.as_str()));
            options.push(opt);
        }
    }
    let mut f = String::new();
    if !search.is_empty() {
        f.push_str(&format!("search {}\n", search.join(" ")));
    }
    for s in &servers {
        f.push_str(&format!("nameserver {s}\n"));
    }
    if !options.is_empty() {
        f.push_str(&format!("options {}\n", options.join(" ")));
    }
    Some(f.into_bytes())
}

fn hostname_file(pod: &str) -> Vec<u8> {
    let mut hostname = Vec::with_capacity(pod.len() + 1);
    hostname.extend_from_slice(pod.as_bytes());
    hostname.push(b'\n');
    hostname
}

/// What a container start writes: the image's index page unless the container has one
/// already, and `/etc/hostname`.
fn add_start_files(fs: &mut Files, page: IndexPage, pod: &str) {
    if let Some((path, body)) = page {
        fs.entry(path.into())
            .or_insert_with(|| body.as_bytes().to_vec());
    }
    fs.insert(HOSTNAME_FILE.into(), hostname_file(pod));
}

/// The files a container of `repo` starts with (its index page, `/etc/hostname`), for a
/// container outside any pod (`docker run`).
pub fn start_files(repo: &str, hostname: &str) -> Files {
    let mut fs = Files::new();
    add_start_files(&mut fs, index_page(repo), hostname);
    fs
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    Sandbox { ready_at: Millis },
    Running,
    Terminating { gone_at: Millis },
}

/// The kubelet's view of one pod.
#[derive(Clone, Debug)]
pub struct PodRuntime {
    pub uid: String,
    /// The pod's name (its hostname).
    pub name: crate::key::Name,
    pub node: String,
    pub ip: String,
    pub host_ip: String,
    /// Init containers (and sidecars) first, in spec order, then app containers.
    pub ctrs: Vec<Ctr>,
    pub n_init: usize,
    stage: Stage,
    pub initialized: bool,
    /// emptyDir contents (and hostPath ones, as of the last process step), by volume name;
    /// paths relative to the volume.
    pub volumes: BTreeMap<String, Files>,
    started_at: Millis,
    /// A ConfigMap/Secret this pod mounts changed: refresh its volumes at this resync.
    volume_sync_at: Option<Millis>,
    /// The pod failed for good (an init container failed with restartPolicy Never).
    failed: bool,
    /// The pod's restartPolicy ([`restart_policy`]; a pod's spec keeps it for good), kept
    /// here so that a sync does not read it out of the pod.
    policy: &'static str,
    /// The pod's resourceVersion after the last status write, the digest
    /// ([`status_digest`]) of what that write was computed from, and whether it wrote the
    /// pod's IP (the sandbox was ready): while neither of the first two moved, the status
    /// would come out the same.
    status_memo: Option<(Option<crate::key::Name>, (u64, u64), bool)>,
}

/// A digest of everything `write_status` reads from the runtime (the restart policy aside:
/// it never changes). Kept instead of a copy of those inputs: comparing the copy read
/// a dozen strings on both sides (rarely in cache when a pod's turn comes again) and writing
/// it copied them. A change is missed only if two 64-bit digests collide (inputs that differ
/// in one word of the same length never do: each FxHash step is a bijection of its state).
///
/// What a runtime never changes after `admit` is left out (the memo lives in the runtime, so
/// a new runtime starts without one): the IPs, the start time, the containers' number, names
/// and roles. Hashing them read three strings of the heap on every sync of every pod.
///
/// In two parts: the pod's, and the containers' (all a container status is made from), so
/// that a write for a change of the pod alone leaves the container statuses unread.
fn status_digest(rt: &PodRuntime) -> (u64, u64) {
    use std::hash::{Hash, Hasher};
    let mut h = crate::table::FxHasher::default();
    (!matches!(rt.stage, Stage::Sandbox { .. })).hash(&mut h);
    rt.failed.hash(&mut h);
    rt.initialized.hash(&mut h);
    let pod = h.finish();
    let mut h = crate::table::FxHasher::default();
    for c in &rt.ctrs {
        c.state.hash(&mut h);
        c.restart_at.is_some().hash(&mut h);
        c.restarts.hash(&mut h);
        c.ready.hash(&mut h);
        c.started.hash(&mut h);
        c.done.hash(&mut h);
        c.container_id.hash(&mut h);
        c.image.hash(&mut h);
        c.last.hash(&mut h);
    }
    (pod, h.finish())
}

impl PodRuntime {
    /// Read a file as container `i` sees it (volumes mounted over its own files).
    pub fn read_file(&self, i: usize, path: &str) -> Option<Vec<u8>> {
        let c = self.ctrs.get(i)?;
        if let Some(d) = c.projected.get(path) {
            return Some(d.bytes().into_owned());
        }
        for (mp, vol) in &c.mounts {
            if let Some(rel) = strip_dir(path, mp) {
                return self.volumes.get(vol)?.get(rel).cloned();
            }
        }
        c.fs.get(path)
            .cloned()
            .or_else(|| c.start_file(&self.name, path))
    }

    pub fn container(&self, name: &str) -> Option<&Ctr> {
        self.ctrs.iter().find(|c| c.name == name)
    }
}

fn strip_dir<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)?.strip_prefix('/')
}

#[derive(Clone, Debug, Default)]
pub struct Kubelet {
    pub pods: PodTable,
    /// image -> (its full reference if it parses, its image ID): what container statuses
    /// show, worked out once per image.
    status_images: BTreeMap<String, (Option<String>, String)>,
    /// Pod IP -> pod, for the network (looked up only, never iterated).
    pub by_ip: std::collections::HashMap<String, Key, crate::table::FxBuild>,
    /// Images already pulled (full references), by node.
    images: BTreeMap<String, BTreeSet<String>>,
    /// Last host byte handed out, per node.
    next_ip: BTreeMap<String, u32>,
    pub catalog: images::Catalog,
    /// The files of hostPath volumes, by (node, path): shared by the pods on a node that
    /// mount them, and kept after those pods are gone.
    host_dirs: BTreeMap<(String, String), Files>,
    pub(crate) execs: BTreeMap<u64, exec::ExecProc>,
    exec_seq: u64,
    /// Bumped whenever a Service is written or removed (`World::notify`).
    pub(crate) services_gen: u64,
    /// `service_env` by (namespace, enableServiceLinks), with the `services_gen` it was
    /// computed at: every container start in a namespace needs the same list.
    /// (Looked up by the namespace borrowed; indexed by enableServiceLinks.)
    svc_env: BTreeMap<String, [Option<(u64, Rc<Vec<EnvPair>>)>; 2]>,
    /// Image strings as parsed (`images::parse_reference`, which only reads the string):
    /// each container start looks its image up twice.
    references: BTreeMap<String, ParsedImage>,
    /// One copy of each content containers mount (every pod's token volume holds the same
    /// `ca.crt`), by hash (a clash moves on to the next value). Only looked up; contents no
    /// container holds any more go when the table has doubled since it was last pruned.
    files: HashMap<u64, Rc<[u8]>, crate::table::FxBuild>,
    files_pruned_at: usize,
    /// The files of the token volume admission gives pods, all but the token, by namespace,
    /// with the uid and resourceVersion of the `kube-root-ca.crt` they were made from
    /// ([`crate::config::ConfigSource::token_volume_files`]; filled while the World is only
    /// read, as containers' mounts are worked out).
    pub(crate) token_files: std::cell::RefCell<TokenFiles>,
    /// The environment of the last container started without `env` or `envFrom`, made once
    /// for its image and service variables ([`EnvTemplate`]).
    env_template: Option<EnvTemplate>,
}

/// A container without `env` or `envFrom` gets its image's variables, HOSTNAME, the service
/// variables and HOME: the same list for every such container of an image in a namespace
/// (the pods of a Deployment), but for HOSTNAME. Kept for one (image, service variables),
/// which it holds, so that the same pointers mean the same lists; `hostname` is where the
/// pod's name goes (none when the image's own HOSTNAME won).
#[derive(Clone, Debug)]
struct EnvTemplate {
    image: Rc<Image>,
    services: Rc<Vec<EnvPair>>,
    env: Vec<EnvPair>,
    hostname: Option<usize>,
}

/// See `Kubelet::token_files`.
pub(crate) type TokenFiles =
    HashMap<String, ([String; 2], Rc<[crate::config::ProjectedFile]>), crate::table::FxBuild>;

impl Kubelet {
    /// `d`, its bytes the kubelet's copy.
    fn share_file(&mut self, d: FileData) -> FileData {
        let FileData::Bytes(b) = d else {
            return d;
        };
        // Held elsewhere already (the token volume's files kept for its namespace): one copy.
        if Rc::strong_count(&b) > 1 {
            return FileData::Bytes(b);
        }
        if self.files.len() >= 2 * self.files_pruned_at.max(64) {
            self.files.retain(|_, f| Rc::strong_count(f) > 1);
            self.files_pruned_at = self.files.len();
        }
        let mut h = {
            use std::hash::Hasher;
            let mut h = crate::table::FxHasher::default();
            h.write(&b);
            h.finish()
        };
        loop {
            match self.files.entry(h) {
                Entry::Vacant(v) => return FileData::Bytes(v.insert(b).clone()),
                Entry::Occupied(o) if **o.get() == *b => return FileData::Bytes(o.get().clone()),
                Entry::Occupied(_) => h = h.wrapping_add(1),
            }
        }
    }
}

/// An image string's reference and its full form, or why it does not parse.
type ParsedImage = Rc<Result<(images::Reference, String), String>>;

/// [`images::parse_reference`] of `image`, with the reference's full form, parsed once.
fn parsed_image(w: &mut World, image: &str) -> ParsedImage {
    if let Some(p) = w.kubelet.references.get(image) {
        return p.clone();
    }
    let p = Rc::new(images::parse_reference(image).map(|r| {
        let full = r.full();
        (r, full)
    }));
    w.kubelet.references.insert(image.to_string(), p.clone());
    p
}

/// The kubelet's pod runtimes by key, hashed only: what the kubelet does most is add, find
/// and remove one pod, and an ordered index costs string comparisons over all the pods on
/// each add and remove. The one walk in order (a ConfigMap or Secret changed) sorts the keys
/// of its namespace. A runtime taken out while its pod syncs leaves its slot (and key) in
/// place, empty, so that putting it back copies no key and moves nothing.
#[derive(Clone, Debug, Default)]
pub struct PodTable {
    map: std::collections::HashMap<Key, Option<Box<PodRuntime>>, crate::table::FxBuild>,
    /// Empty slots (runtimes taken out).
    taken: usize,
}

impl PodTable {
    pub fn get(&self, k: &Key) -> Option<&PodRuntime> {
        self.map.get(k)?.as_deref()
    }
    pub fn get_mut(&mut self, k: &Key) -> Option<&mut PodRuntime> {
        self.map.get_mut(k)?.as_deref_mut()
    }
    pub fn contains_key(&self, k: &Key) -> bool {
        matches!(self.map.get(k), Some(Some(_)))
    }
    pub fn len(&self) -> usize {
        self.map.len() - self.taken
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn insert(&mut self, k: Key, v: Box<PodRuntime>) {
        if let Some(None) = self.map.insert(k, Some(v)) {
            self.taken -= 1;
        }
    }
    fn remove(&mut self, k: &Key) -> Option<Box<PodRuntime>> {
        let v = self.map.remove(k)?;
        if v.is_none() {
            self.taken -= 1;
        }
        v
    }
    /// Out of the table while its pod syncs (lookups do not see it), until `restore`.
    fn take(&mut self, k: &Key) -> Option<Box<PodRuntime>> {
        let v = self.map.get_mut(k)?.take()?;
        self.taken += 1;
        Some(v)
    }
    fn restore(&mut self, k: &Key, v: Box<PodRuntime>) {
        match self.map.get_mut(k) {
            Some(slot) => {
                let was_empty = slot.is_none();
                *slot = Some(v);
                if was_empty {
                    self.taken -= 1;
                }
            }
            None => {
                self.map.insert(k.clone(), Some(v));
            }
        }
    }
    /// The runtimes of the pods in one namespace, in name order.
    fn in_namespace(&self, ns: &str) -> Vec<(&Key, &PodRuntime)> {
        let mut v: Vec<(&Key, &PodRuntime)> = self
            .map
            .iter()
            .filter(|(k, _)| k.0 == ns)
            .filter_map(|(k, rt)| Some((k, &**rt.as_ref()?)))
            .collect();
        kubeplay_sort::sort_by(&mut v, |a, b| a.0.cmp(b.0));
        v
    }
}

/// [`service_env`], from the kubelet's cache while no Service has changed.
fn cached_service_env(w: &mut World, ns: &str, links: bool) -> Rc<Vec<EnvPair>> {
    let gen = w.kubelet.services_gen;
    let slot = links as usize;
    if let Some((g, env)) = w.kubelet.svc_env.get(ns).and_then(|e| e[slot].as_ref()) {
        if *g == gen {
            return env.clone();
        }
    }
    let env = Rc::new(service_env(w, ns, links));
    if !w.kubelet.svc_env.contains_key(ns) {
        w.kubelet.svc_env.insert(ns.to_string(), [None, None]);
    }
    if let Some(e) = w.kubelet.svc_env.get_mut(ns) {
        e[slot] = Some((gen, env.clone()));
    }
    env
}

fn event(
    w: &mut World,
    pod: &Pod,
    warning: bool,
    reason: &'static str,
    message: String,
    field_path: Option<String>,
) {
    let host = pod.spec.as_ref().and_then(|s| s.node_name.as_deref());
    w.record_event(NewEvent {
        kind: Kind::Pod,
        object: &pod.metadata,
        field_path,
        warning,
        reason,
        message,
        component: "kubelet",
        host,
    });
}

fn pod_bound_at(p: &Pod) -> Millis {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "PodScheduled"))
        .and_then(|c| c.last_transition_time.as_ref())
        .map(crate::time::millis_of)
        .unwrap_or(0)
}

fn restart_policy(pod: &Pod) -> &'static str {
    match pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) {
        Some("Never") => "Never",
        Some("OnFailure") => "OnFailure",
        // Validation admits only these three, and the default is Always.
        _ => "Always",
    }
}

/// `c`'s container in the pod's spec (by its place there, [`Ctr::spec_idx`]).
fn spec_container<'a>(pod: &'a Pod, c: &Ctr) -> Option<&'a Container> {
    let spec = pod.spec.as_ref()?;
    match c.role {
        Role::App => spec.containers.get(c.spec_idx),
        _ => spec.init_containers.as_ref()?.get(c.spec_idx),
    }
}

pub(crate) fn sync(w: &mut World, k: &Key) {
    let now = w.now();
    // The pod as it is now, shared with the store for this sync, not copied (a write to it
    // meanwhile copies it, so this sync sees one state throughout).
    let Some(pod) = w.store.pods.get_shared(k) else {
        if let Some(rt) = w.kubelet.pods.remove(k) {
            w.kubelet.by_ip.remove(&rt.ip);
        }
        return;
    };
    let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
        return;
    };
    // Most syncs are of a pod the kubelet runs already, with no exec waiting: its runtime is
    // taken out at once (one lookup), and the checks below are for the rest.
    let mut running = None;
    if w.kubelet.execs.is_empty() {
        match w.kubelet.pods.take(k) {
            Some(rt) if Some(&rt.uid) == pod.metadata.uid.as_ref() => running = Some(rt),
            Some(rt) => w.kubelet.pods.restore(k, rt),
            None => {}
        }
    }
    let mut rt = match running {
        Some(rt) => rt,
        None => match start_or_take(w, k, &pod, node) {
            Some(rt) => rt,
            None => return,
        },
    };
    let mut wake: Option<Millis> = None;
    if pod.metadata.deletion_timestamp.is_some() {
        if terminate(w, &pod, &mut rt, &mut wake) {
            w.kubelet.pods.remove(k);
            w.kubelet.by_ip.remove(&rt.ip);
            w.scheduler.unbind(node);
            w.remove::<Pod>(k);
            return;
        }
    } else {
        if let Stage::Sandbox { ready_at } = rt.stage {
            if now >= ready_at {
                rt.stage = Stage::Running;
            } else {
                wake = Some(ready_at);
            }
        }
        if rt.stage == Stage::Running {
            resync_volumes(w, &pod, &mut rt, &mut wake);
            follow_image_changes(w, &pod, &mut rt, &mut wake);
            drive(w, &pod, &mut rt, &mut wake);
        }
    }
    // Let go of the pod before writing its status: still held, the write would copy it.
    drop(pod);
    write_status(w, k, &mut rt);
    w.kubelet.pods.restore(k, rt);
    if let Some(t) = wake {
        w.enqueue(Task::Kubelet(k.clone()), t.max(now));
    }
}

/// The rest of `sync`'s start: a pod the kubelet has not started yet (or one of the same name
/// with another uid, or any pod while an exec waits) is started or left alone as its state
/// says; `None` when the sync is done with it.
fn start_or_take(w: &mut World, k: &Key, pod: &Pod, node: &str) -> Option<Box<PodRuntime>> {
    let now = w.now();
    let started = match w.kubelet.pods.get(k) {
        Some(rt) if Some(&rt.uid) != pod.metadata.uid.as_ref() => {
            // A new pod with the name of an old one.
            if let Some(rt) = w.kubelet.pods.remove(k) {
                w.kubelet.by_ip.remove(&rt.ip);
            }
            false
        }
        rt => rt.is_some(),
    };
    if !started {
        if pod.metadata.deletion_timestamp.is_some() {
            // Deleted before the kubelet started anything: nothing to stop, the pod goes.
            // (Waiting for the pickup here would leave it Terminating forever.)
            w.scheduler.unbind(node);
            w.remove::<Pod>(k);
            return None;
        }
        if crate::controllers::is_terminal(pod) {
            return None;
        }
        let at = pod_bound_at(pod) + PICKUP;
        if now < at {
            w.enqueue(Task::Kubelet(k.clone()), at);
            return None;
        }
        admit(w, k, pod, node);
    }
    if !w.kubelet.execs.is_empty() {
        w.exec_due(k);
    }
    // Out of the table while it runs (other pods, and the network, do not see it then).
    w.kubelet.pods.take(k)
}

/// First sight of a bound pod: an IP, the sandbox, container records.
fn admit(w: &mut World, k: &Key, pod: &Pod, node: &str) {
    let now = w.now();
    let ip = {
        let subnet = if node == "controlplane" { 0 } else { 1 };
        let mut ip;
        loop {
            // The node's name is copied in only the first time.
            if !w.kubelet.next_ip.contains_key(node) {
                w.kubelet.next_ip.insert(node.to_string(), 1);
            }
            let Some(n) = w.kubelet.next_ip.get_mut(node) else {
                continue;
            };
            *n = if *n >= 254 * 250 { 2 } else { *n + 1 };
            let (hi, lo) = (*n / 254, *n % 254 + 1);
            ip = String::with_capacity(15);
            ip.push_str("10.244.");
            ip.push_str(&(subnet + hi * 2).to_string());
            ip.push('.');
            ip.push_str(&lo.to_string());
            if !w.kubelet.by_ip.contains_key(&ip) {
                break;
            }
        }
        ip
    };
    let host_ip = if node == "controlplane" {
        "192.168.121.10"
    } else {
        "192.168.121.11"
    };
    let no_spec = Default::default();
    let spec: &kubeplay_api::k8s_openapi::api::core::v1::PodSpec =
        pod.spec.as_ref().unwrap_or(&no_spec);
    // Exactly as many as there are: a `Ctr` is large, and a vector grown by pushes would hold
    // room for four.
    let mut ctrs = Vec::with_capacity(
        spec.init_containers.as_ref().map_or(0, Vec::len) + spec.containers.len(),
    );
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        let role = if c.restart_policy.as_deref() == Some("Always") {
            Role::Sidecar
        } else {
            Role::Init
        };
        ctrs.push(Ctr::new(c, role, i));
    }
    let n_init = ctrs.len();
    for (i, c) in spec.containers.iter().enumerate() {
        let mut x = Ctr::new(c, Role::App, i);
        if n_init > 0 {
            x.state = CState::Waiting {
                reason: "PodInitializing".into(),
                message: None,
            };
        }
        ctrs.push(x);
    }
    // Volumes whose files processes write: emptyDir, and hostPath (whose files `with_cx`
    // brings from and back to the node's).
    let empty_dirs: BTreeSet<&str> = spec
        .volumes
        .iter()
        .flatten()
        .filter(|v| v.empty_dir.is_some() || v.host_path.is_some())
        .map(|v| v.name.as_str())
        .collect_set();
    let mut volumes = BTreeMap::new();
    for v in &empty_dirs {
        volumes.insert(v.to_string(), Files::new());
    }
    for x in ctrs.iter_mut() {
        for vm in spec_container(pod, x)
            .and_then(|c| c.volume_mounts.as_ref())
            .into_iter()
            .flatten()
        {
            if empty_dirs.contains(vm.name.as_str()) {
                x.mounts.push((vm.mount_path.clone(), vm.name.clone()));
            }
        }
    }
    w.kubelet.by_ip.insert(ip.clone(), k.clone());
    let rt = PodRuntime {
        uid: pod.metadata.uid.clone().unwrap_or_default(),
        name: k.1.clone(),
        node: node.to_string(),
        ip,
        host_ip: host_ip.into(),
        initialized: n_init == 0,
        ctrs,
        n_init,
        stage: Stage::Sandbox {
            ready_at: now + SANDBOX,
        },
        volumes,
        started_at: now,
        volume_sync_at: None,
        failed: false,
        policy: restart_policy(pod),
        status_memo: None,
    };
    w.kubelet.pods.insert(k.clone(), Box::new(rt));
}

/// The service environment every container gets: `KUBERNETES_*` and the links of the
/// services in the pod's namespace (`enableServiceLinks`).
pub fn service_env(w: &World, ns: &str, links: bool) -> Vec<EnvPair> {
    use kubeplay_api::k8s_openapi::api::core::v1::Service;
    let mut out = Vec::new();
    let mut add = |name: &str, svc: &Service| {
        let Some(spec) = svc.spec.as_ref() else {
            return;
        };
        let Some(ip) = spec
            .cluster_ip
            .as_deref()
            .filter(|ip| *ip != "None" && !ip.is_empty())
        else {
            return;
        };
        let Some(ports) = spec.ports.as_ref().filter(|p| !p.is_empty()) else {
            return;
        };
        let n = name.to_ascii_uppercase().replace('-', "_");
        out.push((format!("{n}_SERVICE_HOST"), ip.to_string()));
        out.push((format!("{n}_SERVICE_PORT"), ports[0].port.to_string()));
        for p in ports {
            if let Some(pn) = &p.name {
                out.push((
                    format!(
                        "{n}_SERVICE_PORT_{}",
                        pn.to_ascii_uppercase().replace('-', "_")
                    ),
                    p.port.to_string(),
                ));
            }
        }
        let proto0 = ports[0]
            .protocol
            .clone()
            .unwrap_or_else(|| "TCP".into())
            .to_ascii_lowercase();
        out.push((
            format!("{n}_PORT"),
            format!("{proto0}://{ip}:{}", ports[0].port),
        ));
        for p in ports {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            let pl = proto.to_ascii_lowercase();
            let base = format!("{n}_PORT_{}_{}", p.port, proto.to_ascii_uppercase());
            out.push((base.clone(), format!("{pl}://{ip}:{}", p.port)));
            out.push((format!("{base}_PROTO"), pl));
            out.push((format!("{base}_PORT"), p.port.to_string()));
            out.push((format!("{base}_ADDR"), ip.to_string()));
        }
    };
    if links {
        for s in w.store.list::<Service>(ns) {
            let name = s.metadata.name.clone().unwrap_or_default();
            if ns == "default" && name == "kubernetes" {
                continue;
            }
            add(&name, s);
        }
    }
    if let Some(k) = w
        .store
        .get::<Service>(&crate::store::key("default", "kubernetes"))
        .cloned()
    {
        add("kubernetes", &k);
    }
    out.into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

/// The environment a container starts with: the image's, `HOSTNAME`, then the pod spec's.
/// `Err` is a `CreateContainerConfigError` message.
fn container_env(
    w: &mut World,
    pod: &Pod,
    c: &Container,
    img: &Rc<Image>,
) -> Result<(Vec<EnvPair>, Vec<String>), String> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let links = pod
        .spec
        .as_ref()
        .and_then(|s| s.enable_service_links)
        .unwrap_or(true);
    let svc = cached_service_env(w, ns, links);
    let hostname: Rc<str> = pod.metadata.name.as_deref().unwrap_or_default().into();
    let plain =
        c.env.as_ref().is_none_or(Vec::is_empty) && c.env_from.as_ref().is_none_or(Vec::is_empty);
    if !plain {
        return build_env(w, pod, c, img, &svc, hostname);
    }
    let fits = |t: &EnvTemplate| Rc::ptr_eq(&t.image, img) && Rc::ptr_eq(&t.services, &svc);
    if !w.kubelet.env_template.as_ref().is_some_and(fits) {
        // Made as for any pod, with a stand-in name found again by its pointer. Without env
        // or envFrom nothing can fail or warn.
        let stand_in: Rc<str> = Rc::from("");
        let (env, _) = build_env(w, pod, c, img, &svc, stand_in.clone())?;
        let hostname = env.iter().position(|(_, v)| Rc::ptr_eq(v, &stand_in));
        w.kubelet.env_template = Some(EnvTemplate {
            image: img.clone(),
            services: svc.clone(),
            env,
            hostname,
        });
    }
    let t = w.kubelet.env_template.as_ref().expect("made above");
    let mut env = t.env.clone();
    if let Some(i) = t.hostname {
        env[i].1 = hostname;
    }
    Ok((env, Vec::new()))
}

/// [`container_env`]'s list, made from the spec (`hostname`: the pod's name).
fn build_env(
    w: &World,
    pod: &Pod,
    c: &Container,
    img: &Image,
    svc: &[EnvPair],
    hostname: Rc<str>,
) -> Result<(Vec<EnvPair>, Vec<String>), String> {
    // Room for the image's, HOSTNAME, the services', the spec's and HOME.
    let room = img.env.len() + svc.len() + c.env.as_ref().map_or(0, Vec::len) + 2;
    let mut env: Vec<EnvPair> = Vec::with_capacity(room);
    let set = |env: &mut Vec<EnvPair>, k: Rc<str>, v: Rc<str>| match env
        .iter_mut()
        .find(|(ek, _)| *ek == k)
    {
        Some(e) => e.1 = v,
        None => env.push((k, v)),
    };
    // Image env first (PATH), then HOSTNAME, as the runtime orders it.
    let mut img_env = img.env.iter();
    if let Some((k, v)) = img_env.next() {
        set(&mut env, k.clone(), v.clone());
    }
    set(&mut env, "HOSTNAME".into(), hostname);
    for (k, v) in img_env {
        set(&mut env, k.clone(), v.clone());
    }
    let (resolved, warnings) = resolve_spec_env(w, pod, c, svc)?;
    for (k, v) in resolved {
        set(&mut env, k, v);
    }
    if !env.iter().any(|(k, _)| &**k == "HOME") {
        env.push(("HOME".into(), "/root".into()));
    }
    Ok((env, warnings))
}

/// `env` and `envFrom` of the spec plus service variables, by the config module's
/// `makeEnvironmentVariables`. Warnings (invalid envFrom keys) come back as event texts.
fn resolve_spec_env(
    w: &World,
    pod: &Pod,
    c: &Container,
    svc: &[EnvPair],
) -> Result<(Vec<EnvPair>, Vec<String>), String> {
    let alloc = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .and_then(|n| w.store.nodes.get(&crate::store::key("", n)))
        .and_then(|n| n.status.as_ref())
        .and_then(|s| s.allocatable.as_ref());
    let r = crate::config::resolve_env(pod, c, w, svc, alloc).map_err(|e| e.message())?;
    Ok((
        r.vars.into_iter().map(|v| (v.name, v.value)).collect(),
        r.invalid_names,
    ))
}

/// Advance every container of a running pod to now.
fn drive(w: &mut World, pod: &Pod, rt: &mut PodRuntime, wake: &mut Option<Millis>) {
    // Each pass may let the next init container start at the same instant.
    for _ in 0..(rt.ctrs.len() + 2) {
        let before = rt.initialized;
        if !rt.initialized {
            let mut all_done = true;
            for i in 0..rt.n_init {
                step_container(w, pod, rt, i, wake);
                let c = &rt.ctrs[i];
                match c.role {
                    Role::Sidecar => {
                        if !c.started {
                            all_done = false;
                            break;
                        }
                    }
                    _ => {
                        if !c.done {
                            all_done = false;
                            break;
                        }
                    }
                }
            }
            if rt.failed {
                return;
            }
            if all_done {
                rt.initialized = true;
                for c in rt.ctrs[rt.n_init..].iter_mut() {
                    if matches!(&c.state, CState::Waiting { reason, .. } if reason == "PodInitializing")
                    {
                        c.state = CState::Waiting {
                            reason: "PodInitializing".into(),
                            message: None,
                        };
                    }
                }
            }
        }
        if rt.initialized {
            for i in 0..rt.ctrs.len() {
                if rt.ctrs[i].role == Role::Init {
                    continue;
                }
                step_container(w, pod, rt, i, wake);
            }
            // A second look lets `tail -f` readers see what writers just wrote.
            for i in 0..rt.ctrs.len() {
                if matches!(rt.ctrs[i].proc, Some(Program::TailF { .. })) && rt.ctrs[i].is_running()
                {
                    step_container(w, pod, rt, i, wake);
                }
            }
        }
        if rt.initialized == before {
            break;
        }
    }
}

fn soonest(wake: &mut Option<Millis>, t: Millis) {
    *wake = Some(wake.map_or(t, |w| w.min(t)));
}

/// Take one container as far as it can go at this instant.
fn step_container(
    w: &mut World,
    pod: &Pod,
    rt: &mut PodRuntime,
    i: usize,
    wake: &mut Option<Millis>,
) {
    let now = w.now();
    for _ in 0..4 {
        let c = &rt.ctrs[i];
        if c.role == Role::Init && c.done {
            return;
        }
        match &c.state {
            CState::Running { .. } => {
                run_process(w, pod, rt, i, wake);
                if rt.ctrs[i].is_running() {
                    probes(w, pod, rt, i, wake);
                    return;
                }
            }
            CState::Terminated(t) => {
                let t = t.clone();
                if !after_exit(w, pod, rt, i, &t, wake) {
                    return;
                }
            }
            CState::Waiting { .. } => {
                if let Some(at) = rt.ctrs[i].restart_at {
                    if now < at {
                        soonest(wake, at);
                        return;
                    }
                }
                if !try_start(w, pod, rt, i, wake) {
                    return;
                }
            }
        }
    }
}

/// What to do with a container that has exited. Returns true if it should be looked at again
/// now (it is being restarted at once).
fn after_exit(
    w: &mut World,
    pod: &Pod,
    rt: &mut PodRuntime,
    i: usize,
    t: &Terminated,
    wake: &mut Option<Millis>,
) -> bool {
    let now = w.now();
    let policy = rt.policy;
    let c = &mut rt.ctrs[i];
    let restart = match c.role {
        Role::Sidecar => true,
        Role::Init => {
            if t.exit_code == 0 {
                c.done = true;
                return false;
            }
            if policy == "Never" {
                rt.failed = true;
                return false;
            }
            true
        }
        Role::App => match policy {
            "Never" => false,
            "OnFailure" => t.exit_code != 0,
            _ => true,
        },
    };
    if !restart {
        return false;
    }
    if c.restart_at.is_none() {
        // The first exit restarts after the relist; later ones wait out the back-off,
        // measured from the exit, which doubles each time up to five minutes.
        if t.finished.saturating_sub(c.backoff_at) > BACKOFF_RESET {
            c.backoff = 0;
        }
        c.backoff_at = now;
        if c.backoff == 0 {
            c.backoff = BACKOFF_INITIAL;
            c.restart_at = Some(t.finished + RELIST);
            c.crash_view_at = None;
        } else {
            let delay = c.backoff;
            c.restart_at = Some(t.finished + delay);
            c.crash_view_at = Some((t.finished + RELIST).min(t.finished + delay));
            c.backoff_shown = delay;
            c.backoff = (delay * 2).min(BACKOFF_MAX);
        }
    }
    let at = c.restart_at.unwrap_or(now);
    if now >= at {
        restart_now(rt, i, Some(t.clone()));
        return true;
    }
    if let Some(v) = c.crash_view_at {
        if now >= v {
            c.crash_view_at = None;
            let msg = format!(
                "back-off {} restarting failed container={} pod={}_{}({})",
                go_duration(c.backoff_shown),
                c.name,
                pod.metadata.name.as_deref().unwrap_or(""),
                pod.metadata.namespace.as_deref().unwrap_or("default"),
                rt.uid
            );
            c.last = Some(Box::new(t.clone()));
            c.state = CState::Waiting {
                reason: "CrashLoopBackOff".into(),
                message: Some(msg),
            };
            let fp = c.field_path();
            let m = format!(
                "Back-off restarting failed container {} in pod {}_{}({})",
                c.name,
                pod.metadata.name.as_deref().unwrap_or(""),
                pod.metadata.namespace.as_deref().unwrap_or("default"),
                rt.uid
            );
            event(w, pod, true, "BackOff", m, Some(fp));
        } else {
            soonest(wake, v);
        }
    }
    soonest(wake, at);
    false
}

/// A container whose image the pod now names differently (`kubectl set image pod/…`, `kubectl
/// edit`; the image is the one container field a pod may change): its hash changes, as the
/// kubelet's `computePodActions` sees it. A running container is stopped ("definition
/// changed") and, once it has exited, started again with the new image, counting a restart; one
/// between runs or that never ran (ImagePullBackOff) tries the new image at once, with no
/// back-off (the back-off is kept per container hash).
fn follow_image_changes(w: &mut World, pod: &Pod, rt: &mut PodRuntime, wake: &mut Option<Millis>) {
    let now = w.now();
    for i in 0..rt.ctrs.len() {
        let c = &rt.ctrs[i];
        // An init container that has finished is not run again.
        if c.role == Role::Init && c.done {
            continue;
        }
        let Some(want) = spec_container(pod, c).map(|s| s.image.as_deref().unwrap_or_default())
        else {
            continue;
        };
        // A stop under way finishes even if the image was changed back meanwhile. (Compared
        // borrowed: every sync of every pod comes here, and the image rarely changes.)
        if want == c.image && c.kill_at.is_none() {
            continue;
        }
        let want = want.to_string();
        if c.is_running() {
            let stops = c.proc.as_ref().is_some_and(|p| p.stops_on_signal());
            match c.kill_at {
                None => {
                    let grace = pod
                        .spec
                        .as_ref()
                        .and_then(|s| s.termination_grace_period_seconds)
                        .unwrap_or(30)
                        .max(0) as Millis;
                    let t = if stops { now + 200 } else { now + grace * 1000 };
                    let (fp, name) = (c.field_path(), c.name.clone());
                    event(
                        w,
                        pod,
                        false,
                        "Killing",
                        format!("Container {name} definition changed, will be restarted"),
                        Some(fp),
                    );
                    // Ready until it exits: the kubelet's worker for the pod waits in the
                    // kill, writing no status meanwhile.
                    rt.ctrs[i].kill_at = Some(t);
                    soonest(wake, t);
                    continue;
                }
                Some(t) if now < t => {
                    soonest(wake, t);
                    continue;
                }
                Some(_) => {}
            }
            let c = &mut rt.ctrs[i];
            let started = match c.state {
                CState::Running { started } => started,
                _ => now,
            };
            let exit = Terminated {
                exit_code: if stops { 0 } else { 137 },
                reason: if stops { "Completed" } else { "Error" }.into(),
                message: None,
                started,
                finished: now,
                container_id: c.container_id.clone(),
            };
            c.proc = None;
            take_image(c, want);
            restart_now(rt, i, Some(exit));
        } else {
            let c = &mut rt.ctrs[i];
            let ran = !c.container_id.is_empty();
            let last = match &c.state {
                CState::Terminated(t) => Some(t.clone()),
                _ => None,
            };
            take_image(c, want);
            if ran {
                restart_now(rt, i, last);
            } else {
                c.state = CState::Waiting {
                    reason: "ContainerCreating".into(),
                    message: None,
                };
            }
        }
        soonest(wake, now);
    }
}

/// A container's image as the spec now names it: pulled afresh, its back-offs forgotten.
fn take_image(c: &mut Ctr, image: String) {
    c.image = image;
    c.img = None;
    c.pull = Pull::None;
    c.pull_backoff = 0;
    c.pulled_msg = None;
    c.backoff = 0;
    c.restart_at = None;
    c.crash_view_at = None;
    c.kill_at = None;
}

/// Start the next run of a container: the old run becomes the last state.
fn restart_now(rt: &mut PodRuntime, i: usize, last: Option<Terminated>) {
    let c = &mut rt.ctrs[i];
    if let Some(t) = last {
        c.last = Some(Box::new(t));
    }
    c.state = CState::Waiting {
        reason: String::new(),
        message: None,
    };
    c.restart_at = None;
    c.crash_view_at = None;
    c.restarts += 1;
    if c.role == Role::Init {
        c.done = false;
    }
    c.prev_logs = Some(std::mem::take(&mut c.logs));
}

/// Go's `time.Duration` string for whole seconds/minutes (`10s`, `1m20s`, `5m0s`).
pub fn go_duration(ms: Millis) -> String {
    let s = ms / 1000;
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m{}s", s / 60, s % 60)
    } else {
        format!("{}h{}m{}s", s / 3600, s % 3600 / 60, s % 60)
    }
}

/// Pull the image if needed, resolve env, start the process. True if it started (and should
/// be stepped now).
fn try_start(
    w: &mut World,
    pod: &Pod,
    rt: &mut PodRuntime,
    i: usize,
    wake: &mut Option<Millis>,
) -> bool {
    let now = w.now();
    let Some(spec_c) = spec_container(pod, &rt.ctrs[i]) else {
        return false;
    };
    if rt.ctrs[i].restart_at.is_some() {
        // A crash-looping container whose back-off is over.
        restart_now(rt, i, None);
    }
    if !pull_image(w, pod, rt, i, spec_c, wake) {
        return false;
    }
    let fp = rt.ctrs[i].field_path();
    let img = rt.ctrs[i].img.clone().expect("image present");
    // --- env ---
    let mounts = match crate::config::container_mounts(pod, &spec_c, &*w) {
        Ok(m) => m,
        Err(e) => {
            let c = &mut rt.ctrs[i];
            let msg = e.event_message();
            if c.mount_error.as_deref() != Some(msg.as_str()) {
                event(w, pod, true, "FailedMount", msg.clone(), None);
                rt.ctrs[i].mount_error = Some(msg);
            }
            return false;
        }
    };
    rt.ctrs[i].mount_error = None;
    let env = match container_env(w, pod, &spec_c, &img) {
        Ok((e, warnings)) => {
            for msg in warnings {
                event(
                    w,
                    pod,
                    true,
                    "InvalidEnvironmentVariableNames",
                    msg,
                    Some(fp.clone()),
                );
            }
            e
        }
        Err(msg) => {
            let c = &mut rt.ctrs[i];
            c.state = CState::Waiting {
                reason: "CreateContainerConfigError".into(),
                message: Some(msg.clone()),
            };
            event(w, pod, true, "Failed", format!("Error: {msg}"), Some(fp));
            return false;
        }
    };
    // --- process ---
    let argv0 = command::effective(
        &img.entrypoint,
        &img.cmd,
        spec_c.command.as_deref(),
        spec_c.args.as_deref(),
    );
    let argv = command::expand_words(argv0, &env);
    let seq = w.rng().next_u64();
    let c = &mut rt.ctrs[i];
    c.argv = argv;
    c.execs = 0;
    c.env = env;
    c.projected_sub = mounts
        .files
        .iter()
        .filter(|f| f.sub_path)
        .map(|f| f.path.clone())
        .collect_set();
    // The files move into the container (a token and a CA bundle each time: not copied).
    c.projected = mounts
        .files
        .into_iter()
        .map(|f| (f.path, w.kubelet.share_file(f.data)))
        .collect_map();
    // This run's mount points (a restart would otherwise add them again each time).
    c.projected_dirs.clear();
    c.projected_dirs.extend(mounts.dirs);
    // `containerd://` and 64 hex digits, written directly (made on every start).
    let mut id = String::with_capacity(13 + 64);
    id.push_str("containerd://");
    for part in [
        seq,
        seq.rotate_left(17) ^ 0x5bd1_e995,
        seq.rotate_left(31) ^ 0x27d4_eb2f_1656_67c5,
        seq.rotate_right(7) ^ 0x9e37_79b9,
    ] {
        for shift in (0..16).rev() {
            id.push(char::from(
                b"0123456789abcdef"[(part >> (shift * 4)) as usize & 0xf],
            ));
        }
    }
    c.container_id = id;
    let page = index_page(&img.repo);
    let name = pod.metadata.name.as_deref().unwrap_or("");
    // Files nothing has written to yet stay implied (`start_files`) while they would be
    // exactly the start files.
    if c.fs.is_empty() && c.start_files.is_none_or(|p| p == page) {
        c.start_files = Some(page);
    } else {
        c.write_start_files(name);
        add_start_files(&mut c.fs, page, name);
    }
    event(
        w,
        pod,
        false,
        "Created",
        "Container created".into(),
        Some(fp.clone()),
    );
    // A server starts from its command line and environment alone: in a container whose
    // files would come back as they were (`files_untouched`), skip `with_cx`, but make the
    // draw it makes for the network, so the random sequence stays the same.
    let c = &rt.ctrs[i];
    let server = if c.files_untouched() {
        process::server_of(&c.argv, &c.env, &img)
    } else {
        None
    };
    let started = if let Some(s) = server {
        let _ = w.rng().next_u64();
        rt.ctrs[i].logs.server_started(&s, now);
        Ok(Program::Server(s))
    } else {
        let argv = rt.ctrs[i].argv.clone();
        with_cx(w, pod, rt, i, |cx, image| {
            process::start(&argv, cx, Some(image))
        })
    };
    match started {
        Ok(p) => {
            event(
                w,
                pod,
                false,
                "Started",
                "Container started".into(),
                Some(fp),
            );
            let c = &mut rt.ctrs[i];
            c.proc = Some(p);
            c.state = CState::Running { started: now };
            c.kill_at = None;
            let has_startup = spec_c.startup_probe.is_some();
            c.started = !has_startup;
            c.ready = spec_c.readiness_probe.is_none() && !has_startup && c.role != Role::Init;
            c.readiness = ProbeRun::default();
            c.liveness = ProbeRun::default();
            c.startup = ProbeRun::default();
            true
        }
        Err(msg) => {
            event(w, pod, true, "Failed", format!("Error: {msg}"), Some(fp));
            let c = &mut rt.ctrs[i];
            c.proc = None;
            c.state = CState::Terminated(Terminated {
                exit_code: 128,
                reason: "StartError".into(),
                message: Some(msg),
                started: 0,
                finished: now,
                container_id: c.container_id.clone(),
            });
            true
        }
    }
}

/// Go's rendering of a pull duration: `520ms`, `2.04s`.
fn go_ms(ms: Millis) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = format!("{}.{:03}", ms / 1000, ms % 1000);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}s")
}

/// Make the container's image present: pull it (taking time), or fail and back off as the
/// kubelet does. True once the image is there.
fn pull_image(
    w: &mut World,
    pod: &Pod,
    rt: &mut PodRuntime,
    i: usize,
    spec_c: &Container,
    wake: &mut Option<Millis>,
) -> bool {
    let now = w.now();
    // Present, or a pull under way: nothing to work out.
    match rt.ctrs[i].pull {
        Pull::Present => return true,
        Pull::Pulling { done_at, .. } if now < done_at => {
            soonest(wake, done_at);
            return false;
        }
        _ => {}
    }
    let image = rt.ctrs[i].image.clone();
    let fp = Some(rt.ctrs[i].field_path());
    let parsed = parsed_image(w, &image);
    let (reference, full) = match &*parsed {
        Ok((r, full)) => (r, full),
        Err(msg) => {
            let msg = msg.clone();
            let c = &mut rt.ctrs[i];
            if !matches!(&c.state, CState::Waiting { reason, .. } if reason == "InvalidImageName") {
                c.state = CState::Waiting {
                    reason: "InvalidImageName".into(),
                    message: Some(msg.clone()),
                };
                event(w, pod, true, "InspectFailed", msg, fp.clone());
                event(w, pod, true, "Failed", "Error: InvalidImageName".into(), fp);
            }
            return false;
        }
    };
    // Resolved only on the paths that need it (not while pulling or once present).
    let resolve = |w: &World| w.kubelet.catalog.resolve_shared(&image, &reference);
    let policy = spec_c.image_pull_policy.as_deref().unwrap_or(
        if reference.tag == "latest" && reference.digest.is_none() {
            "Always"
        } else {
            "IfNotPresent"
        },
    );

    match rt.ctrs[i].pull.clone() {
        Pull::Pulling { ok, .. } => {
            if ok {
                if let Some(msg) = rt.ctrs[i].pulled_msg.take() {
                    event(w, pod, false, "Pulled", msg, fp);
                }
                w.kubelet
                    .images
                    .entry(rt.node.clone())
                    .or_default()
                    .insert(full.clone());
                let found = resolve(w);
                let c = &mut rt.ctrs[i];
                c.pull = Pull::Present;
                c.img = found;
                c.pull_backoff = 0;
                return c.img.is_some();
            }
            let err = images::pull_error(&reference);
            event(
                w,
                pod,
                true,
                "Failed",
                format!("Failed to pull image \"{image}\": {err}"),
                fp.clone(),
            );
            event(w, pod, true, "Failed", "Error: ErrImagePull".into(), fp);
            let c = &mut rt.ctrs[i];
            c.pull_backoff = if c.pull_backoff == 0 {
                BACKOFF_INITIAL
            } else {
                (c.pull_backoff * 2).min(BACKOFF_MAX)
            };
            let until = now + c.pull_backoff;
            c.pull = Pull::BackOff {
                until,
                view_at: Some(now + RELIST),
                err: err.clone(),
            };
            c.state = CState::Waiting {
                reason: "ErrImagePull".into(),
                message: Some(err),
            };
            soonest(wake, now + RELIST);
            return false;
        }
        Pull::BackOff {
            until,
            view_at,
            err,
        } => {
            if now < until {
                if let Some(v) = view_at {
                    if now >= v {
                        event(
                            w,
                            pod,
                            false,
                            "BackOff",
                            format!("Back-off pulling image \"{image}\""),
                            fp.clone(),
                        );
                        event(w, pod, true, "Failed", "Error: ImagePullBackOff".into(), fp);
                        let c = &mut rt.ctrs[i];
                        c.state = CState::Waiting {
                            reason: "ImagePullBackOff".into(),
                            message: Some(format!(
                                "Back-off pulling image \"{image}\": ErrImagePull: {err}"
                            )),
                        };
                        c.pull = Pull::BackOff {
                            until,
                            view_at: None,
                            err,
                        };
                    } else {
                        soonest(wake, v);
                    }
                }
                soonest(wake, until);
                return false;
            }
        }
        // (Present returned above.)
        Pull::None | Pull::Present => {}
    }
    let present = w
        .kubelet
        .images
        .get(&rt.node)
        .is_some_and(|on_node| on_node.contains(full));
    if present && policy != "Always" {
        let msg = [
            "Container image \"",
            &image,
            "\" already present on machine and can be accessed by the pod",
        ]
        .concat();
        event(w, pod, false, "Pulled", msg, fp);
        let found = resolve(w);
        let c = &mut rt.ctrs[i];
        c.pull = Pull::Present;
        c.img = found;
        return c.img.is_some();
    }
    if policy == "Never" {
        let c = &mut rt.ctrs[i];
        let msg = format!("Container image \"{image}\" is not present with pull policy of Never");
        if !matches!(&c.state, CState::Waiting { reason, .. } if reason == "ErrImageNeverPull") {
            c.state = CState::Waiting {
                reason: "ErrImageNeverPull".into(),
                message: Some(msg.clone()),
            };
            event(w, pod, true, "ErrImageNeverPull", msg, fp.clone());
            event(
                w,
                pod,
                true,
                "Failed",
                "Error: ErrImageNeverPull".into(),
                fp,
            );
        }
        return false;
    }
    event(
        w,
        pod,
        false,
        "Pulling",
        ["Pulling image \"", &image, "\""].concat(),
        fp,
    );
    let found = resolve(w);
    let (ok, took) = match &found {
        Some(_) if present => (true, 400 + (w.rng().next_u32() % 400) as Millis),
        Some(_) => (true, 1500 + (w.rng().next_u32() % 2500) as Millis),
        None => (false, PULL_FAIL + (w.rng().next_u32() % 700) as Millis),
    };
    let c = &mut rt.ctrs[i];
    if let (true, Some(img)) = (ok, &found) {
        let d = go_ms(took);
        c.pulled_msg = Some(
            [
                "Successfully pulled image \"",
                &image,
                "\" in ",
                &d,
                " (",
                &d,
                " including waiting). Image size: ",
                &img.size.to_string(),
                " bytes.",
            ]
            .concat(),
        );
    }
    c.pull = Pull::Pulling {
        done_at: now + took,
        ok,
    };
    if let CState::Waiting { reason, .. } = &c.state {
        if reason.is_empty() || reason == "ImagePullBackOff" || reason == "ErrImagePull" {
            c.state = CState::Waiting {
                reason: if c.role == Role::App && rt.initialized {
                    "ContainerCreating".into()
                } else {
                    "PodInitializing".into()
                },
                message: None,
            };
        }
    }
    soonest(wake, now + took);
    false
}

/// Build the container's view of its files (own files + emptyDir volumes at their mount
/// points), run `f` with a process context, and put the files back.
pub(crate) fn with_cx<R>(
    w: &mut World,
    pod: &Pod,
    rt: &mut PodRuntime,
    i: usize,
    f: impl FnOnce(&mut ProcCx<'_>, &Image) -> R,
) -> R {
    let now = w.now();
    let stand_in = rt.ctrs[i].clone_shallow();
    let mut ctr = std::mem::replace(&mut rt.ctrs[i], stand_in);
    ctr.write_start_files(pod.metadata.name.as_deref().unwrap_or(""));
    // hostPath volumes are the node's directories: what other pods there wrote shows.
    let host_dirs: Vec<(&str, (String, String))> = if ctr.mounts.is_empty() {
        Vec::new()
    } else {
        pod.spec
            .iter()
            .flat_map(|s| s.volumes.iter().flatten())
            .filter_map(|v| Some((v.name.as_str(), v.host_path.as_ref()?)))
            .filter(|(name, _)| ctr.mounts.iter().any(|(_, v)| v == name))
            .map(|(name, h)| (name, (rt.node.clone(), h.path.clone())))
            .collect()
    };
    for (name, at) in &host_dirs {
        let files = w.kubelet.host_dirs.get(at).cloned().unwrap_or_default();
        rt.volumes.insert(name.to_string(), files);
    }
    let mut view = std::mem::take(&mut ctr.fs);
    // The kubelet's /etc/hosts and the runtime's /etc/resolv.conf, first needed now.
    if !view.contains_key(HOSTS_FILE) {
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        view.insert(HOSTS_FILE.into(), hosts_file(pod, ns, &rt.ip));
        if let Some(resolv) = resolv_conf(pod, ns) {
            view.insert(RESOLV_FILE.into(), resolv);
        }
    }
    for (mp, vol) in &ctr.mounts {
        if let Some(files) = rt.volumes.get(vol) {
            for (rel, data) in files {
                view.insert(
                    format!("{}/{}", mp.trim_end_matches('/'), rel),
                    data.clone(),
                );
            }
        }
    }
    for (p, d) in &ctr.projected {
        view.insert(p.clone(), d.bytes().into_owned());
    }
    let ns = pod
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let hostname = pod.metadata.name.clone().unwrap_or_default();
    let busybox;
    let img = match ctr.img.as_deref() {
        Some(img) => img,
        None => {
            busybox = w
                .kubelet
                .catalog
                .resolve(&images::parse_reference("busybox").expect("valid"))
                .expect("busybox");
            &busybox
        }
    };
    let access = std::cell::RefCell::new(Vec::new());
    let seed = w.rng().next_u64();
    let dirs: Vec<String> = ctr
        .mounts
        .iter()
        .map(|(mp, _)| mp.clone())
        .chain(ctr.projected_dirs.iter().cloned())
        .collect();
    // Process 1 as `ps` sees it: the command a script `exec`ed into, if it did.
    let exec_main = ctr.proc.as_ref().and_then(Program::exec_argv);
    // The API's volumes are read-only, and so is a file of theirs mounted by subPath.
    let read_only: std::borrow::Cow<[String]> = if ctr.projected_sub.is_empty() {
        std::borrow::Cow::Borrowed(&ctr.projected_dirs)
    } else {
        let files = ctr.projected_sub.iter().cloned();
        std::borrow::Cow::Owned(ctr.projected_dirs.iter().cloned().chain(files).collect())
    };
    let r = {
        let net = net::ClusterNet::new(w, &ns, rt, i, &access, seed);
        let mut cx = ProcCx {
            now,
            hostname: &hostname,
            namespace: &ns,
            pod_ip: &rt.ip,
            env: &ctr.env,
            fs: &mut view,
            out: ctr.logs.string_mut(),
            net: &net,
            userland: img.userland,
            image: img,
            dirs: &dirs,
            read_only: &read_only,
            stdin_open: ctr.stdin,
            main: exec_main.as_deref().unwrap_or(&ctr.argv),
            since: match ctr.state {
                CState::Running { started } => started,
                _ => now,
            },
        };
        f(&mut cx, img)
    };
    // Files back: those under a mount to the volume, the rest to the container.
    let mut own = Files::new();
    let mut vols: BTreeMap<String, Files> = ctr
        .mounts
        .iter()
        .map(|(_, v)| (v.clone(), Files::new()))
        .collect_map();
    'files: for (p, d) in view {
        if ctr.projected.contains_key(&p)
            || ctr
                .projected_dirs
                .iter()
                .any(|dir| strip_dir(&p, dir).is_some())
        {
            // configMap/secret volumes are read-only: what a process wrote there is dropped.
            continue;
        }
        for (mp, vol) in &ctr.mounts {
            if let Some(rel) = strip_dir(&p, mp) {
                vols.entry(vol.clone())
                    .or_default()
                    .insert(rel.to_string(), d);
                continue 'files;
            }
        }
        own.insert(p, d);
    }
    for (v, files) in vols {
        rt.volumes.insert(v, files);
    }
    for (name, at) in host_dirs {
        if let Some(files) = rt.volumes.get(name) {
            w.kubelet.host_dirs.insert(at, files.clone());
        }
    }
    ctr.fs = own;
    rt.ctrs[i] = ctr;
    net::deliver_access_logs(w, rt, access.into_inner());
    r
}

impl Ctr {
    /// With no emptyDir mounts and none of its own files shadowed by configMap, secret or
    /// token files, gathering the container's files for a process (`with_cx`) and putting
    /// them back changes nothing unless the process writes.
    fn files_untouched(&self) -> bool {
        let start = self
            .start_files
            .iter()
            .flat_map(|page| page.iter().map(|(path, _)| *path).chain([HOSTNAME_FILE]));
        self.mounts.is_empty()
            && self.fs.keys().map(String::as_str).chain(start).all(|p| {
                !self.projected.contains_key(p)
                    && !self
                        .projected_dirs
                        .iter()
                        .any(|d| strip_dir(p, d).is_some())
            })
    }

    /// A stand-in while the real record is out being run.
    fn clone_shallow(&self) -> Ctr {
        Ctr {
            logs: log::Log::default(),
            prev_logs: None,
            fs: Files::new(),
            proc: self.proc.clone(),
            ..self.clone_meta()
        }
    }
    fn clone_meta(&self) -> Ctr {
        Ctr {
            name: self.name.clone(),
            role: self.role,
            spec_idx: self.spec_idx,
            image: self.image.clone(),
            state: self.state.clone(),
            last: None,
            restarts: self.restarts,
            ready: self.ready,
            started: self.started,
            argv: Vec::new(),
            env: Vec::new(),
            logs: log::Log::default(),
            prev_logs: None,
            fs: Files::new(),
            start_files: None,
            mounts: self.mounts.clone(),
            projected: BTreeMap::new(),
            projected_dirs: Vec::new(),
            projected_sub: Default::default(),
            mount_error: None,
            container_id: String::new(),
            proc: None,
            img: self.img.clone(),
            pull: self.pull.clone(),
            pull_backoff: 0,
            backoff: 0,
            restart_at: None,
            crash_view_at: None,
            backoff_shown: 0,
            backoff_at: 0,
            pulled_msg: None,
            done: self.done,
            readiness: ProbeRun::default(),
            liveness: ProbeRun::default(),
            startup: ProbeRun::default(),
            kill_at: None,
            stdin: self.stdin,
            execs: self.execs,
        }
    }
}

/// Resume a running container's process to now.
fn run_process(w: &mut World, pod: &Pod, rt: &mut PodRuntime, i: usize, wake: &mut Option<Millis>) {
    let now = w.now();
    let Some(mut p) = rt.ctrs[i].proc.take() else {
        return;
    };
    let quiet = rt.ctrs[i].files_untouched();
    let poll = match p.resume_without_io(now) {
        // A process that needs nothing from its container at this step (a server, `sleep`)
        // and a container whose files would come back as they were: skip `with_cx`, but make
        // the draw it makes for the network, so the random sequence stays the same.
        Some(poll) if quiet => {
            let _ = w.rng().next_u64();
            poll
        }
        _ => with_cx(w, pod, rt, i, |cx, _| p.resume(cx)),
    };
    let c = &mut rt.ctrs[i];
    c.proc = Some(p);
    match poll {
        Poll::Exit(code) => {
            let started = match c.state {
                CState::Running { started } => started,
                _ => now,
            };
            c.proc = None;
            c.ready = false;
            c.started = false;
            c.state = CState::Terminated(Terminated {
                exit_code: code,
                reason: if code == 0 {
                    "Completed".into()
                } else {
                    "Error".into()
                },
                message: None,
                started,
                finished: now,
                container_id: c.container_id.clone(),
            });
        }
        Poll::Until(t) => soonest(wake, t),
        Poll::Idle => {}
    }
}

fn probe_port(p: &IntOrString, c: &Container) -> u16 {
    match p {
        IntOrString::Int(n) => *n as u16,
        IntOrString::String(name) => c
            .ports
            .iter()
            .flatten()
            .find(|cp| cp.name.as_deref() == Some(name))
            .map(|cp| cp.container_port as u16)
            .unwrap_or(0),
    }
}

/// Run one probe: Ok on success, Err(message) on failure.
fn run_probe(
    w: &mut World,
    pod: &Pod,
    rt: &mut PodRuntime,
    i: usize,
    probe: &Probe,
    sc: &Container,
) -> Result<(), String> {
    if let Some(e) = &probe.exec {
        let argv = e.command.clone().unwrap_or_default();
        if argv.is_empty() {
            return Err(String::new());
        }
        let (code, out) = with_cx(w, pod, rt, i, |cx, _| {
            let mut scratch = String::new();
            let saved = std::mem::take(cx.out);
            let r = match process::start(&argv, cx, None) {
                Ok(Program::Done(c)) => c,
                Ok(Program::Script(mut s)) => match s.resume(cx) {
                    Poll::Exit(c) => c,
                    _ => 0,
                },
                Ok(_) => 0,
                Err(m) => {
                    scratch.push_str(&m);
                    126
                }
            };
            scratch.push_str(cx.out);
            *cx.out = saved;
            (r, scratch)
        });
        return if code == 0 { Ok(()) } else { Err(out) };
    }
    let ip = rt.ip.clone();
    if let Some(h) = &probe.http_get {
        let port = probe_port(&h.port, sc);
        let path = h.path.clone().unwrap_or_else(|| "/".into());
        let seed = w.rng().next_u64();
        let access = std::cell::RefCell::new(Vec::new());
        let r = {
            let ns = pod.metadata.namespace.clone().unwrap_or_default();
            let net = net::ClusterNet::new(w, &ns, rt, usize::MAX, &access, seed);
            // The kubelet asks from the node's end of the pod network (its bridge, .1 of
            // the node's pod subnet), as kube-probe of its version.
            let gateway = match ip.rsplit_once('.') {
                Some((subnet, _)) => format!("{subnet}.1"),
                None => ip.clone(),
            };
            let minor = crate::scheduler::KUBELET_VERSION.trim_start_matches('v');
            let agent = format!(
                "kube-probe/{}",
                minor.rsplit_once('.').map_or(minor, |m| m.0)
            );
            let get = process::Get {
                addr: &ip,
                port,
                path: &path,
                client_ip: &gateway,
                agent: &agent,
                own: &Files::new(),
            };
            process::Net::http_get(&net, &get)
        };
        net::deliver_access_logs(w, rt, access.into_inner());
        return match r {
            Ok(r) if (200..400).contains(&r.status) => Ok(()),
            Ok(r) => Err(format!("HTTP probe failed with statuscode: {}", r.status)),
            Err(_) => Err(format!("Get \"http://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused")),
        };
    }
    if let Some(t) = &probe.tcp_socket {
        let port = probe_port(&t.port, sc);
        let open = rt.ctrs.iter().any(|c| c.server_on(port).is_some());
        return if open {
            Ok(())
        } else {
            Err(format!("dial tcp {ip}:{port}: connect: connection refused"))
        };
    }
    Ok(())
}

/// Readiness, liveness and startup probes that are due.
fn probes(w: &mut World, pod: &Pod, rt: &mut PodRuntime, i: usize, wake: &mut Option<Millis>) {
    let now = w.now();
    let Some(sc) = spec_container(pod, &rt.ctrs[i]) else {
        return;
    };
    if rt.ctrs[i].role == Role::Init {
        return;
    }
    let CState::Running { started } = rt.ctrs[i].state else {
        return;
    };
    // Most containers have no probes: the field path is written out only for one that has.
    if sc.startup_probe.is_none() && sc.liveness_probe.is_none() && sc.readiness_probe.is_none() {
        return;
    }
    let fp = rt.ctrs[i].field_path();
    for which in ["Startup", "Liveness", "Readiness"] {
        let probe = match which {
            "Startup" => sc.startup_probe.as_ref(),
            "Liveness" => sc.liveness_probe.as_ref(),
            _ => sc.readiness_probe.as_ref(),
        };
        let Some(probe) = probe else { continue };
        if which != "Startup" && !rt.ctrs[i].started {
            continue;
        }
        if which == "Startup" && rt.ctrs[i].started {
            continue;
        }
        let period = probe.period_seconds.unwrap_or(10).max(1) as Millis * 1000;
        let delay = probe.initial_delay_seconds.unwrap_or(0).max(0) as Millis * 1000;
        let fail_th = probe.failure_threshold.unwrap_or(3).max(1);
        let ok_th = probe.success_threshold.unwrap_or(1).max(1);
        let run = match which {
            "Startup" => &mut rt.ctrs[i].startup,
            "Liveness" => &mut rt.ctrs[i].liveness,
            _ => &mut rt.ctrs[i].readiness,
        };
        let due = *run
            .next_at
            .get_or_insert(started + delay.max(if which == "Readiness" { 0 } else { 0 }));
        if now < due {
            soonest(wake, due);
            continue;
        }
        let result = run_probe(w, pod, rt, i, probe, &sc);
        let run = match which {
            "Startup" => &mut rt.ctrs[i].startup,
            "Liveness" => &mut rt.ctrs[i].liveness,
            _ => &mut rt.ctrs[i].readiness,
        };
        run.next_at = Some(now + period);
        soonest(wake, now + period);
        match result {
            Ok(()) => {
                run.fails = 0;
                run.successes += 1;
                if run.successes >= ok_th {
                    match which {
                        "Startup" => {
                            rt.ctrs[i].started = true;
                            rt.ctrs[i].ready = sc.readiness_probe.is_none();
                            soonest(wake, now);
                        }
                        "Readiness" => rt.ctrs[i].ready = true,
                        _ => {}
                    }
                }
            }
            Err(msg) => {
                run.successes = 0;
                run.fails += 1;
                let fails = run.fails;
                let m = if msg.is_empty() {
                    format!("{which} probe failed: ")
                } else {
                    format!("{which} probe failed: {}", msg.trim_end_matches('\n'))
                };
                event(w, pod, true, "Unhealthy", m, Some(fp.clone()));
                if which == "Readiness" {
                    if fails >= fail_th {
                        rt.ctrs[i].ready = false;
                    }
                } else if fails >= fail_th {
                    let name = rt.ctrs[i].name.clone();
                    event(
                        w,
                        pod,
                        false,
                        "Killing",
                        format!(
                            "Container {name} failed {} probe, will be restarted",
                            which.to_ascii_lowercase()
                        ),
                        Some(fp.clone()),
                    );
                    let c = &mut rt.ctrs[i];
                    c.proc = None;
                    c.ready = false;
                    c.started = false;
                    c.state = CState::Terminated(Terminated {
                        exit_code: 137,
                        reason: "Error".into(),
                        message: None,
                        started,
                        finished: now,
                        container_id: c.container_id.clone(),
                    });
                    soonest(wake, now);
                    return;
                }
            }
        }
    }
}

/// Deletion: stop containers (servers at once, `sleep`-like PID 1s at the deadline). Returns
/// true when the pod can go.
fn terminate(w: &mut World, pod: &Pod, rt: &mut PodRuntime, wake: &mut Option<Millis>) -> bool {
    let now = w.now();
    let deadline = pod
        .metadata
        .deletion_timestamp
        .as_ref()
        .map(crate::time::millis_of)
        .unwrap_or(now);
    if let Stage::Terminating { gone_at } = rt.stage {
        if now >= gone_at {
            return true;
        }
        soonest(wake, gone_at);
        return false;
    }
    let mut gone_at = now + 300;
    // App containers first, then sidecars in reverse order.
    let mut order: Vec<usize> = (rt.n_init..rt.ctrs.len()).collect();
    order.extend((0..rt.n_init).rev());
    for i in order {
        let c = &rt.ctrs[i];
        if !c.is_running() {
            continue;
        }
        let fp = c.field_path();
        event(
            w,
            pod,
            false,
            "Killing",
            ["Stopping container ", &c.name].concat(),
            Some(fp),
        );
        let stops = c.proc.as_ref().is_some_and(|p| p.stops_on_signal());
        let t = if stops { now + 200 } else { deadline.max(now) };
        gone_at = gone_at.max(t + 100);
        let c = &mut rt.ctrs[i];
        c.ready = false;
        c.kill_at = Some(t);
    }
    if rt.stage != Stage::Running {
        gone_at = now + 100;
    }
    rt.stage = Stage::Terminating { gone_at };
    for c in rt.ctrs.iter_mut() {
        c.ready = false;
    }
    soonest(wake, gone_at);
    false
}

fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()).filter(|r: &String| !r.is_empty()),
            message,
        }),
        ..Default::default()
    }
}

/// When a terminated container's status says it started.
fn terminated_started_at(
    t: &Terminated,
) -> kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time {
    // containerd reports a process that never started as started at the Unix epoch.
    if t.reason == "StartError" {
        kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
            kubeplay_api::k8s_openapi::jiff::Timestamp::UNIX_EPOCH,
        )
    } else {
        k8s_time(t.started)
    }
}

fn terminated_state(t: &Terminated) -> ContainerState {
    ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: t.exit_code,
            reason: Some(t.reason.clone()),
            message: t.message.clone(),
            started_at: Some(terminated_started_at(t)),
            finished_at: Some(k8s_time(t.finished)),
            container_id: Some(t.container_id.clone()).filter(|s| !s.is_empty()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// `*have == terminated_state(t).terminated`, without building it.
fn terminated_matches(have: &Option<ContainerStateTerminated>, t: &Terminated) -> bool {
    let Some(ContainerStateTerminated {
        container_id,
        exit_code,
        finished_at,
        message,
        reason,
        signal,
        started_at,
    }) = have
    else {
        return false;
    };
    *exit_code == t.exit_code
        && reason.as_deref() == Some(t.reason.as_str())
        && *message == t.message
        && *started_at == Some(terminated_started_at(t))
        && *finished_at == Some(k8s_time(t.finished))
        && container_id.as_deref() == Some(t.container_id.as_str()).filter(|s| !s.is_empty())
        && signal.is_none()
}

/// Whether `have` is already the state `fill_container_status` would write for `c`.
fn state_matches(have: &Option<ContainerState>, c: &CState) -> bool {
    let Some(ContainerState {
        running,
        terminated,
        waiting,
    }) = have
    else {
        return false;
    };
    match c {
        CState::Waiting { reason, message } => {
            running.is_none()
                && terminated.is_none()
                && waiting.as_ref().is_some_and(|w| {
                    w.reason.as_deref() == Some(reason.as_str()).filter(|r| !r.is_empty())
                        && w.message == *message
                })
        }
        CState::Running { started } => {
            waiting.is_none()
                && terminated.is_none()
                && running
                    .as_ref()
                    .is_some_and(|r| r.started_at == Some(k8s_time(*started)))
        }
        CState::Terminated(t) => {
            waiting.is_none() && running.is_none() && terminated_matches(terminated, t)
        }
    }
}

/// Whether `have` is already the last state `fill_container_status` would write.
fn last_state_matches(have: &Option<ContainerState>, last: Option<&Terminated>) -> bool {
    let Some(ContainerState {
        running,
        terminated,
        waiting,
    }) = have
    else {
        return false;
    };
    running.is_none()
        && waiting.is_none()
        && match last {
            Some(t) => terminated_matches(terminated, t),
            None => terminated.is_none(),
        }
}

/// The image fields of a container status, from the kubelet's cache of them.
fn status_image(w: &mut World, image: &str) {
    if !w.kubelet.status_images.contains_key(image) {
        let full = images::parse_reference(image).ok().map(|r| r.full());
        w.kubelet
            .status_images
            .insert(image.to_string(), (full, images::image_id(image)));
    }
}

/// Make `cs` the status of container `c` (as the kubelet reports it), in place: each field
/// is compared first and written only when it differs, so that the strings of an unchanged
/// status are neither built nor freed. True if anything changed.
fn fill_container_status(
    cs: &mut ContainerStatus,
    c: &Ctr,
    images: &BTreeMap<String, (Option<String>, String)>,
) -> bool {
    fn set<T: PartialEq>(field: &mut T, value: T) -> bool {
        let changed = *field != value;
        if changed {
            *field = value;
        }
        changed
    }
    fn set_str(field: &mut String, value: &str) -> bool {
        let changed = field != value;
        if changed {
            value.clone_into(field);
        }
        changed
    }
    let ran = !c.container_id.is_empty();
    let (full, id) = images
        .get(&c.image)
        .map(|(f, i)| (f.as_deref(), i.as_str()))
        .unwrap_or((None, ""));
    let img_ref = match full {
        Some(full) if ran => full,
        _ => &c.image,
    };
    // Every field named, so that a field added to the type is a compile error here.
    let ContainerStatus {
        allocated_resources,
        allocated_resources_status,
        container_id,
        image,
        image_id,
        last_state,
        name,
        ready,
        resources,
        restart_count,
        started,
        state: cs_state,
        stop_signal,
        user,
        volume_mounts,
    } = cs;
    let mut changed = set_str(name, &c.name);
    changed |= set_str(image, img_ref);
    changed |= set_str(image_id, if ran { id } else { "" });
    changed |= match container_id {
        Some(have) if ran => set_str(have, &c.container_id),
        have => set(have, ran.then(|| c.container_id.clone())),
    };
    changed |= set(ready, c.ready);
    changed |= set(restart_count, c.restarts);
    changed |= set(started, Some(c.started && c.is_running()));
    // Built only when they differ (most writes change neither).
    if !state_matches(cs_state, &c.state) {
        *cs_state = Some(match &c.state {
            CState::Waiting { reason, message } => waiting(reason, message.clone()),
            CState::Running { started } => ContainerState {
                running: Some(ContainerStateRunning {
                    started_at: Some(k8s_time(*started)),
                }),
                ..Default::default()
            },
            CState::Terminated(t) => terminated_state(t),
        });
        changed = true;
    }
    if !last_state_matches(last_state, c.last.as_deref()) {
        *last_state = Some(c.last.as_deref().map(terminated_state).unwrap_or_default());
        changed = true;
    }
    changed |= set(allocated_resources, None);
    changed |= set(allocated_resources_status, None);
    changed |= set(resources, None);
    changed |= set(stop_signal, None);
    changed |= set(user, None);
    changed |= set(volume_mounts, None);
    changed
}

/// Make `field` the statuses of `ctrs`, in order, in place (`None` for no containers when
/// `none_if_empty`). True if anything changed.
fn fill_container_statuses<'a>(
    field: &mut Option<Vec<ContainerStatus>>,
    ctrs: impl ExactSizeIterator<Item = &'a Ctr>,
    images: &BTreeMap<String, (Option<String>, String)>,
    none_if_empty: bool,
) -> bool {
    if none_if_empty && ctrs.len() == 0 {
        return field.take().is_some();
    }
    let mut changed = field.is_none();
    let v = field.get_or_insert_with(Vec::new);
    if v.len() != ctrs.len() {
        // Room for exactly these (a `ContainerStatus` is large; growth would leave room for
        // four).
        v.reserve_exact(ctrs.len().saturating_sub(v.len()));
        v.resize_with(ctrs.len(), Default::default);
        changed = true;
    }
    for (cs, c) in v.iter_mut().zip(ctrs) {
        changed |= fill_container_status(cs, c, images);
    }
    changed
}

/// A pod condition the kubelet wants, before it is written.
struct Want<'m> {
    type_: &'static str,
    status: &'static str,
    reason: Option<&'static str>,
    message: Option<&'m str>,
}

impl<'m> Want<'m> {
    /// Reason and message show only on a False condition.
    fn of(
        type_: &'static str,
        ok: bool,
        reason: Option<&'static str>,
        message: Option<&'m str>,
    ) -> Want<'m> {
        Want {
            type_,
            status: if ok { "True" } else { "False" },
            reason: if ok { None } else { reason },
            message: if ok { None } else { message },
        }
    }

    /// As a new condition, transitioned now.
    fn condition(&self, now: Millis) -> PodCondition {
        PodCondition {
            type_: self.type_.into(),
            status: self.status.into(),
            reason: self.reason.map(Into::into),
            message: self.message.map(Into::into),
            last_transition_time: Some(k8s_time(now)),
            ..Default::default()
        }
    }

    /// Make `o` (a condition of this type) what `condition` would be, keeping its transition
    /// time while its status stays; true if anything changed.
    fn apply(&self, o: &mut PodCondition, now: Millis) -> bool {
        // Strings are written over in place (a condition flips between the same few words).
        fn set_opt(field: &mut Option<String>, value: Option<&str>) -> bool {
            if field.as_deref() == value {
                return false;
            }
            match (field.as_mut(), value) {
                (Some(f), Some(v)) => v.clone_into(f),
                (_, v) => *field = v.map(Into::into),
            }
            true
        }
        let mut changed = false;
        if o.status != self.status {
            self.status.clone_into(&mut o.status);
            o.last_transition_time = Some(k8s_time(now));
            changed = true;
        }
        changed |= set_opt(&mut o.reason, self.reason);
        changed |= set_opt(&mut o.message, self.message);
        if o.last_probe_time.is_some() || o.observed_generation.is_some() {
            o.last_probe_time = None;
            o.observed_generation = None;
            changed = true;
        }
        changed
    }
}

/// Write the pod's status from the runtime, if it changed.
fn write_status(w: &mut World, k: &Key, rt: &mut PodRuntime) {
    let now = w.now();
    let policy = rt.policy;
    let Some(live) = w.get::<Pod>(k) else {
        return;
    };
    let live_rv = live.metadata.resource_version.as_deref();
    // Computed once: the write below does not change the runtime.
    let inputs = status_digest(rt);
    // Nobody wrote the pod since this runtime's last status write: what that write made of
    // what a runtime never changes (the host IP and the start time, and the pod IP once the
    // sandbox was ready then) is still there, and is not read again below (each is a heap
    // string or a line of the pod rarely in cache by the next write).
    // The container statuses, likewise, when the containers' part of the digest is the same.
    let (unmoved, ip_written, ctrs_same) = match &rt.status_memo {
        Some((rv, digest, ip_written)) if rv.as_deref() == live_rv => {
            if *digest == inputs {
                return;
            }
            (true, *ip_written, digest.1 == inputs.1)
        }
        _ => (false, false, false),
    };
    let fill_ctrs = !(unmoved && ctrs_same);
    if fill_ctrs {
        for c in &rt.ctrs {
            status_image(w, &c.image);
        }
    }
    let sandbox_ready =
        rt.stage != Stage::Sandbox { ready_at: 0 } && !matches!(rt.stage, Stage::Sandbox { .. });
    let apps = &rt.ctrs[rt.n_init..];
    let sidecars = rt.ctrs[..rt.n_init]
        .iter()
        .filter(|c| c.role == Role::Sidecar);
    // Phase.
    let all_terminated = apps.iter().all(|c| {
        matches!(c.state, CState::Terminated(_))
            && c.restart_at.is_none()
            && !will_restart(c, policy)
    });
    let phase = if rt.failed {
        "Failed"
    } else if !rt.initialized {
        "Pending"
    } else if !apps.is_empty() && all_terminated {
        if apps
            .iter()
            .all(|c| matches!(&c.state, CState::Terminated(t) if t.exit_code == 0))
        {
            "Succeeded"
        } else {
            "Failed"
        }
    } else if apps
        .iter()
        .any(|c| c.is_running() || c.restarts > 0 || matches!(c.state, CState::Terminated(_)))
    {
        "Running"
    } else {
        "Pending"
    };
    let mut unready = apps.iter().chain(sidecars).filter(|c| !c.ready).peekable();
    let all_ready = unready.peek().is_none();
    let incomplete = rt.ctrs[..rt.n_init].iter().filter(|c| {
        if c.role == Role::Init {
            !c.done
        } else {
            !c.started && !rt.initialized
        }
    });
    // `<head>[a b c]`, the names space-separated.
    fn names_message<'c>(head: &str, names: impl Iterator<Item = &'c Ctr>) -> String {
        let mut m = String::with_capacity(head.len() + 16);
        m.push_str(head);
        m.push('[');
        for (i, c) in names.enumerate() {
            if i > 0 {
                m.push(' ');
            }
            m.push_str(&c.name);
        }
        m.push(']');
        m
    }
    let done_phase = matches!(phase, "Succeeded" | "Failed");
    let ready_reason = if done_phase {
        Some("PodCompleted")
    } else {
        Some("ContainersNotReady")
    };
    let ready = all_ready && !done_phase && rt.initialized;
    // A condition's message shows only while it is False: written out only then.
    let ready_msg =
        (!ready && !done_phase).then(|| names_message("containers with unready status: ", unready));
    let init_msg =
        (!rt.initialized).then(|| names_message("containers with incomplete status: ", incomplete));
    let mut conds = [
        Want::of(
            "PodReadyToStartContainers",
            sandbox_ready && !done_phase || sandbox_ready && phase == "Running",
            None,
            None,
        ),
        Want::of(
            "Initialized",
            rt.initialized,
            Some("ContainersNotInitialized"),
            init_msg.as_deref(),
        ),
        Want::of("Ready", ready, ready_reason, ready_msg.as_deref()),
        Want::of("ContainersReady", ready, ready_reason, ready_msg.as_deref()),
    ];
    if done_phase {
        conds[0].status = "False";
        if rt.initialized {
            conds[1].reason = None;
        }
    }
    let inits = &rt.ctrs[..rt.n_init];
    // The API server's own order is by name (a copy sorted only when out of order).
    let sorted = !fill_ctrs || apps.windows(2).all(|w| w[0].name <= w[1].name);
    let mut by_name: Vec<&Ctr> = Vec::new();
    if !sorted {
        by_name.extend(apps);
        kubeplay_sort::sort_by(&mut by_name, |a, b| a.name.cmp(&b.name));
    }
    // Out of the kubelet while the pod is written (put back below).
    let images = std::mem::take(&mut w.kubelet.status_images);
    let (ip, host_ip) = (&rt.ip, &rt.host_ip);
    let started_at = rt.started_at;
    w.kubelet_status_write = true;
    w.mutate::<Pod>(k, |p| {
        let st = p.status.get_or_insert_with(Default::default);
        // The kubelet's fields replaced in place (each compared first, so that an unchanged
        // status is no write); the rest of the status is left as it is.
        let mut changed = false;
        fn set<T: PartialEq>(field: &mut T, value: T, changed: &mut bool) {
            if *field != value {
                *field = value;
                *changed = true;
            }
        }
        // The conditions become these four (a condition keeps its transition time while its
        // status stays), then PodScheduled if the pod has it. When the pod already has
        // exactly that list, it is updated in place: most writes change one condition.
        let in_place = st.conditions.as_mut().filter(|v| {
            let n = conds.len();
            (v.len() == n || v.len() == n + 1 && v[n].type_ == "PodScheduled")
                && v.iter().zip(&conds).all(|(o, c)| o.type_ == c.type_)
        });
        if let Some(v) = in_place {
            for (o, c) in v.iter_mut().zip(&conds) {
                changed |= c.apply(o, now);
            }
        } else {
            let scheduled = st
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == "PodScheduled")
                .cloned();
            let mut new_conds = Vec::with_capacity(conds.len() + 1);
            for c in &conds {
                let mut c = c.condition(now);
                if let Some(o) = st.conditions.iter().flatten().find(|o| o.type_ == c.type_) {
                    if o.status == c.status {
                        c.last_transition_time = o.last_transition_time.clone();
                    }
                }
                new_conds.push(c);
            }
            new_conds.extend(scheduled);
            set(&mut st.conditions, Some(new_conds), &mut changed);
        }
        if st.phase.as_deref() != Some(phase) {
            st.phase = Some(phase.into());
            changed = true;
        }
        // An address and its one-item list (hostIP and hostIPs, podIP and podIPs), each
        // replaced only when it differs.
        fn set_ip<T>(
            one: &mut Option<String>,
            list: &mut Option<Vec<T>>,
            ip: &str,
            ip_of: fn(&T) -> &str,
            make: fn(String) -> T,
        ) -> bool {
            let mut changed = false;
            if one.as_deref() != Some(ip) {
                *one = Some(ip.to_string());
                changed = true;
            }
            if !list
                .as_ref()
                .is_some_and(|v| v.len() == 1 && ip_of(&v[0]) == ip)
            {
                *list = Some(vec![make(ip.to_string())]);
                changed = true;
            }
            changed
        }
        if !unmoved {
            use kubeplay_api::k8s_openapi::api::core::v1::HostIP;
            changed |= set_ip(
                &mut st.host_ip,
                &mut st.host_ips,
                host_ip,
                |h: &HostIP| &h.ip,
                |ip| HostIP { ip },
            );
            set(&mut st.start_time, Some(k8s_time(started_at)), &mut changed);
        }
        if sandbox_ready && !(unmoved && ip_written) {
            changed |= set_ip(
                &mut st.pod_ip,
                &mut st.pod_ips,
                ip,
                |p: &PodIP| &p.ip,
                |ip| PodIP { ip },
            );
        }
        if !fill_ctrs {
            return changed;
        }
        changed |= if sorted {
            fill_container_statuses(&mut st.container_statuses, apps.iter(), &images, false)
        } else {
            fill_container_statuses(
                &mut st.container_statuses,
                by_name.iter().copied(),
                &images,
                false,
            )
        };
        changed |=
            fill_container_statuses(&mut st.init_container_statuses, inits.iter(), &images, true);
        changed
    });
    w.kubelet_status_write = false;
    w.kubelet.status_images = images;
    let live_rv = w
        .get::<Pod>(k)
        .and_then(|p| p.metadata.resource_version.as_deref());
    rt.status_memo = Some((live_rv.map(crate::key::Name::new), inputs, sandbox_ready));
}

fn will_restart(c: &Ctr, policy: &str) -> bool {
    match &c.state {
        CState::Terminated(t) => match policy {
            "Never" => false,
            "OnFailure" => t.exit_code != 0,
            _ => true,
        },
        _ => true,
    }
}

/// Mark a pod for deletion; the kubelet finishes it. `--force --grace-period=0` removes it now.
pub(crate) fn delete_pod(w: &mut World, k: &Key, opts: DeleteOptions) {
    let now = w.now();
    let Some(pod) = w.get::<Pod>(k) else { return };
    let grace = opts
        .grace_period
        .or(pod
            .spec
            .as_ref()
            .and_then(|s| s.termination_grace_period_seconds))
        .unwrap_or(30)
        .max(0);
    let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    let unscheduled = node.is_none();
    let done = crate::controllers::is_terminal(pod);
    if (opts.force && grace == 0) || unscheduled || done {
        if let Some(node) = node {
            w.scheduler.unbind(&node);
        }
        if let Some(rt) = w.kubelet.pods.remove(k) {
            w.kubelet.by_ip.remove(&rt.ip);
        }
        w.remove::<Pod>(k);
        return;
    }
    if pod.metadata.deletion_timestamp.is_some() {
        return;
    }
    w.mutate::<Pod>(k, |p| {
        p.metadata.deletion_timestamp = Some(k8s_time(now + grace as Millis * 1000));
        p.metadata.deletion_grace_period_seconds = Some(grace);
        true
    });
}

/// On the resync after a mounted ConfigMap/Secret changed, running containers see the new
/// files (`config::refresh_projected`: not `subPath` ones; env never changes).
fn resync_volumes(w: &World, pod: &Pod, rt: &mut PodRuntime, wake: &mut Option<Millis>) {
    let Some(at) = rt.volume_sync_at else { return };
    if w.now() < at {
        *wake = Some(wake.map_or(at, |x| x.min(at)));
        return;
    }
    rt.volume_sync_at = None;
    for c in rt.ctrs.iter_mut().filter(|c| !c.container_id.is_empty()) {
        let Some(spec_c) = spec_container(pod, c) else {
            continue;
        };
        // A source that is gone now leaves the last files in place, as the kubelet does.
        if let Ok(m) = crate::config::container_mounts(pod, spec_c, w) {
            c.projected = crate::config::refresh_projected(&c.projected, &c.projected_sub, &m);
        }
    }
}

/// A ConfigMap, Secret or Service changed: pods in its namespace waiting on config get
/// another look; running pods that mount it refresh their volumes on their next resync.
pub(crate) fn config_changed(w: &mut World, kind: Kind, k: &Key) {
    let now = w.now();
    let mounting: Vec<(Key, Millis)> = w
        .kubelet
        .pods
        .in_namespace(&k.0)
        .into_iter()
        .filter(|(pk, rt)| {
            rt.stage == Stage::Running
                && w.store.get::<Pod>(pk).is_some_and(|p| {
                    p.spec
                        .iter()
                        .flat_map(|s| s.volumes.iter().flatten())
                        .any(|v| match kind {
                            Kind::ConfigMap => v.config_map.as_ref().is_some_and(|c| c.name == k.1),
                            Kind::Secret => v
                                .secret
                                .as_ref()
                                .is_some_and(|s| s.secret_name.as_deref() == Some(k.1.as_str())),
                            _ => false,
                        })
                })
        })
        .map(|(pk, rt)| {
            (
                pk.clone(),
                crate::config::next_volume_sync(rt.started_at, now),
            )
        })
        .collect();
    for (pk, at) in mounting {
        if let Some(rt) = w.kubelet.pods.get_mut(&pk) {
            if rt.volume_sync_at.is_none_or(|t| t > at) {
                rt.volume_sync_at = Some(at);
            }
        }
        w.enqueue(Task::Kubelet(pk), at);
    }
    let keys: Vec<Key> = w
        .kubelet
        .pods
        .in_namespace(&k.0)
        .into_iter()
        .filter(|(_, rt)| {
            rt.ctrs.iter().any(|c| {
                c.mount_error.is_some()
                    || matches!(&c.state, CState::Waiting { reason, .. } if reason == "CreateContainerConfigError")
            })
        })
        .map(|(pk, _)| pk.clone())
        .collect();
    for pk in keys {
        w.enqueue_now(Task::Kubelet(pk));
    }
}

/// The pod runtime for `describe`, `logs` and `exec`.
impl World {
    pub fn pod_runtime(&self, ns: &str, name: &str) -> Option<&PodRuntime> {
        self.kubelet.pods.get(&crate::store::key(ns, name))
    }

    pub fn image_catalog(&self) -> &images::Catalog {
        &self.kubelet.catalog
    }

    pub fn image_catalog_mut(&mut self) -> &mut images::Catalog {
        &mut self.kubelet.catalog
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(d: &FileData) -> &Rc<[u8]> {
        match d {
            FileData::Bytes(b) => b,
            FileData::Token(_) => panic!("bytes expected"),
        }
    }

    /// Equal contents come back as one copy; contents nobody holds go once the table has
    /// doubled, and those still held stay shared.
    #[test]
    fn mounted_contents_are_kept_once() {
        let mut k = Kubelet::default();
        let a = k.share_file(FileData::from(b"-----BEGIN CERTIFICATE-----".to_vec()));
        let b = k.share_file(FileData::from(b"-----BEGIN CERTIFICATE-----".to_vec()));
        assert!(Rc::ptr_eq(bytes(&a), bytes(&b)));
        for i in 0..1000 {
            k.share_file(FileData::from(format!("file {i}").into_bytes()));
        }
        assert!(k.files.len() < 200, "{} kept", k.files.len());
        let c = k.share_file(FileData::from(b"-----BEGIN CERTIFICATE-----".to_vec()));
        assert!(Rc::ptr_eq(bytes(&a), bytes(&c)));
        assert_eq!(&**bytes(&c), b"-----BEGIN CERTIFICATE-----");
    }

    /// Containers without env or envFrom share one list made for their image and service
    /// variables, each with its own HOSTNAME; the list is what the spec's own variables are
    /// added to, and a new Service makes a new list.
    /// Create the pod `name`, one nginx container with `extra` lines of spec, and let a
    /// minute pass.
    fn start(w: &mut World, name: &str, extra: &str) {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n{extra}"
        );
        let docs = kubeplay_api::decode::parse_documents(&text).expect("yaml");
        let pod = kubeplay_api::decode::decode(&docs[0]).expect("pod");
        w.create(pod).expect("created");
        let until = w.now() + 60_000;
        w.run_until(until);
    }

    #[test]
    fn plain_containers_share_one_environment_but_their_hostname() {
        let mut w = World::new(1);
        let env = |w: &World, pod: &str| {
            w.pod_runtime("default", pod).expect("running").ctrs[0]
                .env
                .clone()
        };
        start(&mut w, "a", "");
        start(&mut w, "bb", "    env: []\n");
        start(&mut w, "c", "    env:\n    - name: X\n      value: y\n");
        let (a, b, c) = (env(&w, "a"), env(&w, "bb"), env(&w, "c"));
        let host = |e: &[EnvPair]| {
            e.iter()
                .find(|(k, _)| &**k == "HOSTNAME")
                .map(|(_, v)| v.to_string())
        };
        assert_eq!(host(&a).as_deref(), Some("a"));
        assert_eq!(host(&b).as_deref(), Some("bb"));
        assert_eq!(host(&c).as_deref(), Some("c"));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b).filter(|(x, _)| &*x.0 != "HOSTNAME") {
            assert!(Rc::ptr_eq(&x.1, &y.1), "{} not shared", x.0);
        }
        // The spec's variable comes before the service variables, as it always has.
        let without = |e: &[EnvPair], skip: &str| -> Vec<(String, String)> {
            e.iter()
                .filter(|(k, _)| &**k != skip && &**k != "HOSTNAME")
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(without(&a, ""), without(&c, "X"));
        assert!(c.iter().any(|(k, v)| &**k == "X" && &**v == "y"));
        assert!(a.iter().any(|(k, _)| &**k == "KUBERNETES_SERVICE_HOST"));
        // A Service later: the next plain container sees its variables.
        let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n";
        let docs = kubeplay_api::decode::parse_documents(svc).expect("yaml");
        w.create(kubeplay_api::decode::decode(&docs[0]).expect("svc"))
            .expect("created");
        start(&mut w, "d", "");
        let d = env(&w, "d");
        assert!(d.iter().any(|(k, _)| &**k == "WEB_SERVICE_HOST"));
        assert!(!a.iter().any(|(k, _)| &**k == "WEB_SERVICE_HOST"));
        assert_eq!(host(&d).as_deref(), Some("d"));
    }

    /// The pods of a namespace mount one copy of the token volume's CA bundle and namespace
    /// file, with what `kube-root-ca.crt` holds; once that ConfigMap is written again, pods
    /// started later mount what it holds then, and each pod has its own token.
    #[test]
    fn token_volume_files_are_shared_while_the_ca_stays() {
        use crate::serviceaccount::{ROOT_CA_CONFIGMAP, TOKEN_MOUNT_PATH};
        use kubeplay_api::k8s_openapi::api::core::v1::ConfigMap;
        let mut w = World::new(1);
        let file = |w: &World, pod: &str, f: &str| {
            let rt = w.pod_runtime("default", pod).expect("running");
            rt.ctrs[0].projected[&format!("{TOKEN_MOUNT_PATH}/{f}")].clone()
        };
        let ca_key = crate::store::key("default", ROOT_CA_CONFIGMAP);
        let ca_data = |w: &World| {
            let cm = w.get::<ConfigMap>(&ca_key).expect("kube-root-ca.crt");
            cm.data.as_ref().expect("data")["ca.crt"].clone()
        };
        start(&mut w, "a", "");
        start(&mut w, "b", "");
        let (ca_a, ca_b) = (file(&w, "a", "ca.crt"), file(&w, "b", "ca.crt"));
        assert!(Rc::ptr_eq(bytes(&ca_a), bytes(&ca_b)));
        assert_eq!(&**bytes(&ca_a), ca_data(&w).as_bytes());
        assert!(Rc::ptr_eq(
            bytes(&file(&w, "a", "namespace")),
            bytes(&file(&w, "b", "namespace"))
        ));
        assert_eq!(&**bytes(&file(&w, "b", "namespace")), b"default");
        assert_ne!(file(&w, "a", "token"), file(&w, "b", "token"));
        // Written (and put back by its controller): a new resourceVersion.
        w.mutate::<ConfigMap>(&ca_key, |cm| {
            cm.data
                .get_or_insert_with(Default::default)
                .insert("ca.crt".into(), "x".into());
            true
        });
        w.settle();
        start(&mut w, "c", "");
        let ca_c = file(&w, "c", "ca.crt");
        assert!(!Rc::ptr_eq(bytes(&ca_a), bytes(&ca_c)));
        assert_eq!(&**bytes(&ca_c), ca_data(&w).as_bytes());
    }
}

//! The cluster network as containers see it: cluster DNS for Services, Service ClusterIPs
//! spread over ready endpoints (as kube-proxy does), pod IPs, and localhost within a pod.

use super::process::Get;
use super::{PodRuntime, Role};
use crate::store::Key;
use crate::World;
use kubeplay_api::k8s_openapi::api::core::v1::{Endpoints, Service};
use kubeplay_api::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::cell::{Cell, RefCell};

/// A line a server logs for a request it answered: (pod, or `None` for the calling pod;
/// container index; text).
pub type AccessLog = (Option<Key>, usize, String);

pub struct ClusterNet<'a> {
    w: &'a World,
    ns: &'a str,
    /// The calling pod (it is out of the kubelet's table while it runs).
    me: &'a PodRuntime,
    /// The calling container (its record is a stand-in while it runs, its files lent to
    /// the process: `http_get`'s `own`).
    me_ctr: usize,
    access: &'a RefCell<Vec<AccessLog>>,
    rng: Cell<u64>,
}

impl<'a> ClusterNet<'a> {
    pub fn new(
        w: &'a World,
        ns: &'a str,
        me: &'a PodRuntime,
        me_ctr: usize,
        access: &'a RefCell<Vec<AccessLog>>,
        seed: u64,
    ) -> ClusterNet<'a> {
        ClusterNet {
            w,
            ns,
            me,
            me_ctr,
            access,
            rng: Cell::new(seed),
        }
    }

    fn next(&self) -> u64 {
        // splitmix64
        let mut z = self.rng.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.rng.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn service_by_ip(&self, ip: &str) -> Option<&'a Service> {
        self.w
            .store
            .services
            .values()
            .find(|s| s.spec.as_ref().and_then(|sp| sp.cluster_ip.as_deref()) == Some(ip))
    }

    /// A pod's server on a port: ask the pod at `ip` for what `get` asks.
    fn pod_http(
        &self,
        ip: &str,
        port: u16,
        get: &Get<'_>,
    ) -> Result<super::process::Reply, super::process::NetError> {
        let (path, own) = (get.path, get.own);
        let (rt, key): (&PodRuntime, Option<Key>) =
            if ip == self.me.ip || ip == "127.0.0.1" || ip == "localhost" {
                (self.me, None)
            } else {
                match self
                    .w
                    .kubelet
                    .by_ip
                    .get(ip)
                    .and_then(|k| Some((self.w.kubelet.pods.get(k)?, k)))
                {
                    Some((rt, k)) => (rt, Some(k.clone())),
                    None => return Err(super::process::NetError::Timeout),
                }
            };
        for (i, c) in rt.ctrs.iter().enumerate() {
            if c.role == Role::Init && !c.is_running() {
                continue;
            }
            let Some(server) = c.server_on(port) else {
                continue;
            };
            let hostname = self.pod_name(rt, key.as_ref());
            // A request to the pod itself comes from the loopback address: IPv6's, for a
            // curl of `localhost` (it tries ::1 first) at an nginx whose entrypoint made it
            // listen on [::]:80 too.
            let client = match (&key, server) {
                (Some(_), _) => get.client_ip,
                (None, super::process::ServerKind::Nginx { entrypoint: true })
                    if get.addr == "localhost" && get.agent.starts_with("curl/") =>
                {
                    "::1"
                }
                (None, _) if ip != self.me.ip => "127.0.0.1",
                (None, _) => get.client_ip,
            };
            let read = |p: &str| {
                if key.is_none() && i == self.me_ctr {
                    own.get(p).cloned()
                } else {
                    rt.read_file(i, p)
                }
            };
            return match server.respond(path, &hostname, &read) {
                Some(reply) => {
                    let line = server.access_log(
                        self.w.now(),
                        client,
                        get.agent,
                        path,
                        reply.status,
                        reply.body.len(),
                    );
                    if !line.is_empty() {
                        self.access.borrow_mut().push((key.clone(), i, line));
                    }
                    Ok(reply)
                }
                // A TCP server spoken to in HTTP hangs up.
                None => Err(super::process::NetError::Refused),
            };
        }
        Err(super::process::NetError::Refused)
    }

    fn pod_name(&self, rt: &PodRuntime, key: Option<&Key>) -> String {
        match key {
            Some(k) => k.1.to_string(),
            None => self
                .w
                .kubelet
                .by_ip
                .get(&rt.ip)
                .map(|k| k.1.to_string())
                .or_else(|| {
                    self.w
                        .store
                        .pods
                        .iter()
                        .find(|(_, p)| p.metadata.uid.as_deref() == Some(&rt.uid))
                        .map(|(k, _)| k.1.to_string())
                })
                .unwrap_or_default(),
        }
    }

    /// The ready endpoint (ip, port) a connection to a Service port lands on.
    fn pick_endpoint(&self, svc: &Service, port: u16) -> Option<(String, u16)> {
        let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
        let name = svc.metadata.name.as_deref().unwrap_or("");
        let sp = svc
            .spec
            .as_ref()?
            .ports
            .as_ref()?
            .iter()
            .find(|p| p.port as u16 == port)?;
        let ep = self
            .w
            .store
            .get::<Endpoints>(&crate::store::key(ns, name))?;
        let mut choices = Vec::new();
        for sub in ep.subsets.iter().flatten() {
            let target = sub
                .ports
                .iter()
                .flatten()
                .find(|p| p.name == sp.name || sub.ports.as_ref().is_some_and(|v| v.len() == 1))
                .map(|p| p.port as u16);
            let Some(target) = target else { continue };
            for a in sub.addresses.iter().flatten() {
                choices.push((a.ip.clone(), target));
            }
        }
        if choices.is_empty() {
            return None;
        }
        let i = (self.next() % choices.len() as u64) as usize;
        Some(choices.swap_remove(i))
    }
}

fn target_port(p: &IntOrString) -> Option<u16> {
    match p {
        IntOrString::Int(n) => Some(*n as u16),
        IntOrString::String(_) => None,
    }
}

impl super::process::Net for ClusterNet<'_> {
    fn resolve(&self, name: &str) -> Option<(String, String)> {
        let name = name.trim_end_matches('.');
        let searches = [
            format!("{}.svc.cluster.local", self.ns),
            "svc.cluster.local".into(),
            "cluster.local".into(),
        ];
        let mut candidates: Vec<String> = searches.iter().map(|s| format!("{name}.{s}")).collect();
        candidates.push(name.to_string());
        for fqdn in candidates {
            let Some(rest) = fqdn.strip_suffix(".svc.cluster.local") else {
                continue;
            };
            let Some((svc, ns)) = rest.split_once('.') else {
                continue;
            };
            if ns.contains('.') {
                continue;
            }
            let Some(s) = self.w.store.get::<Service>(&crate::store::key(ns, svc)) else {
                continue;
            };
            let ip = s
                .spec
                .as_ref()
                .and_then(|sp| sp.cluster_ip.clone())
                .unwrap_or_default();
            if ip == "None" || ip.is_empty() {
                // Headless: the ready pods' addresses.
                let ep = self.w.store.get::<Endpoints>(&crate::store::key(ns, svc))?;
                let a = ep
                    .subsets
                    .iter()
                    .flatten()
                    .flat_map(|s| s.addresses.iter().flatten())
                    .next()?;
                return Some((fqdn, a.ip.clone()));
            }
            return Some((fqdn, ip));
        }
        None
    }

    fn http_get(&self, get: &Get<'_>) -> Result<super::process::Reply, super::process::NetError> {
        let port = get.port;
        let addr = if get.addr == "localhost" {
            "127.0.0.1"
        } else {
            get.addr
        };
        if let Some(svc) = self.service_by_ip(addr) {
            let Some(sp) = svc
                .spec
                .as_ref()
                .and_then(|s| s.ports.as_ref())
                .and_then(|ps| ps.iter().find(|p| p.port as u16 == port))
            else {
                return Err(super::process::NetError::Timeout);
            };
            let _ = sp.target_port.as_ref().and_then(target_port);
            return match self.pick_endpoint(svc, port) {
                Some((ip, tp)) => self.pod_http(&ip, tp, get),
                None => Err(super::process::NetError::Refused),
            };
        }
        self.pod_http(addr, port, get)
    }

    fn tcp_open(&self, addr: &str, port: u16) -> bool {
        let addr = if addr == "localhost" {
            "127.0.0.1"
        } else {
            addr
        };
        let (ip, port) = match self.service_by_ip(addr) {
            Some(svc) => match self.pick_endpoint(svc, port) {
                Some(x) => x,
                None => return false,
            },
            None => (addr.to_string(), port),
        };
        let rt = if ip == self.me.ip || ip == "127.0.0.1" {
            Some(self.me)
        } else {
            self.w
                .kubelet
                .by_ip
                .get(&ip)
                .and_then(|k| self.w.kubelet.pods.get(k))
        };
        rt.is_some_and(|rt| rt.ctrs.iter().any(|c| c.server_on(port).is_some()))
    }
}

/// Append what servers logged while answering requests to their containers' logs.
pub(crate) fn deliver_access_logs(w: &mut World, me: &mut PodRuntime, logs: Vec<AccessLog>) {
    for (key, i, line) in logs {
        let rt = match &key {
            None => Some(&mut *me),
            Some(k) => w.kubelet.pods.get_mut(k),
        };
        if let Some(c) = rt.and_then(|rt| rt.ctrs.get_mut(i)) {
            c.logs.push_str(&line);
        }
    }
}

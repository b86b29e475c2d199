//! What every namespace and every pod get for service accounts on a real cluster:
//! - the `default` ServiceAccount that kube-controller-manager's serviceaccount-controller
//!   keeps in every namespace (recreated when deleted);
//! - the ServiceAccount admission plugin's check that a pod's service account exists;
//! - the `kube-root-ca.crt` ConfigMap that kube-controller-manager's root-ca-cert-publisher
//!   keeps in every namespace (recreated when deleted, reset when changed);
//! - the `kube-api-access-<suffix>` projected volume that the ServiceAccount admission plugin
//!   adds to a pod and mounts read-only into each of its containers at
//!   `/var/run/secrets/kubernetes.io/serviceaccount` (files `token`, `ca.crt`, `namespace`).

use crate::names;
use crate::store::key;
use crate::world::{meta, World};
use base64::Engine;
use kubeplay_api::k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
    Namespace, ObjectFieldSelector, Pod, ProjectedVolumeSource, ServiceAccount,
    ServiceAccountTokenProjection, Volume, VolumeMount, VolumeProjection,
};
use kubeplay_api::{ApiError, Reason};

pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
const VOLUME_PREFIX: &str = "kube-api-access-";
const DESCRIPTION_ANNOTATION: &str = "kubernetes.io/description";
const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver \
when using internal endpoints such as the internal service IP or kubernetes.default.svc. No \
other usage is guaranteed across distributions of Kubernetes clusters.";
/// The token's lifetime as admission writes it (an hour plus the kubelet's 7 s of slack).
const TOKEN_EXPIRATION_SECONDS: i64 = 3607;

/// The cluster's CA certificate (a real self-signed `CN=kubernetes` CA, valid from the day
/// before the virtual epoch for ten years, as kubeadm makes it).
pub const CLUSTER_CA: &str = include_str!("cluster-ca.crt");

/// The service account every namespace has, and every pod that names none runs as.
pub const DEFAULT_SERVICE_ACCOUNT: &str = "default";

/// Whether `ns` is gone or going: the controllers stop putting things into it.
fn terminating(w: &World, ns: &str) -> bool {
    w.get::<Namespace>(&key("", ns))
        .is_none_or(|n| n.metadata.deletion_timestamp.is_some())
}

/// serviceaccount-controller's sync for one namespace: its `default` ServiceAccount, made
/// with the namespace and again whenever it is deleted.
pub(crate) fn ensure_default(w: &mut World, ns: &str) {
    if terminating(w, ns)
        || w.get::<ServiceAccount>(&key(ns, DEFAULT_SERVICE_ACCOUNT))
            .is_some()
    {
        return;
    }
    w.create_derived(ServiceAccount {
        metadata: meta(DEFAULT_SERVICE_ACCOUNT, Some(ns)),
        ..Default::default()
    });
}

/// The ServiceAccount admission plugin's lookup for a pod about to be created in `ns`: the
/// service account it names must exist (its `automountServiceAccountToken` is returned), else
/// the create is forbidden with the API server's words. `name` is the pod's name, or its
/// generateName for a controller's pod.
pub(crate) fn admit_pod(
    w: &World,
    ns: &str,
    name: &str,
    pod: &Pod,
) -> Result<Option<bool>, ApiError> {
    let sa = pod
        .spec
        .as_ref()
        .and_then(|s| s.service_account_name.as_deref())
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_SERVICE_ACCOUNT);
    match w.get::<ServiceAccount>(&key(ns, sa)) {
        Some(found) => Ok(found.automount_service_account_token),
        None => Err(ApiError::new(
            Reason::Forbidden,
            format!(
                "pods \"{name}\" is forbidden: error looking up service account {ns}/{sa}: serviceaccount \"{sa}\" not found"
            ),
        )),
    }
}

/// root-ca-cert-publisher's sync for one namespace: create the ConfigMap when it is missing,
/// and put back its data and description when they differ (other annotations stay).
pub(crate) fn publish_root_ca(w: &mut World, ns: &str) {
    let k = key(ns, ROOT_CA_CONFIGMAP);
    if terminating(w, ns) {
        return;
    }
    let data = kubeplay_sort::map([("ca.crt".to_string(), CLUSTER_CA.to_string())]);
    if w.get::<ConfigMap>(&k).is_none() {
        let mut m = meta(ROOT_CA_CONFIGMAP, Some(ns));
        m.annotations = Some(kubeplay_sort::map([(
            DESCRIPTION_ANNOTATION.to_string(),
            DESCRIPTION.to_string(),
        )]));
        w.create_internal(ConfigMap {
            metadata: m,
            data: Some(data),
            ..Default::default()
        });
        return;
    }
    w.mutate::<ConfigMap>(&k, |cm| {
        let described = cm
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(DESCRIPTION_ANNOTATION))
            .is_some_and(|d| d == DESCRIPTION);
        if cm.data.as_ref() == Some(&data) && cm.binary_data.is_none() && described {
            return false;
        }
        cm.data = Some(data);
        cm.binary_data = None;
        cm.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(DESCRIPTION_ANNOTATION.into(), DESCRIPTION.into());
        true
    });
}

/// The ServiceAccount admission plugin's token volume: unless the pod opts out with
/// `automountServiceAccountToken: false` (or leaves it unset and its service account,
/// `sa_automount`, opts out), every container and init container without a
/// mount at [`TOKEN_MOUNT_PATH`] gets one, read-only, from a new projected volume. The
/// volume's name suffix is derived from the pod's uid (the API server draws it at random;
/// deriving it keeps the world's random sequence, and so every other name, unchanged).
///
/// With `implied`, a volume given the first name of its pod (`<uid>/0`, as almost every one
/// is) is not added: the pod is one the store keeps, where it stays implied by its mounts
/// ([`implied_token_volume`]). k8s-openapi's `Volume` is 3,280 bytes and the sources 1.6 KB
/// more: built for every new pod and dropped with every removed one, they were about a
/// tenth of a 10,000-pod rollout's time, most of it in memory not in cache.
pub(crate) fn mount_token(pod: &mut Pod, sa_automount: Option<bool>, implied: bool) {
    // Borrowed: the metadata and the spec are apart.
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    let Some(spec) = pod.spec.as_mut() else {
        return;
    };
    if spec.automount_service_account_token.or(sa_automount) == Some(false) {
        return;
    }
    let volumes = spec.volumes.get_or_insert_with(Vec::new);
    // `kube-api-access-` + suffix(`<uid>/<i>`) for the first i whose name is free (the seed
    // and the suffix written in place: every pod comes here).
    let mut seed = Vec::with_capacity(uid.len() + 11);
    let (i, name) = (0u32..)
        .map(|i| {
            seed.clear();
            seed.extend_from_slice(uid.as_bytes());
            seed.push(b'/');
            push_decimal(&mut seed, i);
            let mut name = String::with_capacity(VOLUME_PREFIX.len() + 5);
            name.push_str(VOLUME_PREFIX);
            push_suffix(&mut name, &seed);
            (i, name)
        })
        .find(|(_, n)| volumes.iter().all(|v| &v.name != n))
        .expect("some suffix is free");
    let mut used = false;
    let containers = spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut());
    for c in containers {
        if c.volume_mounts
            .iter()
            .flatten()
            .any(|m| m.mount_path == TOKEN_MOUNT_PATH)
        {
            continue;
        }
        // Exact room: a list grown by one push would keep room for four mounts per pod.
        let mounts = c.volume_mounts.get_or_insert_with(Vec::new);
        mounts.reserve_exact(1);
        mounts.push(VolumeMount {
            name: name.clone(),
            mount_path: TOKEN_MOUNT_PATH.into(),
            read_only: Some(true),
            ..Default::default()
        });
        used = true;
    }
    if used && !(implied && i == 0) {
        volumes.reserve_exact(1);
        volumes.push(token_volume(name));
    }
    if volumes.is_empty() {
        spec.volumes = None;
    }
}

/// The token volume admission adds, named `name`.
fn token_volume(name: String) -> Volume {
    Volume {
        name,
        projected: Some(token_sources()),
        ..Default::default()
    }
}

/// The token volume's sources (the same for every pod).
fn token_sources() -> ProjectedVolumeSource {
    ProjectedVolumeSource {
        default_mode: Some(0o644),
        sources: Some(vec![
            VolumeProjection {
                service_account_token: Some(ServiceAccountTokenProjection {
                    expiration_seconds: Some(TOKEN_EXPIRATION_SECONDS),
                    path: "token".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            VolumeProjection {
                config_map: Some(ConfigMapProjection {
                    name: ROOT_CA_CONFIGMAP.into(),
                    items: Some(vec![KeyToPath {
                        key: "ca.crt".into(),
                        path: "ca.crt".into(),
                        ..Default::default()
                    }]),
                    optional: None,
                }),
                ..Default::default()
            },
            VolumeProjection {
                downward_api: Some(DownwardAPIProjection {
                    items: Some(vec![DownwardAPIVolumeFile {
                        path: "namespace".into(),
                        field_ref: Some(ObjectFieldSelector {
                            api_version: Some("v1".into()),
                            field_path: "metadata.namespace".into(),
                        }),
                        ..Default::default()
                    }]),
                }),
                ..Default::default()
            },
        ]),
        ..Default::default()
    }
}

thread_local! {
    static TOKEN_SOURCES: ProjectedVolumeSource = token_sources();
}

/// `f` of one copy of the token volume's sources, kept for the thread.
pub(crate) fn with_token_sources<R>(f: impl FnOnce(&ProjectedVolumeSource) -> R) -> R {
    TOKEN_SOURCES.with(f)
}

/// Whether the mount named `name` of `pod`, which names no volume the pod has, is of the
/// token volume implied by its mounts ([`implied_token_volume`]).
pub fn is_implied_token_mount(pod: &Pod, name: &str) -> bool {
    pod.metadata
        .uid
        .as_deref()
        .is_some_and(|uid| is_first_token_name(name, uid))
}

/// The name of the token volume a pod the store keeps has implied ([`mount_token`]): a
/// container mounts `kube-api-access-` + the suffix derived from the pod's own uid (which no
/// manifest can know beforehand, and validation admits no mount of a volume that is not
/// there), and no volume has that name.
pub fn implied_token_volume(pod: &Pod) -> Option<&str> {
    let spec = pod.spec.as_ref()?;
    let mount = spec
        .init_containers
        .iter()
        .flatten()
        .chain(&spec.containers)
        .flat_map(|c| c.volume_mounts.iter().flatten())
        .find(|m| is_implied_token_mount(pod, &m.name))?;
    let free = spec.volumes.iter().flatten().all(|v| v.name != mount.name);
    free.then_some(mount.name.as_str())
}

/// `pod` as the API server holds it: its implied token volume written out, last of its
/// volumes, where admission put it (a pod's volumes never change once it exists).
pub fn add_implied_token_volume(pod: &mut Pod) {
    let Some(name) = implied_token_volume(pod).map(str::to_string) else {
        return;
    };
    if let Some(spec) = pod.spec.as_mut() {
        let volumes = spec.volumes.get_or_insert_with(Vec::new);
        volumes.reserve_exact(1);
        volumes.push(token_volume(name));
    }
}

/// The inverse of [`add_implied_token_volume`], for a pod the store is given whole (created
/// or updated through the API): its last volume, when it is the one admission gave it under
/// its first name, stays implied.
pub(crate) fn imply_token_volume(pod: &mut Pod) {
    let Some(uid) = pod.metadata.uid.as_deref() else {
        return;
    };
    let Some(spec) = pod.spec.as_mut() else {
        return;
    };
    let Some(volumes) = spec.volumes.as_mut() else {
        return;
    };
    match volumes.last() {
        Some(v) if is_first_token_name(&v.name, uid) && *v == token_volume(v.name.clone()) => {
            volumes.pop();
        }
        _ => return,
    }
    if volumes.is_empty() {
        spec.volumes = None;
    }
}

/// Whether `name` is `kube-api-access-` + suffix(`<uid>/0`), the name `mount_token` gives
/// the token volume of a pod without volumes (compared without writing it out).
fn is_first_token_name(name: &str, uid: &str) -> bool {
    let Some(rest) = name.strip_prefix(VOLUME_PREFIX) else {
        return false;
    };
    let mut h: u32 = 0x811c9dc5;
    for b in uid.bytes().chain(*b"/0") {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    let mut chars = rest.bytes();
    for _ in 0..5 {
        let c = names::ALPHANUMS[(h % names::ALPHANUMS.len() as u32) as usize];
        h /= names::ALPHANUMS.len() as u32;
        h = h.wrapping_mul(0x0100_0193) ^ u32::from(c);
        if chars.next() != Some(c) {
            return false;
        }
    }
    chars.next().is_none()
}

/// Five characters of the names alphabet, from a hash.
/// Five characters derived from `seed`.
fn suffix(seed: &[u8]) -> String {
    let mut s = String::with_capacity(5);
    push_suffix(&mut s, seed);
    s
}

/// [`suffix`], pushed onto `out`.
fn push_suffix(out: &mut String, seed: &[u8]) {
    let mut h = names::fnv32a(seed);
    for _ in 0..5 {
        let c = names::ALPHANUMS[(h % names::ALPHANUMS.len() as u32) as usize];
        h /= names::ALPHANUMS.len() as u32;
        h = h.wrapping_mul(0x0100_0193) ^ u32::from(c);
        out.push(c as char);
    }
}

/// `n` in decimal, pushed onto `out` (as `n.to_string()` writes it).
fn push_decimal(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let (mut i, mut n) = (digits.len(), n);
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// The bound token the kubelet writes into the `token` file: a JWT whose claims name the
/// pod, its namespace, node and service account, issued when the pod started. kubeplay has
/// no signing key, so the signature part is a digest of the claims, not an RSA signature.
pub fn token(pod: &Pod, issued_at_secs: i64) -> String {
    TokenClaims::of(pod, issued_at_secs).render()
}

/// What a pod's token says, kept until the token file is read ([`TokenClaims::render`]):
/// most containers never read it, and writing it out is most of the cost of mounting it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenClaims {
    // Names, kept inline when short (all but the uid): a claims record is made for every pod
    // started, and five strings of its own were five allocations each time.
    namespace: crate::key::Name,
    service_account: crate::key::Name,
    node: crate::key::Name,
    uid: crate::key::Name,
    pod: crate::key::Name,
    issued_at_secs: i64,
}

impl TokenClaims {
    pub fn of(pod: &Pod, issued_at_secs: i64) -> TokenClaims {
        let m = &pod.metadata;
        let spec = pod.spec.as_ref();
        TokenClaims {
            namespace: m.namespace.as_deref().unwrap_or("default").into(),
            service_account: spec
                .and_then(|s| s.service_account_name.as_deref())
                .unwrap_or("default")
                .into(),
            node: spec
                .and_then(|s| s.node_name.as_deref())
                .unwrap_or("")
                .into(),
            uid: m.uid.as_deref().unwrap_or("").into(),
            pod: m.name.as_deref().unwrap_or("").into(),
            issued_at_secs,
        }
    }

    /// The token (the same bytes every time).
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let (ns, sa, node, uid, name) = (
            self.namespace.as_str(),
            self.service_account.as_str(),
            self.node.as_str(),
            self.uid.as_str(),
            self.pod.as_str(),
        );
        let issued_at_secs = &self.issued_at_secs;
        let iss = "https://kubernetes.default.svc.cluster.local";
        // The JSON serde_json writes for these objects (keys in order, compact), written
        // directly: a JSON string for each value, no intermediate `Value` maps. JSON escapes
        // character by character, so `sub`'s parts are escaped one after another.
        let mut claims = String::with_capacity(640);
        let (exp, iat) = (issued_at_secs + TOKEN_EXPIRATION_SECONDS, issued_at_secs);
        let _ = write!(
            claims,
            "{{\"aud\":[\"{iss}\"],\"exp\":{exp},\"iat\":{iat},\"iss\":\"{iss}\",\"jti\":\""
        );
        for p in [
            Err(uid),
            Ok("\",\"kubernetes.io\":{\"namespace\":\""),
            Err(ns),
            Ok("\",\"node\":{\"name\":\""),
            Err(node),
            Ok("\"},\"pod\":{\"name\":\""),
            Err(name),
            Ok("\",\"uid\":\""),
            Err(uid),
            Ok("\"},\"serviceaccount\":{\"name\":\""),
            Err(sa),
            Ok("\"}},\"nbf\":"),
        ] {
            match p {
                Ok(raw) => claims.push_str(raw),
                Err(text) => json_escape(text, &mut claims),
            }
        }
        let _ = write!(claims, "{iat},\"sub\":\"system:serviceaccount:");
        json_escape(ns, &mut claims);
        claims.push(':');
        json_escape(sa, &mut claims);
        claims.push_str("\"}");
        signed(&claims)
    }
}

/// A JWT of `claims` (JSON): the header, the claims and, as kubeplay has no signing key, a
/// digest of both in place of an RSA signature.
fn signed(claims: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut out = String::with_capacity(4 * (claims.len() + 256) / 3 + 64);
    out.push_str(header());
    out.push('.');
    b64.encode_string(claims, &mut out);
    let mut sig = Vec::with_capacity(256);
    let mut h = names::fnv32a(out.as_bytes());
    while sig.len() < 256 {
        h = h.wrapping_mul(0x0100_0193) ^ (sig.len() as u32);
        sig.extend_from_slice(&h.to_be_bytes());
    }
    out.push('.');
    b64.encode_string(&sig, &mut out);
    out
}

/// The TokenRequest API (`kubectl create token`): a token for service account `sa` in `ns`,
/// issued now for `expiration_secs` (0: the server's hour), for `audiences` (none: the API
/// server's), bound to an object (`kind`, `name`) when one is given.
pub fn request_token(
    w: &World,
    ns: &str,
    sa: &str,
    audiences: &[String],
    expiration_secs: i64,
    bound: Option<(&str, &str)>,
) -> Result<String, ApiError> {
    use kubeplay_api::registry;
    let Some(account) = w.get::<ServiceAccount>(&key(ns, sa)) else {
        return Err(ApiError::not_found(
            registry::info(kubeplay_api::Kind::ServiceAccount),
            sa,
        ));
    };
    let expiration = if expiration_secs == 0 {
        3600
    } else {
        expiration_secs
    };
    if !(600..=1 << 32).contains(&expiration) {
        let bound = if expiration < 600 {
            "may not specify a duration less than 10 minutes"
        } else {
            "may not specify a duration larger than 2^32 seconds"
        };
        return Err(ApiError::new(
            kubeplay_api::Reason::Invalid,
            format!("TokenRequest.authentication.k8s.io \"{sa}\" is invalid: spec.expirationSeconds: Invalid value: {expiration}: {bound}"),
        ));
    }
    let iss = "https://kubernetes.default.svc.cluster.local";
    let uid_of = |m: &kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
        m.uid.clone().unwrap_or_default()
    };
    let mut k8s = serde_json::json!({
        "namespace": ns,
        "serviceaccount": {"name": sa, "uid": uid_of(&account.metadata)},
    });
    if let Some((kind, name)) = bound {
        let info = registry::lookup(kind).filter(|i| i.kind.as_str() == kind);
        let object = info.and_then(|i| {
            let k = key(if i.namespaced { ns } else { "" }, name);
            w.store.get_object(i.kind, &k)
        });
        let Some(object) = object else {
            let info = info.unwrap_or(registry::info(kubeplay_api::Kind::Pod));
            return Err(ApiError::not_found(info, name));
        };
        k8s[kind.to_ascii_lowercase()] =
            serde_json::json!({"name": name, "uid": uid_of(object.meta())});
    }
    let now = crate::time::EPOCH_SECONDS + (w.now() / 1000) as i64;
    let seed = format!("{ns}/{sa}/{}/{}", w.now(), w.store.resource_version());
    let claims = serde_json::json!({
        "aud": if audiences.is_empty() { vec![iss.to_string()] } else { audiences.to_vec() },
        "exp": now + expiration,
        "iat": now,
        "iss": iss,
        "jti": names::derived_uuid(seed.as_bytes()),
        "kubernetes.io": k8s,
        "nbf": now,
        "sub": format!("system:serviceaccount:{ns}:{sa}"),
    });
    Ok(signed(&claims.to_string()))
}

/// The token's first part, the same for every token: `{"alg":"RS256","kid":"<key id>"}`,
/// base64url-encoded (made once).
fn header() -> &'static str {
    static HEADER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HEADER.get_or_init(|| {
        let kid = serde_json::to_string(&suffix(b"kubeplay-signing-key")).expect("a string");
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{{\"alg\":\"RS256\",\"kid\":{kid}}}"))
    })
}

/// `text`'s JSON string body (no quotes) as serde_json writes it: the text as is when it
/// has nothing to escape, which is nearly always.
fn json_escape(text: &str, out: &mut String) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push_str(text);
        return;
    }
    let quoted = serde_json::to_string(text).expect("a string");
    out.push_str(&quoted[1..quoted.len() - 1]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_api::k8s_openapi::api::core::v1::{Container, PodSpec};

    fn pod(containers: &[&str], init: &[&str]) -> Pod {
        let c = |n: &&str| Container {
            name: n.to_string(),
            ..Default::default()
        };
        Pod {
            metadata: kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                uid: Some("0b6c2f6e-3b9f-4f59-a2a5-d4d5b6f0c1aa".into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: containers.iter().map(c).collect(),
                init_containers: (!init.is_empty()).then(|| init.iter().map(c).collect()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn every_container_gets_the_mount_and_one_volume_is_added() {
        let mut p = pod(&["a", "b"], &["i"]);
        mount_token(&mut p, None, false);
        let s = p.spec.unwrap();
        let vols = s.volumes.unwrap();
        assert_eq!(vols.len(), 1);
        assert!(vols[0].name.starts_with(VOLUME_PREFIX));
        assert_eq!(vols[0].name.len(), VOLUME_PREFIX.len() + 5);
        for c in s.init_containers.unwrap().iter().chain(&s.containers) {
            let m = c.volume_mounts.as_ref().unwrap();
            assert_eq!(m.len(), 1);
            assert_eq!(m[0].name, vols[0].name);
            assert_eq!(m[0].mount_path, TOKEN_MOUNT_PATH);
            assert_eq!(m[0].read_only, Some(true));
        }
    }

    #[test]
    fn opting_out_or_an_own_mount_adds_nothing() {
        let mut p = pod(&["a"], &[]);
        p.spec.as_mut().unwrap().automount_service_account_token = Some(false);
        let before = p.clone();
        mount_token(&mut p, None, false);
        assert_eq!(p, before);

        let mut p = pod(&["a"], &[]);
        p.spec.as_mut().unwrap().containers[0].volume_mounts = Some(vec![VolumeMount {
            name: "mine".into(),
            mount_path: TOKEN_MOUNT_PATH.into(),
            ..Default::default()
        }]);
        let before = p.clone();
        mount_token(&mut p, None, false);
        assert_eq!(p, before);
    }

    #[test]
    fn the_suffix_depends_on_the_uid_only() {
        let (mut a, mut b) = (pod(&["a"], &[]), pod(&["x"], &[]));
        mount_token(&mut a, None, false);
        mount_token(&mut b, None, false);
        let name = |p: &Pod| {
            p.spec.as_ref().unwrap().volumes.as_ref().unwrap()[0]
                .name
                .clone()
        };
        assert_eq!(name(&a), name(&b));
        let mut c = pod(&["a"], &[]);
        c.metadata.uid = Some("another".into());
        mount_token(&mut c, None, false);
        assert_ne!(name(&a), name(&c));
    }

    /// A pod the store keeps has the token volume implied by its mounts, and written out it
    /// is the pod admission makes whole; only that volume, under the pod's first name, is
    /// implied.
    #[test]
    fn the_token_volume_is_implied_and_written_out_the_same() {
        let mut whole = pod(&["a"], &["i"]);
        let mut kept = whole.clone();
        mount_token(&mut whole, None, false);
        mount_token(&mut kept, None, true);
        assert_eq!(kept.spec.as_ref().unwrap().volumes, None);
        let name = whole.spec.as_ref().unwrap().volumes.as_ref().unwrap()[0]
            .name
            .clone();
        assert_eq!(implied_token_volume(&kept), Some(name.as_str()));
        assert_eq!(implied_token_volume(&whole), None);
        let mut out = kept.clone();
        add_implied_token_volume(&mut out);
        assert_eq!(out, whole);
        let mut back = whole.clone();
        imply_token_volume(&mut back);
        assert_eq!(back, kept);
        // Another pod's volume (the name derives from another uid) stays.
        let mut other = whole.clone();
        other.metadata.uid = Some("another".into());
        let before = other.clone();
        imply_token_volume(&mut other);
        assert_eq!(other, before);
        // So does a volume of that name that is not admission's.
        let mut changed = whole.clone();
        changed.spec.as_mut().unwrap().volumes.as_mut().unwrap()[0].projected = None;
        let before = changed.clone();
        imply_token_volume(&mut changed);
        assert_eq!(changed, before);
        // A pod with volumes of its own keeps them, the token volume last.
        let mut mine = pod(&["a"], &[]);
        mine.spec.as_mut().unwrap().volumes = Some(vec![Volume {
            name: "mine".into(),
            ..Default::default()
        }]);
        let (mut whole, mut kept) = (mine.clone(), mine);
        mount_token(&mut whole, None, false);
        mount_token(&mut kept, None, true);
        assert_eq!(
            kept.spec.as_ref().unwrap().volumes.as_ref().unwrap().len(),
            1
        );
        add_implied_token_volume(&mut kept);
        assert_eq!(kept, whole);
    }

    /// The token as `serde_json::json!` renders its claims: the direct writer must give the
    /// same bytes, escapes included.
    fn token_via_values(pod: &Pod, issued_at_secs: i64) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let m = &pod.metadata;
        let ns = m.namespace.as_deref().unwrap_or("default");
        let spec = pod.spec.as_ref();
        let sa = spec
            .and_then(|s| s.service_account_name.as_deref())
            .unwrap_or("default");
        let node = spec.and_then(|s| s.node_name.as_deref()).unwrap_or("");
        let uid = m.uid.as_deref().unwrap_or("");
        let header = serde_json::json!({"alg": "RS256", "kid": suffix(b"kubeplay-signing-key")});
        let iss = "https://kubernetes.default.svc.cluster.local";
        let claims = serde_json::json!({
            "aud": [iss],
            "exp": issued_at_secs + TOKEN_EXPIRATION_SECONDS,
            "iat": issued_at_secs,
            "iss": iss,
            "jti": uid,
            "kubernetes.io": {
                "namespace": ns,
                "node": {"name": node},
                "pod": {"name": m.name.as_deref().unwrap_or(""), "uid": uid},
                "serviceaccount": {"name": sa},
            },
            "nbf": issued_at_secs,
            "sub": format!("system:serviceaccount:{ns}:{sa}"),
        });
        let body = format!(
            "{}.{}",
            b64.encode(header.to_string()),
            b64.encode(claims.to_string())
        );
        let mut sig = Vec::with_capacity(256);
        let mut h = names::fnv32a(body.as_bytes());
        while sig.len() < 256 {
            h = h.wrapping_mul(0x0100_0193) ^ (sig.len() as u32);
            sig.extend_from_slice(&h.to_be_bytes());
        }
        format!("{body}.{}", b64.encode(sig))
    }

    #[test]
    fn the_token_is_the_json_of_its_claims() {
        let mut p = pod(&["a"], &[]);
        assert_eq!(token(&p, 0), token_via_values(&p, 0));
        p.metadata.name = Some("web-7d4b9c-x2x9z".into());
        p.metadata.namespace = Some("team".into());
        let spec = p.spec.as_mut().unwrap();
        spec.node_name = Some("node01".into());
        spec.service_account_name = Some("odd\"name\\\u{1}é".into());
        assert_eq!(
            token(&p, 1_700_000_000),
            token_via_values(&p, 1_700_000_000)
        );
        assert_eq!(token(&p, -5), token_via_values(&p, -5));
    }

    #[test]
    fn the_token_is_a_three_part_jwt_naming_the_pod() {
        let mut p = pod(&["a"], &[]);
        p.metadata.name = Some("web".into());
        p.metadata.namespace = Some("team".into());
        let t = token(&p, 1000);
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&claims).unwrap();
        assert_eq!(v["sub"], "system:serviceaccount:team:default");
        assert_eq!(v["kubernetes.io"]["pod"]["name"], "web");
        assert_eq!(v["exp"], 1000 + 3607);
    }
}

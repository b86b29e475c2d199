//! How the kubelet turns a container's `env`, `envFrom` and configMap/secret volumes into
//! what the process sees (K8S:pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables`,
//! pkg/volume/configmap + secret `MakePayload`, third_party/forked/golang/expansion).
//!
//! Pure functions over the pod, its container and a [`ConfigSource`]: no clock, no store
//! writes. The kubelet calls them when it creates a container (env, mounts) and on its
//! periodic volume resync (mounts only: env is fixed for the life of a container).

use crate::store::{key, Store};
use kubeplay_api::k8s_openapi::api::core::v1::{
    ConfigMap, Container, KeyToPath, ObjectFieldSelector, Pod, ProjectedVolumeSource,
    ResourceFieldSelector, Secret, ServiceAccountTokenProjection, Volume,
};
use kubeplay_api::k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kubeplay_sort::Collect as _;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Where the kubelet reads ConfigMaps and Secrets from (its watch-based managers).
pub trait ConfigSource {
    fn config_map(&self, ns: &str, name: &str) -> Option<&ConfigMap>;
    fn secret(&self, ns: &str, name: &str) -> Option<&Secret>;
    /// `project`'s files: those of the token volume admission gives the pods of `ns`, all but
    /// the token itself. They come from the namespace and its `kube-root-ca.crt` alone, so a
    /// source may keep them while that ConfigMap stays as it is (the World does).
    fn token_volume_files(
        &self,
        ns: &str,
        project: impl FnOnce() -> Result<Vec<ProjectedFile>, MountError>,
    ) -> Result<Rc<[ProjectedFile]>, MountError> {
        let _ = ns;
        project().map(Into::into)
    }
}

impl ConfigSource for Store {
    fn config_map(&self, ns: &str, name: &str) -> Option<&ConfigMap> {
        self.get::<ConfigMap>(&key(ns, name))
    }
    fn secret(&self, ns: &str, name: &str) -> Option<&Secret> {
        self.get::<Secret>(&key(ns, name))
    }
}

impl ConfigSource for crate::World {
    fn config_map(&self, ns: &str, name: &str) -> Option<&ConfigMap> {
        self.store.config_map(ns, name)
    }
    fn secret(&self, ns: &str, name: &str) -> Option<&Secret> {
        self.store.secret(ns, name)
    }
    /// Kept by the kubelet per namespace, with the uid and resourceVersion of the
    /// `kube-root-ca.crt` they were made from: every pod of the namespace mounts the same bytes
    /// (one copy), not a fresh copy of the CA bundle each.
    fn token_volume_files(
        &self,
        ns: &str,
        project: impl FnOnce() -> Result<Vec<ProjectedFile>, MountError>,
    ) -> Result<Rc<[ProjectedFile]>, MountError> {
        let Some(cm) = self
            .store
            .config_map(ns, crate::serviceaccount::ROOT_CA_CONFIGMAP)
        else {
            return project().map(Into::into);
        };
        let m = &cm.metadata;
        let stamp =
            [m.uid.as_deref(), m.resource_version.as_deref()].map(Option::unwrap_or_default);
        if let Some((s, files)) = self.kubelet.token_files.borrow().get(ns) {
            if s.iter().zip(stamp).all(|(a, b)| a.as_str() == b) {
                return Ok(files.clone());
            }
        }
        let files: Rc<[ProjectedFile]> = project()?.into();
        let kept = (stamp.map(String::from), files.clone());
        self.kubelet
            .token_files
            .borrow_mut()
            .insert(ns.into(), kept);
        Ok(files)
    }
}

/// Where one environment variable's value came from: plain data for `describe pod` and the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvSource {
    /// `env[].value` (after `$(VAR)` expansion).
    Value,
    /// `env[].valueFrom.configMapKeyRef`.
    ConfigMapKey { name: String, key: String },
    /// `env[].valueFrom.secretKeyRef`.
    SecretKey { name: String, key: String },
    /// `env[].valueFrom.fieldRef`.
    Field { path: String },
    /// `env[].valueFrom.resourceFieldRef`.
    ResourceField { resource: String },
    /// A key of `envFrom[].configMapRef` (the key before the prefix was added).
    ConfigMapEnvFrom { name: String, key: String },
    /// A key of `envFrom[].secretRef`.
    SecretEnvFrom { name: String, key: String },
    /// A service link or `KUBERNETES_*` variable supplied by the caller.
    Service,
}

/// Names and values are shared (`Rc<str>`): the service variables of a namespace are made
/// once and every container's environment holds the same strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: Rc<str>,
    pub value: Rc<str>,
    pub source: EnvSource,
}

/// A resolved environment, in a fixed order: the first definition of a name fixes its place
/// (envFrom sources in list order with keys sorted, then `env` in list order, then service
/// variables); a later definition replaces the value in place. (The real kubelet builds a Go
/// map, so its order is random; this one is deterministic.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedEnv {
    pub vars: Vec<EnvVar>,
    /// `InvalidEnvironmentVariableNames` warnings the kubelet records, one per envFrom source.
    pub invalid_names: Vec<String>,
}

impl ResolvedEnv {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|v| &*v.name == name)
            .map(|v| &*v.value)
    }
    fn set(&mut self, name: String, value: String, source: EnvSource) {
        match self.vars.iter_mut().find(|v| *v.name == name) {
            Some(v) => {
                v.value = value.into();
                v.source = source;
            }
            None => self.vars.push(EnvVar {
                name: name.into(),
                value: value.into(),
                source,
            }),
        }
    }
}

/// Why a container cannot be created (`CreateContainerConfigError`); `message()` is the
/// kubelet's text, used for the waiting message and the `Failed` event (`Error: <message>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    ConfigMapNotFound {
        name: String,
    },
    SecretNotFound {
        name: String,
    },
    ConfigMapKeyMissing {
        ns: String,
        name: String,
        key: String,
    },
    SecretKeyMissing {
        ns: String,
        name: String,
        key: String,
    },
    UnsupportedFieldPath {
        path: String,
    },
    UnsupportedResource {
        resource: String,
    },
}

impl ConfigError {
    pub fn message(&self) -> String {
        match self {
            ConfigError::ConfigMapNotFound { name } => format!("configmap \"{name}\" not found"),
            ConfigError::SecretNotFound { name } => format!("secret \"{name}\" not found"),
            ConfigError::ConfigMapKeyMissing { ns, name, key } => {
                format!("couldn't find key {key} in ConfigMap {ns}/{name}")
            }
            ConfigError::SecretKeyMissing { ns, name, key } => {
                format!("couldn't find key {key} in Secret {ns}/{name}")
            }
            ConfigError::UnsupportedFieldPath { path } => {
                format!("unsupported fieldPath: {path}")
            }
            ConfigError::UnsupportedResource { resource } => {
                format!("unsupported container resource : {resource}")
            }
        }
    }
    /// The ConfigMap or Secret whose appearance or change could clear this error.
    pub fn waits_on(&self) -> Option<(kubeplay_api::Kind, &str)> {
        use kubeplay_api::Kind;
        match self {
            ConfigError::ConfigMapNotFound { name }
            | ConfigError::ConfigMapKeyMissing { name, .. } => Some((Kind::ConfigMap, name)),
            ConfigError::SecretNotFound { name } | ConfigError::SecretKeyMissing { name, .. } => {
                Some((Kind::Secret, name))
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// Names the kubelet accepts from `envFrom`. With `RelaxedEnvironmentVariableValidation` (on by
/// default in current releases) any printable ASCII except `=` is fine.
pub fn is_env_var_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'=')
}

/// `$(VAR)` expansion as the kubelet does it for env values, command and args: `$$` is a
/// literal `$`, an unknown `$(X)` stays as it is, an unclosed `$(` is kept.
pub fn expand(input: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let b = input.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut checkpoint = 0;
    let mut cursor = 0;
    while cursor < b.len() {
        if b[cursor] == b'$' && cursor + 1 < b.len() {
            out.extend_from_slice(&b[checkpoint..cursor]);
            let rest = &b[cursor + 1..];
            let advance = match rest[0] {
                b'$' => {
                    out.push(b'$');
                    1
                }
                b'(' => match rest.iter().position(|&c| c == b')') {
                    Some(close) => {
                        let name = String::from_utf8_lossy(&rest[1..close]);
                        match lookup(&name) {
                            Some(v) => out.extend_from_slice(v.as_bytes()),
                            None => {
                                out.extend_from_slice(b"$(");
                                out.extend_from_slice(name.as_bytes());
                                out.push(b')');
                            }
                        }
                        close + 1
                    }
                    None => {
                        out.extend_from_slice(b"$(");
                        1
                    }
                },
                c => {
                    out.push(b'$');
                    out.push(c);
                    1
                }
            };
            cursor += advance;
            checkpoint = cursor + 1;
        }
        cursor += 1;
    }
    out.extend_from_slice(&b[checkpoint.min(b.len())..]);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Build a container's environment exactly as `makeEnvironmentVariables` does. `service_env`
/// is the service-link and `KUBERNETES_*` variables (they can be referenced by `$(VAR)` and
/// are added last unless the container defines the same name). `allocatable` is the node's,
/// used by `resourceFieldRef` when the container sets no limit.
pub fn resolve_env(
    pod: &Pod,
    container: &Container,
    src: &impl ConfigSource,
    service_env: &[crate::kubelet::process::EnvPair],
    allocatable: Option<&BTreeMap<String, Quantity>>,
) -> Result<ResolvedEnv, ConfigError> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut env = ResolvedEnv::default();
    for from in container.env_from.iter().flatten() {
        let prefix = from.prefix.clone().unwrap_or_default();
        let (what, name, pairs): (&str, String, Vec<(String, String)>) =
            if let Some(r) = &from.config_map_ref {
                match src.config_map(ns, &r.name) {
                    Some(cm) => (
                        "configMap",
                        r.name.clone(),
                        cm.data
                            .iter()
                            .flatten()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    ),
                    None if r.optional == Some(true) => continue,
                    None => {
                        return Err(ConfigError::ConfigMapNotFound {
                            name: r.name.clone(),
                        })
                    }
                }
            } else if let Some(r) = &from.secret_ref {
                match src.secret(ns, &r.name) {
                    Some(s) => (
                        "secret",
                        r.name.clone(),
                        s.data
                            .iter()
                            .flatten()
                            .map(|(k, v)| (k.clone(), String::from_utf8_lossy(&v.0).into_owned()))
                            .collect(),
                    ),
                    None if r.optional == Some(true) => continue,
                    None => {
                        return Err(ConfigError::SecretNotFound {
                            name: r.name.clone(),
                        })
                    }
                }
            } else {
                continue;
            };
        let mut invalid = Vec::new();
        for (k, v) in pairs {
            let full = format!("{prefix}{k}");
            if !is_env_var_name(&full) {
                invalid.push(full);
                continue;
            }
            let source = if what == "configMap" {
                EnvSource::ConfigMapEnvFrom {
                    name: name.clone(),
                    key: k,
                }
            } else {
                EnvSource::SecretEnvFrom {
                    name: name.clone(),
                    key: k,
                }
            };
            env.set(full, v, source);
        }
        if !invalid.is_empty() {
            kubeplay_sort::sort(&mut invalid);
            env.invalid_names.push(format!(
                "Keys [{}] from the EnvFrom {what} {ns}/{name} were skipped since they are considered invalid environment variable names.",
                invalid.join(", ")
            ));
        }
    }

    for e in container.env.iter().flatten() {
        let value = e.value.clone().unwrap_or_default();
        let (value, source) = if !value.is_empty() {
            let expanded = expand(&value, |n| {
                env.get(n).map(str::to_string).or_else(|| {
                    service_env
                        .iter()
                        .find(|(k, _)| &**k == n)
                        .map(|(_, v)| v.to_string())
                })
            });
            (expanded, EnvSource::Value)
        } else if let Some(vf) = &e.value_from {
            if let Some(f) = &vf.field_ref {
                (
                    field_value(pod, f)?,
                    EnvSource::Field {
                        path: f.field_path.clone(),
                    },
                )
            } else if let Some(r) = &vf.resource_field_ref {
                (
                    resource_value(container, r, allocatable)?,
                    EnvSource::ResourceField {
                        resource: r.resource.clone(),
                    },
                )
            } else if let Some(r) = &vf.config_map_key_ref {
                let optional = r.optional == Some(true);
                let Some(cm) = src.config_map(ns, &r.name) else {
                    if optional {
                        continue;
                    }
                    return Err(ConfigError::ConfigMapNotFound {
                        name: r.name.clone(),
                    });
                };
                match cm.data.as_ref().and_then(|d| d.get(&r.key)) {
                    Some(v) => (
                        v.clone(),
                        EnvSource::ConfigMapKey {
                            name: r.name.clone(),
                            key: r.key.clone(),
                        },
                    ),
                    None if optional => continue,
                    None => {
                        return Err(ConfigError::ConfigMapKeyMissing {
                            ns: ns.into(),
                            name: r.name.clone(),
                            key: r.key.clone(),
                        })
                    }
                }
            } else if let Some(r) = &vf.secret_key_ref {
                let optional = r.optional == Some(true);
                let Some(s) = src.secret(ns, &r.name) else {
                    if optional {
                        continue;
                    }
                    return Err(ConfigError::SecretNotFound {
                        name: r.name.clone(),
                    });
                };
                match s.data.as_ref().and_then(|d| d.get(&r.key)) {
                    Some(v) => (
                        String::from_utf8_lossy(&v.0).into_owned(),
                        EnvSource::SecretKey {
                            name: r.name.clone(),
                            key: r.key.clone(),
                        },
                    ),
                    None if optional => continue,
                    None => {
                        return Err(ConfigError::SecretKeyMissing {
                            ns: ns.into(),
                            name: r.name.clone(),
                            key: r.key.clone(),
                        })
                    }
                }
            } else {
                (String::new(), EnvSource::Value)
            }
        } else {
            (String::new(), EnvSource::Value)
        };
        env.set(e.name.clone(), value, source);
    }

    // Room for the service variables at once (a start grew the list two or three times).
    env.vars.reserve(service_env.len());
    for (k, v) in service_env {
        if env.get(k).is_none() {
            env.vars.push(EnvVar {
                name: k.clone(),
                value: v.clone(),
                source: EnvSource::Service,
            });
        }
    }
    Ok(env)
}

/// `fieldpath.ExtractFieldPathAsString` plus the kubelet's own paths.
pub fn field_value(pod: &Pod, f: &ObjectFieldSelector) -> Result<String, ConfigError> {
    let path = f.field_path.as_str();
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let m = &pod.metadata;
    let map_entry = |map: &Option<BTreeMap<String, String>>, key: &str| {
        map.as_ref()
            .and_then(|l| l.get(key))
            .cloned()
            .unwrap_or_default()
    };
    let format_map = |map: &Option<BTreeMap<String, String>>| {
        map.iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", serde_json::to_string(v).unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let subscript = |prefix: &str| -> Option<String> {
        let rest = path.strip_prefix(prefix)?.strip_prefix("['")?;
        Some(rest.strip_suffix("']")?.to_string())
    };
    Ok(match path {
        "metadata.name" => m.name.clone().unwrap_or_default(),
        "metadata.namespace" => m.namespace.clone().unwrap_or_default(),
        "metadata.uid" => m.uid.clone().unwrap_or_default(),
        "metadata.labels" => format_map(&m.labels),
        "metadata.annotations" => format_map(&m.annotations),
        "spec.nodeName" => spec.and_then(|s| s.node_name.clone()).unwrap_or_default(),
        "spec.serviceAccountName" => spec
            .and_then(|s| s.service_account_name.clone())
            .unwrap_or_else(|| "default".into()),
        "status.podIP" => status.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
        "status.hostIP" => status.and_then(|s| s.host_ip.clone()).unwrap_or_default(),
        "status.podIPs" => status
            .and_then(|s| s.pod_ips.as_ref())
            .map(|ips| {
                ips.iter()
                    .map(|i| i.ip.clone())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default(),
        "status.hostIPs" => status
            .and_then(|s| s.host_ips.as_ref())
            .map(|ips| {
                ips.iter()
                    .map(|i| i.ip.clone())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default(),
        _ => {
            if let Some(k) = subscript("metadata.labels") {
                map_entry(&m.labels, &k)
            } else if let Some(k) = subscript("metadata.annotations") {
                map_entry(&m.annotations, &k)
            } else {
                return Err(ConfigError::UnsupportedFieldPath {
                    path: path.to_string(),
                });
            }
        }
    })
}

/// A quantity in milli-units (`500m` → 500, `1` → 1000, `64Mi` → 67108864000).
pub fn quantity_millis(q: &str) -> Option<i128> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let neg = int.starts_with('-');
    let int = int.trim_start_matches(['+', '-']);
    let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    // value = (int + frac) * scale; keep 9 fractional digits exactly.
    let frac9: i128 = format!("{frac:0<9}").get(..9)?.parse().ok()?;
    let nanos = int * 1_000_000_000 + frac9;
    let (mul, div): (i128, i128) = match suffix {
        "" => (1, 1),
        "m" => (1, 1000),
        "k" => (1_000, 1),
        "M" => (1_000_000, 1),
        "G" => (1_000_000_000, 1),
        "T" => (1_000_000_000_000, 1),
        "P" => (1_000_000_000_000_000, 1),
        "E" => (1_000_000_000_000_000_000, 1),
        "Ki" => (1 << 10, 1),
        "Mi" => (1 << 20, 1),
        "Gi" => (1 << 30, 1),
        "Ti" => (1 << 40, 1),
        "Pi" => (1 << 50, 1),
        "Ei" => (1 << 60, 1),
        s if s.starts_with(['e', 'E']) => {
            let exp: u32 = s[1..].parse().ok()?;
            (10i128.checked_pow(exp)?, 1)
        }
        _ => return None,
    };
    // millis = nanos * mul / div / 1e6, rounded up as the API does.
    let v = nanos.checked_mul(mul)?;
    let d = div * 1_000_000;
    let r = (v + d - 1).div_euclid(d);
    Some(if neg { -r } else { r })
}

/// `resourceFieldRef` (K8S:pkg/api/v1/resource `ExtractContainerResourceValue`): CPU rounded up
/// to whole divisors, memory and storage in divisor units rounded up. A missing limit falls
/// back to the node's allocatable; a missing request to the limit, else 0.
pub fn resource_value(
    container: &Container,
    r: &ResourceFieldSelector,
    allocatable: Option<&BTreeMap<String, Quantity>>,
) -> Result<String, ConfigError> {
    let res = container.resources.as_ref();
    let (kind, name) =
        r.resource
            .split_once('.')
            .ok_or_else(|| ConfigError::UnsupportedResource {
                resource: r.resource.clone(),
            })?;
    if !matches!(name, "cpu" | "memory" | "ephemeral-storage") {
        return Err(ConfigError::UnsupportedResource {
            resource: r.resource.clone(),
        });
    }
    let limit = res
        .and_then(|x| x.limits.as_ref())
        .and_then(|l| l.get(name))
        .or_else(|| allocatable.and_then(|a| a.get(name)));
    let q = match kind {
        "limits" => limit,
        "requests" => res
            .and_then(|x| x.requests.as_ref())
            .and_then(|l| l.get(name))
            .or_else(|| {
                res.and_then(|x| x.limits.as_ref())
                    .and_then(|l| l.get(name))
            }),
        _ => {
            return Err(ConfigError::UnsupportedResource {
                resource: r.resource.clone(),
            })
        }
    };
    let value = q.and_then(|q| quantity_millis(&q.0)).unwrap_or(0);
    let divisor = r
        .divisor
        .as_ref()
        .and_then(|d| quantity_millis(&d.0))
        .filter(|d| *d > 0)
        .unwrap_or(1000);
    // ceil(value / divisor), both in milli-units.
    Ok(((value + divisor - 1).div_euclid(divisor)).to_string())
}

/// A mounted file's contents. A service account token is kept as what it says and written
/// out only when the file is read: most containers never read theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileData {
    /// Shareable: the kubelet keeps one copy of contents many containers mount (every pod's
    /// token volume holds the same `ca.crt`).
    Bytes(Rc<[u8]>),
    Token(Box<crate::serviceaccount::TokenClaims>),
}

impl FileData {
    /// The file's bytes.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            FileData::Bytes(b) => std::borrow::Cow::Borrowed(&b[..]),
            FileData::Token(t) => std::borrow::Cow::Owned(t.render().into_bytes()),
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            FileData::Bytes(b) => b.to_vec(),
            FileData::Token(t) => t.render().into_bytes(),
        }
    }
}

impl From<Vec<u8>> for FileData {
    fn from(b: Vec<u8>) -> FileData {
        FileData::Bytes(b.into())
    }
}

/// One file a configMap or secret volume projects, relative to the volume's root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectedFile {
    pub path: String,
    pub data: FileData,
    /// Permission bits (`0o644` unless `defaultMode` or the item's `mode` say otherwise).
    pub mode: i32,
}

/// Why a volume could not be set up; the kubelet reports `FailedMount` with
/// `MountVolume.SetUp failed for volume "<volume>" : <message>` and keeps the pod in
/// `ContainerCreating`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountError {
    pub volume: String,
    pub message: String,
    /// The ConfigMap or Secret whose appearance or change could clear this error.
    pub waits_on: (kubeplay_api::Kind, String),
}

impl MountError {
    pub fn event_message(&self) -> String {
        format!(
            "MountVolume.SetUp failed for volume \"{}\" : {}",
            self.volume, self.message
        )
    }
}

const DEFAULT_MODE: i32 = 0o644;

fn payload(
    items: Option<&Vec<KeyToPath>>,
    default_mode: i32,
    optional: bool,
    data: &BTreeMap<&str, &[u8]>,
    missing_key: impl Fn(&str) -> String,
) -> Result<Vec<ProjectedFile>, String> {
    let mut out = BTreeMap::new();
    match items.filter(|i| !i.is_empty()) {
        None => {
            for (k, v) in data {
                out.insert(k.to_string(), (Rc::from(*v), default_mode));
            }
        }
        Some(items) => {
            for it in items {
                match data.get(it.key.as_str()) {
                    Some(v) => {
                        out.insert(
                            it.path.clone(),
                            (Rc::from(*v), it.mode.unwrap_or(default_mode)),
                        );
                    }
                    None if optional => {}
                    None => return Err(missing_key(&it.key)),
                }
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|(path, (data, mode))| ProjectedFile {
            path,
            data: FileData::Bytes(data),
            mode,
        })
        .collect())
}

/// The files of a configMap or secret volume (`None` for other volume types). A missing
/// optional object gives an empty volume; a missing key listed in `items` fails the mount
/// unless the volume is optional.
pub fn project_volume(
    ns: &str,
    vol: &Volume,
    src: &impl ConfigSource,
) -> Option<Result<Vec<ProjectedFile>, MountError>> {
    if let Some(c) = &vol.config_map {
        let mode = c.default_mode.unwrap_or(DEFAULT_MODE);
        let optional = c.optional == Some(true);
        return Some(config_map_files(
            ns,
            &vol.name,
            &c.name,
            c.items.as_ref(),
            optional,
            mode,
            src,
        ));
    }
    if let Some(s) = &vol.secret {
        let name = s.secret_name.as_deref().unwrap_or_default();
        let mode = s.default_mode.unwrap_or(DEFAULT_MODE);
        let optional = s.optional == Some(true);
        return Some(secret_files(
            ns,
            &vol.name,
            name,
            s.items.as_ref(),
            optional,
            mode,
            src,
        ));
    }
    None
}

/// The files of ConfigMap `name` in volume `volume` (a configMap volume, or a projected
/// volume's configMap source).
fn config_map_files(
    ns: &str,
    volume: &str,
    name: &str,
    items: Option<&Vec<KeyToPath>>,
    optional: bool,
    mode: i32,
    src: &impl ConfigSource,
) -> Result<Vec<ProjectedFile>, MountError> {
    let fail = |message: String| MountError {
        volume: volume.to_string(),
        message,
        waits_on: (kubeplay_api::Kind::ConfigMap, name.to_string()),
    };
    // Borrowed: only the keys the volume projects are copied (by `payload`).
    let data: BTreeMap<&str, &[u8]> = match src.config_map(ns, name) {
        Some(cm) => cm
            .data
            .iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .chain(
                cm.binary_data
                    .iter()
                    .flatten()
                    .map(|(k, v)| (k.as_str(), v.0.as_slice())),
            )
            .collect_map(),
        None if optional => BTreeMap::new(),
        None => return Err(fail(format!("configmap \"{name}\" not found"))),
    };
    payload(items, mode, optional, &data, |k| {
        format!("configmap references non-existent config key: {k}")
    })
    .map_err(fail)
}

/// The files of Secret `name` in volume `volume` (a secret volume, or a projected volume's
/// secret source).
fn secret_files(
    ns: &str,
    volume: &str,
    name: &str,
    items: Option<&Vec<KeyToPath>>,
    optional: bool,
    mode: i32,
    src: &impl ConfigSource,
) -> Result<Vec<ProjectedFile>, MountError> {
    let fail = |message: String| MountError {
        volume: volume.to_string(),
        message,
        waits_on: (kubeplay_api::Kind::Secret, name.to_string()),
    };
    let data: BTreeMap<&str, &[u8]> = match src.secret(ns, name) {
        Some(sec) => sec
            .data
            .iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.0.as_slice()))
            .collect_map(),
        None if optional => BTreeMap::new(),
        None => return Err(fail(format!("secret \"{name}\" not found"))),
    };
    payload(items, mode, optional, &data, |k| {
        format!("references non-existent secret key: {k}")
    })
    .map_err(fail)
}

/// The files of a projected volume: its configMap, secret, downwardAPI and
/// serviceAccountToken sources merged into one directory, each file with the volume's
/// `defaultMode` unless its item sets a mode.
fn project_sources(
    pod: &Pod,
    volume: &str,
    p: &ProjectedVolumeSource,
    src: &impl ConfigSource,
) -> Result<Vec<ProjectedFile>, MountError> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mode = p.default_mode.unwrap_or(DEFAULT_MODE);
    // Every source's files in order, then sorted by path with the last of each path kept
    // (as a map by path would hold them, without a copy of each path as its key).
    let mut out: Vec<ProjectedFile> = Vec::new();
    for s in p.sources.iter().flatten() {
        // configMap and secret sources behave as volumes of their own with the projected
        // volume's name and mode.
        if let Some(c) = &s.config_map {
            let optional = c.optional == Some(true);
            let mut files =
                config_map_files(ns, volume, &c.name, c.items.as_ref(), optional, mode, src)?;
            append(&mut out, &mut files);
        } else if let Some(c) = &s.secret {
            let optional = c.optional == Some(true);
            let mut files =
                secret_files(ns, volume, &c.name, c.items.as_ref(), optional, mode, src)?;
            append(&mut out, &mut files);
        }
        // The other sources' files go straight into `out` (no list of their own each).
        let files = &mut out;
        for item in s.downward_api.iter().flat_map(|d| d.items.iter().flatten()) {
            let value = match &item.field_ref {
                Some(f) => field_value(pod, f).unwrap_or_default(),
                None => String::new(),
            };
            files.push(ProjectedFile {
                path: item.path.clone(),
                data: FileData::Bytes(value.into_bytes().into()),
                mode: item.mode.unwrap_or(mode),
            });
        }
        if let Some(t) = &s.service_account_token {
            files.push(token_file(pod, t, mode));
        }
    }
    sort_unique(&mut out);
    Ok(out)
}

/// The token file of a `serviceAccountToken` projection, for `pod`.
fn token_file(pod: &Pod, t: &ServiceAccountTokenProjection, mode: i32) -> ProjectedFile {
    let issued = pod
        .status
        .as_ref()
        .and_then(|s| s.start_time.as_ref())
        .or(pod.metadata.creation_timestamp.as_ref())
        .map(|t| (crate::time::millis_of(t) / 1000) as i64)
        .unwrap_or(0)
        + crate::time::EPOCH_SECONDS;
    ProjectedFile {
        path: t.path.clone(),
        data: FileData::Token(Box::new(crate::serviceaccount::TokenClaims::of(
            pod, issued,
        ))),
        mode,
    }
}

/// Sorted by path, the last file of each path kept (as a map by path would hold them, without
/// a copy of each path as its key). Stable: files of one path stay in source order (kept in
/// place: `out[..kept]` holds the files kept so far).
fn sort_unique(out: &mut Vec<ProjectedFile>) {
    kubeplay_sort::sort_by(out, |a, b| a.path.cmp(&b.path));
    let mut kept = 0;
    for i in 0..out.len() {
        if kept > 0 && out[kept - 1].path == out[i].path {
            out.swap(kept - 1, i);
        } else {
            out.swap(kept, i);
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// The files of the token volume admission made for `pod` (named `volume`), as
/// `project_sources` of its sources would give them: those every pod of the namespace shares
/// through `src` ([`ConfigSource::token_volume_files`]), and the pod's own token.
fn token_volume_files(
    pod: &Pod,
    volume: &str,
    src: &impl ConfigSource,
) -> Result<Vec<ProjectedFile>, MountError> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    crate::serviceaccount::with_token_sources(|p| {
        let shared = src.token_volume_files(ns, || {
            let mut files = project_sources(pod, volume, p, src)?;
            files.retain(|f| !matches!(f.data, FileData::Token(_)));
            Ok(files)
        })?;
        let mode = p.default_mode.unwrap_or(DEFAULT_MODE);
        let tokens = p.sources.iter().flatten();
        let tokens = tokens.filter_map(|s| s.service_account_token.as_ref());
        let mut files = Vec::with_capacity(shared.len() + 1);
        files.extend(shared.iter().cloned());
        files.extend(tokens.map(|t| token_file(pod, t, mode)));
        sort_unique(&mut files);
        Ok(files)
    })
}

/// `out.append(files)`, taking `files`' list itself when `out` is empty (no copy into a list
/// of its own).
fn append(out: &mut Vec<ProjectedFile>, files: &mut Vec<ProjectedFile>) {
    if out.is_empty() {
        std::mem::swap(out, files);
    } else {
        out.append(files);
    }
}

/// A file as one container sees it, at an absolute path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountedFile {
    pub path: String,
    pub data: FileData,
    pub mode: i32,
    /// Which volume it comes from.
    pub volume: String,
    /// Mounted through `subPath`: a copy taken at container start that never refreshes.
    pub sub_path: bool,
}

/// What a container's configMap/secret volume mounts hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mounts {
    pub files: Vec<MountedFile>,
    /// Mount points (absolute) that exist even when empty: "Kubernetes always creates the
    /// mount paths for the volume, even if the referenced ConfigMap or key doesn't exist."
    pub dirs: Vec<String>,
}

fn join(dir: &str, rel: &str) -> String {
    if rel.is_empty() {
        return dir.to_string();
    }
    let dir = dir.trim_end_matches('/');
    let mut path = String::with_capacity(dir.len() + 1 + rel.len());
    path.push_str(dir);
    path.push('/');
    path.push_str(rel);
    path
}

/// The configMap/secret files of every volume the container mounts. The first volume that
/// cannot be set up fails the whole pod's mount (the kubelet waits for all volumes).
pub fn container_mounts(
    pod: &Pod,
    container: &Container,
    src: &impl ConfigSource,
) -> Result<Mounts, MountError> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    // A pod has few volumes: found by a walk, not through a map built for each start (the
    // last of a name, as a map of them would keep).
    let volumes: &[Volume] = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_deref())
        .unwrap_or_default();
    let mut mounts = Mounts::default();
    for vm in container.volume_mounts.iter().flatten() {
        let Some(vol) = volumes.iter().rfind(|v| v.name == vm.name) else {
            // The token volume admission made for the pod, implied by its mounts.
            if crate::serviceaccount::is_implied_token_mount(pod, &vm.name) {
                add_files(&mut mounts, vm, token_volume_files(pod, &vm.name, src)?);
            }
            continue;
        };
        let files = match &vol.projected {
            Some(p) => project_sources(pod, &vol.name, p, src)?,
            None => match project_volume(ns, vol, src) {
                Some(files) => files?,
                None => continue,
            },
        };
        add_files(&mut mounts, vm, files);
    }
    Ok(mounts)
}

/// A volume's files as the mount `vm` shows them, added to `mounts`.
fn add_files(
    mounts: &mut Mounts,
    vm: &kubeplay_api::k8s_openapi::api::core::v1::VolumeMount,
    files: Vec<ProjectedFile>,
) {
    let sub = vm.sub_path.as_deref().unwrap_or_default().trim_matches('/');
    if sub.is_empty() {
        mounts.dirs.push(vm.mount_path.clone());
    }
    for f in files {
        let rel = if sub.is_empty() {
            Some(f.path.as_str())
        } else if f.path == sub {
            Some("")
        } else {
            f.path.strip_prefix(sub).and_then(|r| r.strip_prefix('/'))
        };
        if let Some(rel) = rel {
            mounts.files.push(MountedFile {
                path: join(&vm.mount_path, rel),
                data: f.data,
                mode: f.mode,
                volume: vm.name.clone(),
                sub_path: !sub.is_empty(),
            });
        }
    }
}

/// How often the kubelet resyncs a running pod (`syncFrequency`, 1 minute). Mounted
/// configMap/secret volumes pick up changes on that resync: the kubelet's watch-based object
/// cache is current at once, so the delay is the time to the pod's next resync, in (0, 60] s.
/// Env vars never change; files mounted with `subPath` never change.
pub const VOLUME_SYNC_PERIOD: crate::time::Millis = 60_000;

/// The first resync tick of a pod whose worker started at `since` that comes after `now`.
pub fn next_volume_sync(
    since: crate::time::Millis,
    now: crate::time::Millis,
) -> crate::time::Millis {
    let elapsed = now.saturating_sub(since);
    since + (elapsed / VOLUME_SYNC_PERIOD + 1) * VOLUME_SYNC_PERIOD
}

/// A container's projected files after a resync: `subPath` files keep the bytes they had when
/// the container started; every other path is what the volumes hold now (files of keys that
/// were removed disappear).
pub fn refresh_projected(
    old: &BTreeMap<String, FileData>,
    sub_paths: &std::collections::BTreeSet<String>,
    fresh: &Mounts,
) -> BTreeMap<String, FileData> {
    let mut out: BTreeMap<String, FileData> = old
        .iter()
        .filter(|(p, _)| sub_paths.contains(*p))
        .map(|(p, d)| (p.clone(), d.clone()))
        .collect_map();
    for f in fresh.files.iter().filter(|f| !f.sub_path) {
        out.insert(f.path.clone(), f.data.clone());
    }
    out
}

/// The ConfigMaps and Secrets a pod refers to (env, envFrom, volumes), for deciding which
/// pods to look at again when one of them changes.
pub fn referenced(pod: &Pod) -> Vec<(kubeplay_api::Kind, String)> {
    use kubeplay_api::Kind;
    let mut out = Vec::new();
    let Some(spec) = pod.spec.as_ref() else {
        return out;
    };
    let all = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter());
    for c in all {
        for f in c.env_from.iter().flatten() {
            if let Some(r) = &f.config_map_ref {
                out.push((Kind::ConfigMap, r.name.clone()));
            }
            if let Some(r) = &f.secret_ref {
                out.push((Kind::Secret, r.name.clone()));
            }
        }
        for e in c.env.iter().flatten() {
            if let Some(vf) = &e.value_from {
                if let Some(r) = &vf.config_map_key_ref {
                    out.push((Kind::ConfigMap, r.name.clone()));
                }
                if let Some(r) = &vf.secret_key_ref {
                    out.push((Kind::Secret, r.name.clone()));
                }
            }
        }
    }
    for v in spec.volumes.iter().flatten() {
        if let Some(c) = &v.config_map {
            out.push((Kind::ConfigMap, c.name.clone()));
        }
        if let Some(s) = &v.secret {
            out.push((Kind::Secret, s.secret_name.clone().unwrap_or_default()));
        }
    }
    kubeplay_sort::sort(&mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_api::decode;
    use kubeplay_api::Object;

    #[derive(Default)]
    struct Src {
        cms: Vec<ConfigMap>,
        secrets: Vec<Secret>,
    }
    impl ConfigSource for Src {
        fn config_map(&self, ns: &str, name: &str) -> Option<&ConfigMap> {
            self.cms.iter().find(|c| {
                c.metadata.name.as_deref() == Some(name)
                    && c.metadata.namespace.as_deref().unwrap_or("default") == ns
            })
        }
        fn secret(&self, ns: &str, name: &str) -> Option<&Secret> {
            self.secrets.iter().find(|c| {
                c.metadata.name.as_deref() == Some(name)
                    && c.metadata.namespace.as_deref().unwrap_or("default") == ns
            })
        }
    }

    fn objects(text: &str) -> (Src, Vec<Pod>) {
        let mut src = Src::default();
        let mut pods = vec![];
        for doc in decode::parse_documents(text).unwrap() {
            let mut o = decode::decode(&doc).unwrap();
            kubeplay_api::defaults::apply(&mut o);
            match o {
                Object::ConfigMap(c) => src.cms.push(*c),
                Object::Secret(s) => src.secrets.push(*s),
                Object::Pod(p) => pods.push(*p),
                _ => {}
            }
        }
        (src, pods)
    }

    fn env_of(src: &Src, pod: &Pod) -> Result<ResolvedEnv, String> {
        let c = &pod.spec.as_ref().unwrap().containers[0];
        resolve_env(pod, c, src, &[], None).map_err(|e| e.message())
    }

    fn pairs(env: &ResolvedEnv) -> Vec<String> {
        env.vars
            .iter()
            .map(|v| format!("{}={}", v.name, v.value))
            .collect()
    }

    const SEED: &str = "
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {APP_COLOR: blue, APP_MODE: prod}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
data: {DB_HOST: bXlzcWw=, DB_USER: cm9vda==, DB_PASSWORD: cGFzd3Jk}
---
apiVersion: v1
kind: Pod
metadata: {name: webapp, labels: {app: web, tier: front}}
spec:
  nodeName: node01
  containers:
  - name: webapp
    image: nginx
    envFrom:
    - configMapRef: {name: app-config}
    - secretRef: {name: app-secret}
    env:
    - {name: APP_COLOR, value: pink}
    - name: PASSWORD
      valueFrom: {secretKeyRef: {name: app-secret, key: DB_PASSWORD}}
    - {name: GREETING, value: 'color $(APP_COLOR) in $(MISSING) costs $$(APP_COLOR) $$5'}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: TIER
      valueFrom: {fieldRef: {fieldPath: \"metadata.labels['tier']\"}}
    - name: NODE
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: MODE
      valueFrom: {configMapKeyRef: {name: app-config, key: APP_MODE}}
";

    #[test]
    fn precedence_expansion_and_sources() {
        let (src, pods) = objects(SEED);
        let env = env_of(&src, &pods[0]).unwrap();
        assert_eq!(
            pairs(&env),
            vec![
                "APP_COLOR=pink",
                "APP_MODE=prod",
                "DB_HOST=mysql",
                "DB_PASSWORD=paswrd",
                "DB_USER=roou",
                "PASSWORD=paswrd",
                "GREETING=color pink in $(MISSING) costs $(APP_COLOR) $5",
                "POD=webapp",
                "TIER=front",
                "NODE=node01",
                "MODE=prod",
            ]
        );
        assert_eq!(env.vars[0].source, EnvSource::Value);
        assert_eq!(
            env.vars[1].source,
            EnvSource::ConfigMapEnvFrom {
                name: "app-config".into(),
                key: "APP_MODE".into()
            }
        );
        assert_eq!(
            env.vars[5].source,
            EnvSource::SecretKey {
                name: "app-secret".into(),
                key: "DB_PASSWORD".into()
            }
        );
    }

    #[test]
    fn expansion_rules() {
        let look = |n: &str| (n == "A").then(|| "x".to_string());
        assert_eq!(expand("$(A)$(B)", look), "x$(B)");
        assert_eq!(expand("$$(A)", look), "$(A)");
        assert_eq!(expand("$(A", look), "$(A");
        assert_eq!(expand("a$", look), "a$");
        assert_eq!(expand("$A $", look), "$A $");
        assert_eq!(expand("ü$(A)ü", look), "üxü");
    }

    #[test]
    fn missing_objects_and_keys_are_config_errors() {
        let (src, pods) = objects(SEED);
        let mut pod = pods[0].clone();
        let empty = Src::default();
        assert_eq!(
            env_of(&empty, &pod).unwrap_err(),
            "configmap \"app-config\" not found"
        );
        let c = &mut pod.spec.as_mut().unwrap().containers[0];
        c.env_from = None;
        c.env.as_mut().unwrap()[1]
            .value_from
            .as_mut()
            .unwrap()
            .secret_key_ref
            .as_mut()
            .unwrap()
            .key = "NOPE".into();
        assert_eq!(
            env_of(&src, &pod).unwrap_err(),
            "couldn't find key NOPE in Secret default/app-secret"
        );
        let c = &mut pod.spec.as_mut().unwrap().containers[0];
        c.env.as_mut().unwrap()[1]
            .value_from
            .as_mut()
            .unwrap()
            .secret_key_ref
            .as_mut()
            .unwrap()
            .optional = Some(true);
        let env = env_of(&src, &pod).unwrap();
        assert!(env.get("PASSWORD").is_none());
        let c = &mut pod.spec.as_mut().unwrap().containers[0];
        c.env.as_mut().unwrap()[6]
            .value_from
            .as_mut()
            .unwrap()
            .config_map_key_ref
            .as_mut()
            .unwrap()
            .key = "APP_X".into();
        assert_eq!(
            env_of(&src, &pod).unwrap_err(),
            "couldn't find key APP_X in ConfigMap default/app-config"
        );
    }

    #[test]
    fn invalid_env_from_keys_are_skipped_with_a_warning() {
        let (src, pods) = objects(
            "apiVersion: v1
kind: ConfigMap
metadata: {name: myconfig}
data: {ok: '1', 'a=b': '2', 'c=d': '3'}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    envFrom:
    - configMapRef: {name: myconfig}
      prefix: CFG_
",
        );
        let env = env_of(&src, &pods[0]).unwrap();
        assert_eq!(pairs(&env), vec!["CFG_ok=1"]);
        assert_eq!(env.invalid_names, vec!["Keys [CFG_a=b, CFG_c=d] from the EnvFrom configMap default/myconfig were skipped since they are considered invalid environment variable names.".to_string()]);
    }

    #[test]
    fn resource_field_refs() {
        let (src, pods) = objects(
            "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    resources:
      requests: {cpu: 250m, memory: 32Mi}
      limits: {cpu: 500m, memory: 64Mi}
    env:
    - name: CPU_LIMIT
      valueFrom: {resourceFieldRef: {resource: limits.cpu}}
    - name: CPU_REQ_M
      valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}
    - name: MEM_LIMIT
      valueFrom: {resourceFieldRef: {resource: limits.memory}}
    - name: MEM_REQ_MI
      valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Mi}}
",
        );
        let env = env_of(&src, &pods[0]).unwrap();
        assert_eq!(
            pairs(&env),
            vec![
                "CPU_LIMIT=1",
                "CPU_REQ_M=250",
                "MEM_LIMIT=67108864",
                "MEM_REQ_MI=32"
            ]
        );
    }

    const VOLS: &str = "
apiVersion: v1
kind: ConfigMap
metadata: {name: special-config}
data: {SPECIAL_LEVEL: very, SPECIAL_TYPE: charm}
---
apiVersion: v1
kind: Secret
metadata: {name: test-secret}
data: {username: bXktYXBw, password: Mzk1MjgkdmRnN0pi}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    volumeMounts:
    - {name: config-volume, mountPath: /etc/config}
    - {name: keys, mountPath: /etc/keys}
    - {name: secret-volume, mountPath: /etc/secret-volume, readOnly: true}
    - {name: config-volume, mountPath: /app/level.txt, subPath: SPECIAL_LEVEL}
  volumes:
  - name: config-volume
    configMap: {name: special-config}
  - name: keys
    configMap:
      name: special-config
      items: [{key: SPECIAL_LEVEL, path: my-group/keys}]
  - name: secret-volume
    secret: {secretName: test-secret, defaultMode: 0400}
";

    #[test]
    fn volumes_project_keys_items_modes_and_sub_paths() {
        let (src, pods) = objects(VOLS);
        let pod = &pods[0];
        let m = container_mounts(pod, &pod.spec.as_ref().unwrap().containers[0], &src).unwrap();
        let got: Vec<String> = m
            .files
            .iter()
            .map(|f| {
                format!(
                    "{} {:o} {} {}",
                    f.path,
                    f.mode,
                    String::from_utf8_lossy(&f.data.bytes()),
                    f.sub_path
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                "/etc/config/SPECIAL_LEVEL 644 very false",
                "/etc/config/SPECIAL_TYPE 644 charm false",
                "/etc/keys/my-group/keys 644 very false",
                "/etc/secret-volume/password 400 39528$vdg7Jb false",
                "/etc/secret-volume/username 400 my-app false",
                "/app/level.txt 644 very true",
            ]
        );
    }

    #[test]
    fn missing_volume_sources() {
        let (_, pods) = objects(VOLS);
        let pod = &pods[0];
        let c = &pod.spec.as_ref().unwrap().containers[0];
        let err = container_mounts(pod, c, &Src::default()).unwrap_err();
        assert_eq!(
            err.event_message(),
            "MountVolume.SetUp failed for volume \"config-volume\" : configmap \"special-config\" not found"
        );
        let (mut src, _) = objects(VOLS);
        src.cms[0].data.as_mut().unwrap().remove("SPECIAL_LEVEL");
        let err = container_mounts(pod, c, &src).unwrap_err();
        assert_eq!(
            err.message,
            "configmap references non-existent config key: SPECIAL_LEVEL"
        );
        // Optional: the mount point exists and is empty.
        let mut pod = pod.clone();
        for v in pod.spec.as_mut().unwrap().volumes.as_mut().unwrap() {
            if let Some(c) = v.config_map.as_mut() {
                c.optional = Some(true);
            }
            if let Some(s) = v.secret.as_mut() {
                s.optional = Some(true);
            }
        }
        let m = container_mounts(&pod, c, &Src::default()).unwrap();
        assert!(m.files.is_empty());
        assert_eq!(
            m.dirs,
            vec!["/etc/config", "/etc/keys", "/etc/secret-volume"]
        );
    }

    #[test]
    fn resync_ticks_and_sub_paths() {
        assert_eq!(next_volume_sync(1_000, 1_000), 61_000);
        assert_eq!(next_volume_sync(1_000, 60_999), 61_000);
        assert_eq!(next_volume_sync(1_000, 61_000), 121_000);
        let (mut src, pods) = objects(VOLS);
        let pod = &pods[0];
        let c = &pod.spec.as_ref().unwrap().containers[0];
        let first = container_mounts(pod, c, &src).unwrap();
        let old: BTreeMap<String, FileData> = first
            .files
            .iter()
            .map(|f| (f.path.clone(), f.data.clone()))
            .collect();
        let subs = first
            .files
            .iter()
            .filter(|f| f.sub_path)
            .map(|f| f.path.clone())
            .collect();
        let data = src.cms[0].data.as_mut().unwrap();
        data.insert("SPECIAL_LEVEL".into(), "extremely".into());
        data.remove("SPECIAL_TYPE");
        let now = refresh_projected(&old, &subs, &container_mounts(pod, c, &src).unwrap());
        let text = |p: &str| now[p].bytes().into_owned();
        assert_eq!(text("/etc/config/SPECIAL_LEVEL"), b"extremely");
        assert!(!now.contains_key("/etc/config/SPECIAL_TYPE"));
        assert_eq!(text("/etc/keys/my-group/keys"), b"extremely");
        assert_eq!(text("/app/level.txt"), b"very");
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity_millis("500m"), Some(500));
        assert_eq!(quantity_millis("1.5"), Some(1500));
        assert_eq!(quantity_millis("64Mi"), Some(64 * 1024 * 1024 * 1000));
        assert_eq!(quantity_millis("1e3"), Some(1_000_000));
        assert_eq!(quantity_millis("x"), None);
    }
}

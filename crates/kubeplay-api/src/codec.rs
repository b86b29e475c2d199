//! Typed objects to and from JSON values through field tables instead of k8s-openapi's serde
//! impls, with the same results and the same errors.
//!
//! Why: k8s-openapi generates a `Deserialize` and a `Serialize` impl per type, a `match` over
//! every field name and a call per field, monomorphized for each field's type. For the ~190
//! types reachable from the kinds kubeplay serves that was the largest code in the page's
//! WebAssembly (about 450 KB). Here each struct is a table (`codec_gen.rs`, generated from
//! k8s-openapi's sources by `gen/codec.py`): JSON name, offset, and the functions that decode
//! and encode that field's type, shared by every field of the same type. Leaf types
//! (strings, numbers, `Quantity`, `IntOrString`, `Time`, `ByteString`...) still go through
//! their serde impls, through [`crate::de`]'s deserializer, so their errors are serde's.
//!
//! The tables follow the pattern every k8s-openapi struct's serde code follows (checked by
//! the generator, which leaves any type that does not to serde): an absent or `null` field
//! keeps its default (required fields included), unknown fields are ignored, a value that is
//! not an object is "invalid type: ..., expected <Type>"; on encode, `None` fields are
//! skipped and required ones always written; resources also check and write `apiVersion`
//! and `kind`. `tests` compare both ways against serde on whole objects.

use crate::de::{unexpected, De, Seg, Track};
use serde::de::{Error as _, Unexpected};
use serde_json::{Error, Map, Value};
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// A type that can be read from and written to a JSON value.
pub trait Codec: Sized {
    fn dec(v: Value, t: &Track) -> Result<Self, Error>;
    fn enc(&self) -> Value;
    /// Decode into `slot` (a default value). A struct fills it in place, which spares
    /// building and moving a whole value per field type; after an error `slot` holds
    /// whatever was read, and the caller drops the whole object.
    fn dec_into(slot: &mut Self, v: Value, t: &Track) -> Result<(), Error> {
        *slot = Self::dec(v, t)?;
        Ok(())
    }
    /// A default value to decode into.
    fn blank() -> Self;
}

/// Decode `T` from `v`; on failure also the path of the value that failed, written as
/// serde_path_to_error writes it (`a.b[0].c`, `.` for the root).
pub fn from_value<T: Codec>(v: Value) -> Result<T, (String, Error)> {
    let t = Track::default();
    T::dec(v, &t).map_err(|e| (t.failed_path(), e))
}

/// `serde_json::to_value(x)` for the k8s-openapi types kubeplay serves.
pub fn to_value<T: Codec>(x: &T) -> Value {
    x.enc()
}

/// How one field's type is read and written, behind its offset in the struct.
pub struct FieldType {
    dec: unsafe fn(*mut u8, Value, &Track) -> Result<(), Error>,
    enc: unsafe fn(*const u8) -> Option<Value>,
}

pub struct Field {
    pub name: &'static str,
    pub off: usize,
    pub ty: &'static FieldType,
}

/// A struct's table.
pub struct Info {
    /// What serde's visitor expects (`Container`), for "invalid type" errors.
    pub expecting: &'static str,
    /// `apiVersion` and `kind`, for resources.
    pub resource: Option<(&'static str, &'static str)>,
    pub fields: &'static [Field],
}

pub trait Struct: Default {
    const INFO: Info;
}

/// A required field (`T`): absent or null keeps the default.
pub struct Req<T>(PhantomData<T>);
/// An optional field (`Option<T>`): absent or null is `None`.
pub struct Opt<T>(PhantomData<T>);

impl<T: Codec> Req<T> {
    pub const FT: FieldType = FieldType {
        dec: dec_req::<T>,
        enc: enc_req::<T>,
    };
}

impl<T: Codec> Opt<T> {
    pub const FT: FieldType = FieldType {
        dec: dec_opt::<T>,
        enc: enc_opt::<T>,
    };
}

/// A field that must be read even when null (`Condition.lastTransitionTime`).
struct Must<T>(PhantomData<T>);

impl<T: Codec> Must<T> {
    const FT: FieldType = FieldType {
        dec: dec_must::<T>,
        enc: enc_req::<T>,
    };
}

/// # Safety
/// `p` points to an initialized `T`.
unsafe fn dec_must<T: Codec>(p: *mut u8, v: Value, t: &Track) -> Result<(), Error> {
    T::dec_into(&mut *(p as *mut T), v, t)
}

/// # Safety
/// `p` points to an initialized `T` (the table's offset and type agree: `table!` checks).
unsafe fn dec_req<T: Codec>(p: *mut u8, v: Value, t: &Track) -> Result<(), Error> {
    if v.is_null() {
        return Ok(());
    }
    T::dec_into(&mut *(p as *mut T), v, t)
}

/// # Safety
/// `p` points to an initialized `Option<T>`.
unsafe fn dec_opt<T: Codec>(p: *mut u8, v: Value, t: &Track) -> Result<(), Error> {
    if v.is_null() {
        return Ok(());
    }
    // The slot is `None` here (a field is met once in a JSON object, and decoding starts from
    // a default value), so it is filled, never replaced: no drop of an old value per type.
    let slot = (*(p as *mut Option<T>)).get_or_insert_with(T::blank);
    T::dec_into(slot, v, t)
}

/// # Safety
/// `p` points to a `T`.
unsafe fn enc_req<T: Codec>(p: *const u8) -> Option<Value> {
    Some((*(p as *const T)).enc())
}

/// # Safety
/// `p` points to an `Option<T>`.
unsafe fn enc_opt<T: Codec>(p: *const u8) -> Option<Value> {
    (*(p as *const Option<T>)).as_ref().map(T::enc)
}

/// Fill the struct at `base` (a default value) from `v`, by its table.
///
/// # Safety
/// `base` points to the struct `info` describes.
#[inline(never)]
unsafe fn fill(base: *mut u8, info: &Info, v: Value, t: &Track) -> Result<(), Error> {
    let m = match v {
        // serde's visitor would take an array through `visit_seq`, which these types refuse
        // with the same message.
        Value::Object(m) => m,
        other => return Err(Error::invalid_type(unexpected(&other), &info.expecting)),
    };
    for (k, v) in m {
        if let Some((api_version, kind)) = info.resource {
            let want = match k.as_str() {
                "apiVersion" => Some(api_version),
                "kind" => Some(kind),
                _ => None,
            };
            if let Some(want) = want {
                t.enter(Seg::Key(k));
                let r = <String as serde::Deserialize>::deserialize(De { v, t });
                t.leave(r.is_err());
                let got = r?;
                if got != want {
                    return Err(Error::invalid_value(Unexpected::Str(&got), &want));
                }
                continue;
            }
        }
        let Some(f) = info.fields.iter().find(|f| f.name == k) else {
            continue;
        };
        t.enter(Seg::Key(k));
        let r = (f.ty.dec)(base.add(f.off), v, t);
        t.leave(r.is_err());
        r?;
    }
    Ok(())
}

/// # Safety
/// `base` points to the struct `info` describes.
#[inline(never)]
unsafe fn dump(base: *const u8, info: &Info) -> Value {
    let mut m = Map::new();
    if let Some((api_version, kind)) = info.resource {
        m.insert("apiVersion".into(), Value::String(api_version.into()));
        m.insert("kind".into(), Value::String(kind.into()));
    }
    for f in info.fields {
        if let Some(v) = (f.ty.enc)(base.add(f.off)) {
            m.insert(f.name.into(), v);
        }
    }
    Value::Object(m)
}

impl<S: Struct> Codec for S {
    fn dec(v: Value, t: &Track) -> Result<S, Error> {
        let mut s = S::default();
        S::dec_into(&mut s, v, t)?;
        Ok(s)
    }
    fn dec_into(slot: &mut S, v: Value, t: &Track) -> Result<(), Error> {
        // SAFETY: `S::INFO` describes `S` (generated with `table!`, which checks each field's
        // offset and type).
        unsafe { fill(slot as *mut S as *mut u8, &S::INFO, v, t) }
    }
    fn blank() -> S {
        S::default()
    }
    fn enc(&self) -> Value {
        // SAFETY: as above.
        unsafe { dump(self as *const S as *const u8, &S::INFO) }
    }
}

/// Where [`dec_seq`] puts a list's items: a `Vec<T>`, behind one vtable per `T`.
trait SeqSink {
    fn reserve(&mut self, n: usize);
    /// Decode `v` into a new last item.
    fn item(&mut self, v: Value, t: &Track) -> Result<(), Error>;
}

impl<T: Codec> SeqSink for Vec<T> {
    fn reserve(&mut self, n: usize) {
        Vec::reserve_exact(self, n);
    }
    fn item(&mut self, v: Value, t: &Track) -> Result<(), Error> {
        self.push(T::blank());
        match self.last_mut() {
            Some(slot) => T::dec_into(slot, v, t),
            None => Ok(()),
        }
    }
}

/// A list's items into `out`, each under its index in the failing path. One copy for every
/// item type: the loop, the error and the path were ~500 bytes of code per `Vec<T>` field
/// type, of which there are 65.
#[inline(never)]
fn dec_seq(out: &mut dyn SeqSink, v: Value, t: &Track) -> Result<(), Error> {
    let a = match v {
        Value::Array(a) => a,
        other => return Err(Error::invalid_type(unexpected(&other), &"a sequence")),
    };
    out.reserve(a.len());
    for (i, v) in a.into_iter().enumerate() {
        t.enter(Seg::Index(i));
        let r = out.item(v, t);
        t.leave(r.is_err());
        r?;
    }
    Ok(())
}

/// A list of `n` values, the `i`th from `item(i)`; one copy for every item type.
#[inline(never)]
fn enc_seq(n: usize, item: &mut dyn FnMut(usize) -> Value) -> Value {
    let mut a = Vec::with_capacity(n);
    for i in 0..n {
        a.push(item(i));
    }
    Value::Array(a)
}

impl<T: Codec> Codec for Vec<T> {
    fn dec(v: Value, t: &Track) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        dec_seq(&mut out, v, t)?;
        Ok(out)
    }
    fn dec_into(slot: &mut Vec<T>, v: Value, t: &Track) -> Result<(), Error> {
        // A slot is a new, empty list (`blank`); filled where it is.
        slot.clear();
        dec_seq(slot, v, t)
    }
    fn blank() -> Vec<T> {
        Vec::new()
    }
    fn enc(&self) -> Value {
        enc_seq(self.len(), &mut |i| match self.get(i) {
            Some(x) => x.enc(),
            None => Value::Null,
        })
    }
}

impl<T: Codec> Codec for BTreeMap<String, T> {
    fn dec(v: Value, t: &Track) -> Result<BTreeMap<String, T>, Error> {
        let m = match v {
            Value::Object(m) => m,
            other => return Err(Error::invalid_type(unexpected(&other), &"a map")),
        };
        let mut out = BTreeMap::new();
        for (k, v) in m {
            t.enter(Seg::Key(k.clone()));
            let r = T::dec(v, t);
            t.leave(r.is_err());
            out.insert(k, r?);
        }
        Ok(out)
    }
    fn blank() -> BTreeMap<String, T> {
        BTreeMap::new()
    }
    fn enc(&self) -> Value {
        // Inserted one by one: collecting would sort (a copy of the sort per type).
        let mut m = Map::new();
        for (k, v) in self {
            m.insert(k.clone(), v.enc());
        }
        Value::Object(m)
    }
}

/// Types read and written by their own serde impls.
macro_rules! leaf {
    ($($t:ty),* $(,)?) => {$(
        impl Codec for $t {
            fn dec(v: Value, t: &Track) -> Result<$t, Error> {
                <$t as serde::Deserialize>::deserialize(De { v, t })
            }
            fn enc(&self) -> Value {
                serde_json::to_value(self).unwrap_or(Value::Null)
            }
            fn blank() -> $t {
                Default::default()
            }
        }
    )*};
}

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, FieldsV1, MicroTime, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::ByteString;

leaf!(String, bool, i32, i64, IntOrString, FieldsV1, ByteString);

/// `metav1.Condition` requires `lastTransitionTime` when read (absent is "missing field", null
/// an error from the time), so it has its own table rather than a generated one; it is
/// written as its `Serialize` writes it.
impl Codec for Condition {
    fn dec(v: Value, t: &Track) -> Result<Condition, Error> {
        const INFO: Info = Info {
            expecting: "Condition",
            resource: None,
            fields: &[
                Field {
                    name: "lastTransitionTime",
                    off: std::mem::offset_of!(Condition, last_transition_time),
                    ty: &Must::<Time>::FT,
                },
                Field {
                    name: "message",
                    off: std::mem::offset_of!(Condition, message),
                    ty: &Req::<String>::FT,
                },
                Field {
                    name: "observedGeneration",
                    off: std::mem::offset_of!(Condition, observed_generation),
                    ty: &Opt::<i64>::FT,
                },
                Field {
                    name: "reason",
                    off: std::mem::offset_of!(Condition, reason),
                    ty: &Req::<String>::FT,
                },
                Field {
                    name: "status",
                    off: std::mem::offset_of!(Condition, status),
                    ty: &Req::<String>::FT,
                },
                Field {
                    name: "type",
                    off: std::mem::offset_of!(Condition, type_),
                    ty: &Req::<String>::FT,
                },
            ],
        };
        const _: () = {
            // Each entry's type is the field's type.
            let _: fn(&Condition) -> &Time = |c| &c.last_transition_time;
            let _: fn(&Condition) -> &String = |c| &c.message;
            let _: fn(&Condition) -> &Option<i64> = |c| &c.observed_generation;
            let _: fn(&Condition) -> &String = |c| &c.reason;
            let _: fn(&Condition) -> &String = |c| &c.status;
            let _: fn(&Condition) -> &String = |c| &c.type_;
        };
        let has_time = matches!(&v, Value::Object(m) if m.contains_key("lastTransitionTime"));
        let mut c = Condition::blank();
        // SAFETY: `INFO` describes `Condition`: each offset is taken from the field whose type
        // its entry names.
        unsafe { fill(&mut c as *mut Condition as *mut u8, &INFO, v, t)? };
        if !has_time {
            return Err(Error::missing_field("lastTransitionTime"));
        }
        Ok(c)
    }
    fn enc(&self) -> Value {
        let mut m = Map::new();
        m.insert("lastTransitionTime".into(), self.last_transition_time.enc());
        m.insert("message".into(), self.message.enc());
        if let Some(g) = &self.observed_generation {
            m.insert("observedGeneration".into(), g.enc());
        }
        m.insert("reason".into(), self.reason.enc());
        m.insert("status".into(), self.status.enc());
        m.insert("type".into(), self.type_.enc());
        Value::Object(m)
    }
    fn blank() -> Condition {
        Condition {
            last_transition_time: Time::blank(),
            message: String::new(),
            observed_generation: None,
            reason: String::new(),
            status: String::new(),
            type_: String::new(),
        }
    }
}

/// A time string as the API server reads it (`time.Parse(time.RFC3339, s)`, with Go's error
/// text, rather than jiff's parser through serde: jiff's parser and its error messages were
/// ~30 KB of the page), anything else refused as jiff's serde impl refuses it.
fn dec_time(v: Value, nano: bool) -> Result<k8s_openapi::jiff::Timestamp, Error> {
    match v {
        Value::String(s) => crate::timefmt::parse_rfc3339(&s, nano).map_err(Error::custom),
        other => Err(Error::invalid_type(
            unexpected(&other),
            &"a timestamp string",
        )),
    }
}

/// A quantity is read as the API server reads it (a string, or a bare number as written) and
/// kept in its canonical form, the one the server stores and prints (`0.5` is `500m`).
impl Codec for Quantity {
    fn dec(v: Value, _t: &Track) -> Result<Quantity, Error> {
        let text = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            other => return Err(Error::invalid_type(unexpected(&other), &"Quantity")),
        };
        crate::quantity::canonical(&text)
            .map(Quantity)
            .map_err(Error::custom)
    }
    fn enc(&self) -> Value {
        Value::String(self.0.clone())
    }
    fn blank() -> Quantity {
        Quantity::default()
    }
}

/// Times are read as Go reads them ([`dec_time`]) and written as k8s-openapi writes them,
/// without jiff's `strftime` ([`crate::timefmt`]).
impl Codec for Time {
    fn dec(v: Value, _t: &Track) -> Result<Time, Error> {
        dec_time(v, false).map(Time)
    }
    fn enc(&self) -> Value {
        Value::String(crate::timefmt::rfc3339(self.0))
    }
    fn blank() -> Time {
        Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)
    }
}

impl Codec for MicroTime {
    fn dec(v: Value, _t: &Track) -> Result<MicroTime, Error> {
        dec_time(v, true).map(MicroTime)
    }
    fn enc(&self) -> Value {
        Value::String(crate::timefmt::rfc3339_micro(self.0))
    }
    fn blank() -> MicroTime {
        MicroTime(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)
    }
}

/// `table!(Type, "expecting", resource, [(field, "jsonName", req|opt FieldType), ...])`: the
/// type's table, with a compile-time check that each field has the type its entry says.
macro_rules! table {
    ($s:ty, $exp:literal, $res:expr, [$(($f:ident, $json:literal, $kind:ident $t:ty)),* $(,)?]) => {
        impl $crate::codec::Struct for $s {
            const INFO: $crate::codec::Info = $crate::codec::Info {
                expecting: $exp,
                resource: $res,
                fields: &[$(
                    $crate::codec::Field {
                        name: $json,
                        off: ::core::mem::offset_of!($s, $f),
                        ty: table!(@ty $kind $t),
                    }
                ),*],
            };
        }
        const _: () = {
            // Each entry's type is the field's type (a wrong entry fails to compile).
            $( let _: fn(&$s) -> &table!(@field $kind $t) = |s| &s.$f; )*
        };
    };
    (@ty req $t:ty) => { &$crate::codec::Req::<$t>::FT };
    (@ty opt $t:ty) => { &$crate::codec::Opt::<$t>::FT };
    (@field req $t:ty) => { $t };
    (@field opt $t:ty) => { Option<$t> };
}

#[path = "codec_gen.rs"]
mod gen;

#[cfg(test)]
mod tests {
    use crate::{Kind, Object};
    use serde_json::{json, Value};

    /// A pod template that sets a field of most types reachable from a Pod.
    fn rich_pod_spec() -> Value {
        json!({
            "activeDeadlineSeconds": 5, "automountServiceAccountToken": false,
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "k", "operator": "In", "values": ["a"]}],
                         "matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["b"]}]}]},
                    "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 3, "preference": {}}]},
                "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchLabels": {"a": "b"}}, "topologyKey": "zone",
                     "namespaces": ["x"], "matchLabelKeys": ["k"]}]},
                "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 1, "podAffinityTerm": {"topologyKey": "host",
                     "namespaceSelector": {"matchExpressions": [{"key": "a", "operator": "Exists"}]}}}]}},
            "containers": [{
                "name": "c", "image": "nginx:1.25", "imagePullPolicy": "Always",
                "command": ["sh", "-c"], "args": ["echo", ""], "workingDir": "/w",
                "env": [{"name": "A", "value": "1"},
                        {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": true}}},
                        {"name": "C", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}},
                        {"name": "D", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name", "apiVersion": "v1"}}},
                        {"name": "E", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m", "containerName": "c"}}}],
                "envFrom": [{"configMapRef": {"name": "cm"}, "prefix": "P_"}, {"secretRef": {"name": "s", "optional": false}}],
                "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP", "hostPort": 8080, "hostIP": "1.2.3.4"}],
                "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": 1},
                              "claims": [{"name": "gpu", "request": "r"}]},
                "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
                "restartPolicy": "Always",
                "readinessProbe": {"httpGet": {"path": "/", "port": "http", "scheme": "HTTP",
                    "httpHeaders": [{"name": "X", "value": "y"}]}, "periodSeconds": 3, "failureThreshold": 2},
                "livenessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 1,
                    "terminationGracePeriodSeconds": 4},
                "startupProbe": {"tcpSocket": {"port": 80, "host": "h"}, "successThreshold": 1, "timeoutSeconds": 2},
                "lifecycle": {"postStart": {"exec": {"command": ["a"]}}, "preStop": {"sleep": {"seconds": 3}},
                              "stopSignal": "SIGTERM"},
                "securityContext": {"runAsUser": 1000, "runAsGroup": 3, "runAsNonRoot": true,
                    "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false, "privileged": false,
                    "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
                    "seLinuxOptions": {"level": "s0"}, "seccompProfile": {"type": "RuntimeDefault"},
                    "appArmorProfile": {"type": "Localhost", "localhostProfile": "p"},
                    "windowsOptions": {"runAsUserName": "u", "hostProcess": false}, "procMount": "Default"},
                "volumeMounts": [{"name": "v", "mountPath": "/etc/x", "readOnly": true, "subPath": "a",
                                  "mountPropagation": "None"}],
                "volumeDevices": [{"name": "d", "devicePath": "/dev/x"}],
                "stdin": true, "stdinOnce": true, "tty": false,
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
            "initContainers": [{"name": "i", "image": "busybox", "restartPolicy": "Always",
                "restartPolicyRules": [{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}]}],
            "ephemeralContainers": [{"name": "e", "image": "busybox", "targetContainerName": "c"}],
            "volumes": [
                {"name": "v", "configMap": {"name": "cm", "defaultMode": 256, "items": [{"key": "a", "path": "b", "mode": 384}]}},
                {"name": "w", "secret": {"secretName": "s", "optional": true}},
                {"name": "e", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}},
                {"name": "h", "hostPath": {"path": "/x", "type": "Directory"}},
                {"name": "n", "nfs": {"server": "s", "path": "/p"}},
                {"name": "c", "persistentVolumeClaim": {"claimName": "c", "readOnly": true}},
                {"name": "d", "downwardAPI": {"items": [{"path": "l", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
                {"name": "i", "image": {"reference": "r", "pullPolicy": "IfNotPresent"}},
                {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"a": "b"}},
                    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                             "dataSourceRef": {"kind": "K", "name": "n"}}}}},
                {"name": "p", "projected": {"defaultMode": 420, "sources": [{"configMap": {"name": "cm"}},
                    {"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}},
                    {"clusterTrustBundle": {"path": "b", "signerName": "s"}},
                    {"podCertificate": {"signerName": "s", "keyType": "RSA3072"}},
                    {"downwardAPI": {"items": [{"path": "l", "fieldRef": {"fieldPath": "metadata.labels"}}]}}]}}],
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 5}],
            "nodeSelector": {"disk": "ssd"}, "nodeName": "n", "hostNetwork": true, "hostname": "h",
            "dnsPolicy": "ClusterFirst", "dnsConfig": {"nameservers": ["1.1.1.1"], "options": [{"name": "ndots", "value": "2"}]},
            "hostAliases": [{"ip": "1.2.3.4", "hostnames": ["a"]}],
            "imagePullSecrets": [{"name": "reg"}], "priority": 0, "priorityClassName": "p",
            "readinessGates": [{"conditionType": "x"}], "schedulingGates": [{"name": "g"}],
            "securityContext": {"fsGroup": 2000, "sysctls": [{"name": "a", "value": "b"}],
                                "supplementalGroups": [1, 2], "seccompProfile": {"type": "Unconfined"}},
            "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                           "labelSelector": {"matchLabels": {"a": "b"}}, "minDomains": 2}],
            "os": {"name": "linux"}, "overhead": {"cpu": "10m"}, "resources": {"limits": {"cpu": "1"}},
            "resourceClaims": [{"name": "r", "resourceClaimName": "rc"}],
            "terminationGracePeriodSeconds": 30, "restartPolicy": "Always", "serviceAccountName": "sa",
            "subdomain": "s", "setHostnameAsFQDN": false, "shareProcessNamespace": true,
            "hostUsers": false, "enableServiceLinks": true, "preemptionPolicy": "Never", "runtimeClassName": "r"
        })
    }

    fn meta() -> Value {
        json!({"name": "x", "namespace": "default", "labels": {"a": "b"}, "annotations": {"n": "v"},
               "generateName": "x-", "uid": "u", "resourceVersion": "3", "generation": 2,
               "creationTimestamp": "2024-01-01T00:00:00Z", "deletionTimestamp": "2024-01-02T00:00:00Z",
               "deletionGracePeriodSeconds": 30, "finalizers": ["f"],
               "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "r", "uid": "u",
                                    "controller": true, "blockOwnerDeletion": true}],
               "managedFields": [{"manager": "kubectl", "operation": "Apply", "apiVersion": "v1",
                                  "time": "2024-01-01T00:00:00Z", "fieldsType": "FieldsV1",
                                  "fieldsV1": {"f:metadata": {}}}]})
    }

    fn samples() -> Vec<(Kind, Value)> {
        let cond = |t: &str| {
            json!({"type": t, "status": "True", "reason": "R", "message": "m",
            "lastTransitionTime": "2024-01-01T00:00:00Z", "lastUpdateTime": "2024-01-01T00:00:01Z",
            "lastProbeTime": null, "lastHeartbeatTime": "2024-01-01T00:00:00Z"})
        };
        let state = json!({"running": {"startedAt": "2024-01-01T00:00:00Z"},
            "terminated": {"exitCode": 1, "signal": 9, "reason": "Error", "message": "m", "containerID": "c",
                           "startedAt": "2024-01-01T00:00:00Z", "finishedAt": "2024-01-01T00:00:03Z"},
            "waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}});
        let template = json!({"metadata": meta(), "spec": rich_pod_spec()});
        vec![
            (
                Kind::Pod,
                json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta(), "spec": rich_pod_spec(),
                "status": {"phase": "Running", "conditions": [cond("Ready")], "hostIP": "10.0.0.1",
                    "hostIPs": [{"ip": "10.0.0.1"}], "podIP": "10.1.0.1", "podIPs": [{"ip": "10.1.0.1"}],
                    "startTime": "2024-01-01T00:00:00Z", "qosClass": "BestEffort", "message": "m", "reason": "r",
                    "nominatedNodeName": "n", "observedGeneration": 1, "resize": "Proposed",
                    "containerStatuses": [{"name": "c", "image": "nginx", "imageID": "i", "ready": true,
                        "restartCount": 2, "started": true, "containerID": "c", "state": state.clone(),
                        "lastState": state.clone(), "allocatedResources": {"cpu": "1"},
                        "resources": {"limits": {"cpu": "1"}}, "user": {"linux": {"uid": 0, "gid": 0,
                        "supplementalGroups": [1]}}, "volumeMounts": [{"name": "v", "mountPath": "/x",
                        "readOnly": true, "recursiveReadOnly": "Disabled"}],
                        "allocatedResourcesStatus": [{"name": "r", "resources": [{"resourceID": "x", "health": "Healthy"}]}],
                        "stopSignal": "SIGKILL"}],
                    "initContainerStatuses": [{"name": "i", "image": "busybox", "imageID": "", "ready": false, "restartCount": 0}],
                    "ephemeralContainerStatuses": [], "resourceClaimStatuses": [{"name": "r", "resourceClaimName": "x"}],
                    "extendedResourceClaimStatus": {"resourceClaimName": "x", "requestMappings": [
                        {"containerName": "c", "requestName": "r", "resourceName": "n"}]}}}),
            ),
            (
                Kind::Deployment,
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(),
                "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": template,
                    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                    "minReadySeconds": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600, "paused": false},
                "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                    "unavailableReplicas": 0, "terminatingReplicas": 0, "observedGeneration": 2, "collisionCount": 1,
                    "conditions": [cond("Available")]}}),
            ),
            (
                Kind::ReplicaSet,
                json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta(),
                "spec": {"replicas": 1, "minReadySeconds": 0, "selector": {"matchLabels": {"a": "b"}},
                         "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c"}]}}},
                "status": {"replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": 1, "availableReplicas": 1,
                           "observedGeneration": 1, "conditions": [cond("ReplicaFailure")]}}),
            ),
            (
                Kind::Service,
                json!({"apiVersion": "v1", "kind": "Service", "metadata": meta(),
                "spec": {"type": "NodePort", "selector": {"app": "web"}, "clusterIP": "10.96.0.1",
                    "clusterIPs": ["10.96.0.1"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                    "ports": [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080,
                               "protocol": "TCP", "appProtocol": "http"}],
                    "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 3}},
                    "externalIPs": ["1.1.1.1"], "externalName": "e", "externalTrafficPolicy": "Cluster",
                    "internalTrafficPolicy": "Local", "loadBalancerSourceRanges": ["0.0.0.0/0"],
                    "publishNotReadyAddresses": true, "healthCheckNodePort": 3, "allocateLoadBalancerNodePorts": true,
                    "trafficDistribution": "PreferClose"},
                "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "hostname": "h", "ipMode": "VIP",
                    "ports": [{"port": 80, "protocol": "TCP", "error": "e"}]}]}, "conditions": [cond("X"),
                    {"type": "Y", "status": "False", "reason": "", "message": "", "observedGeneration": 3,
                     "lastTransitionTime": "2024-01-01T00:00:00Z"}]}}),
            ),
            (
                Kind::Node,
                json!({"apiVersion": "v1", "kind": "Node", "metadata": meta(),
                "spec": {"podCIDR": "10.1.0.0/24", "podCIDRs": ["10.1.0.0/24"], "unschedulable": true, "providerID": "p",
                    "taints": [{"key": "k", "effect": "NoSchedule", "value": "v", "timeAdded": "2024-01-01T00:00:00Z"}],
                    "configSource": {"configMap": {"name": "c", "namespace": "n", "kubeletConfigKey": "k"}}},
                "status": {"capacity": {"cpu": "2"}, "allocatable": {"cpu": "2", "pods": "110"},
                    "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}], "conditions": [cond("Ready")],
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                    "nodeInfo": {"architecture": "amd64", "bootID": "b", "containerRuntimeVersion": "c",
                        "kernelVersion": "k", "kubeProxyVersion": "", "kubeletVersion": "v1.32.4", "machineID": "m",
                        "operatingSystem": "linux", "osImage": "o", "systemUUID": "s", "swap": {"capacity": 0}},
                    "images": [{"names": ["nginx"], "sizeBytes": 100}], "phase": "Running",
                    "volumesAttached": [{"name": "v", "devicePath": "/d"}], "volumesInUse": ["v"],
                    "runtimeHandlers": [{"name": "runc", "features": {"recursiveReadOnlyMounts": true, "userNamespaces": false}}],
                    "features": {"supplementalGroupsPolicy": true},
                    "config": {"active": {"configMap": {"name": "c", "namespace": "n", "kubeletConfigKey": "k"}},
                               "error": "e"}}}),
            ),
            (
                Kind::Endpoints,
                json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta(),
                "subsets": [{"addresses": [{"ip": "10.1.0.1", "hostname": "h", "nodeName": "n",
                    "targetRef": {"kind": "Pod", "name": "p", "namespace": "default", "uid": "u"}}],
                    "notReadyAddresses": [{"ip": "10.1.0.2"}],
                    "ports": [{"name": "http", "port": 80, "protocol": "TCP", "appProtocol": "h"}]}]}),
            ),
            (
                Kind::ConfigMap,
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(),
                "data": {"a": "1"}, "binaryData": {"b": "AAEC"}, "immutable": true}),
            ),
            (
                Kind::Secret,
                json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(), "type": "Opaque",
                "data": {"a": "MQ=="}, "stringData": {"b": "2"}, "immutable": false}),
            ),
            (
                Kind::Namespace,
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(),
                "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active", "conditions": [cond("X")]}}),
            ),
            (
                Kind::ServiceAccount,
                json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(),
                "automountServiceAccountToken": false, "imagePullSecrets": [{"name": "regcred"}],
                "secrets": [{"name": "s", "kind": "Secret", "namespace": "default"}]}),
            ),
            (
                Kind::Event,
                json!({"apiVersion": "v1", "kind": "Event", "metadata": meta(),
                "involvedObject": {"kind": "Pod", "name": "p", "fieldPath": "spec.containers{c}", "apiVersion": "v1",
                    "resourceVersion": "1"},
                "reason": "Pulled", "message": "m", "type": "Normal", "count": 3,
                "firstTimestamp": "2024-01-01T00:00:00Z", "lastTimestamp": "2024-01-01T00:00:05Z",
                "eventTime": "2024-01-01T00:00:00.000000Z", "action": "a", "reportingComponent": "kubelet",
                "reportingInstance": "n", "source": {"component": "kubelet", "host": "n"},
                "series": {"count": 2, "lastObservedTime": "2024-01-01T00:00:00.000000Z"},
                "related": {"kind": "Node", "name": "n"}}),
            ),
        ]
    }

    /// Decoding through the tables and through k8s-openapi's serde impls (by way of
    /// `crate::de`): the same object, or the same error at the same path.
    fn same(kind: Kind, v: &Value) {
        let ours = Object::from_value_at(kind, v.clone());
        macro_rules! theirs {
            ($($k:ident),*) => {
                match kind { $(Kind::$k => crate::de::from_value::<k8s_openapi::api::core::v1::$k>(v.clone()).map(Object::from),)*
                    Kind::Deployment => crate::de::from_value::<k8s_openapi::api::apps::v1::Deployment>(v.clone()).map(Object::from),
                    Kind::ReplicaSet => crate::de::from_value::<k8s_openapi::api::apps::v1::ReplicaSet>(v.clone()).map(Object::from),
                }
            };
        }
        let theirs = theirs!(
            Namespace,
            Node,
            Pod,
            Service,
            Endpoints,
            ConfigMap,
            Secret,
            Event,
            ServiceAccount
        );
        let serde_value = |b: &Object| {
            match b {
                Object::Pod(o) => serde_json::to_value(&**o),
                Object::Deployment(o) => serde_json::to_value(&**o),
                Object::ReplicaSet(o) => serde_json::to_value(&**o),
                Object::Service(o) => serde_json::to_value(&**o),
                Object::Node(o) => serde_json::to_value(&**o),
                Object::Endpoints(o) => serde_json::to_value(&**o),
                Object::ConfigMap(o) => serde_json::to_value(&**o),
                Object::Secret(o) => serde_json::to_value(&**o),
                Object::Namespace(o) => serde_json::to_value(&**o),
                Object::Event(o) => serde_json::to_value(&**o),
                Object::ServiceAccount(o) => serde_json::to_value(&**o),
            }
            .unwrap()
        };
        match (ours, theirs) {
            (Ok(a), Ok(b)) => {
                // A quantity is kept in its canonical form (`1.5` is `1500m`); serde keeps the
                // text: serde's object is compared once it is canonical too.
                let b = if a != b {
                    Object::from_value_at(kind, serde_value(&b)).unwrap()
                } else {
                    b
                };
                assert_eq!(a, b, "{v}");
                let enc = a.to_value();
                let serde_enc = serde_value(&b);
                assert_eq!(enc, serde_enc, "{v}");
            }
            (Err((p, e)), Err((p2, e2))) => {
                let (e, e2) = (e.to_string(), e2.to_string());
                if e.starts_with("parsing time ") {
                    // A time is read as Go reads it, not as jiff does (`timefmt`'s tests):
                    // only where it fails is compared.
                    assert_eq!(p, p2, "{v}: {e} / {e2}");
                } else {
                    assert_eq!((p, e), (p2, e2), "{v}");
                }
            }
            // A quantity is parsed as the API server parses it; serde takes any string.
            (Err((_, e)), Ok(_))
                if [crate::quantity::FORMAT_WRONG, crate::quantity::SUFFIX_WRONG]
                    .contains(&e.to_string().as_str()) => {}
            (a, b) => panic!("{v}: tables {:?}, serde {:?}", a.err(), b.err()),
        }
    }

    /// Every value in `v`, and every object, replaced in turn by each kind of wrong value.
    fn mutations(v: &Value, out: &mut Vec<Value>, root: &Value, path: &mut Vec<Value>) {
        let wrongs = [
            json!(null),
            json!("s"),
            json!(7),
            json!(-1),
            json!(1.5),
            json!(true),
            json!([]),
            json!(["x"]),
            json!({}),
            json!({"x": 1}),
            json!(4294967296u64),
        ];
        for w in &wrongs {
            let mut r = root.clone();
            let mut at = &mut r;
            for p in path.iter() {
                at = match p {
                    Value::Number(n) => &mut at[n.as_u64().unwrap() as usize],
                    Value::String(s) => &mut at[s.as_str()],
                    _ => unreachable!(),
                };
            }
            *at = w.clone();
            out.push(r);
        }
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    path.push(json!(k));
                    mutations(x, out, root, path);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(json!(i));
                    mutations(x, out, root, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    #[test]
    fn tables_decode_encode_and_fail_as_serde_does() {
        let mut n = 0;
        for (kind, v) in samples() {
            same(kind, &v);
            let mut all = Vec::new();
            mutations(&v, &mut all, &v, &mut Vec::new());
            for m in &all {
                same(kind, m);
                n += 1;
            }
        }
        assert!(n > 5000, "{n}");
    }

    #[test]
    fn every_type_with_its_defaults_round_trips() {
        // Each struct's default, encoded and decoded, as serde does.
        for (kind, _) in samples() {
            let v = json!({});
            same(kind, &v);
        }
    }

    #[test]
    fn samples_decode_to_set_fields() {
        // The samples are not silently empty: the encoded objects keep every input key.
        for (kind, v) in samples() {
            let o = Object::from_value_at(kind, v.clone()).unwrap();
            fn count(v: &Value) -> usize {
                match v {
                    Value::Object(m) => m.values().map(count).sum::<usize>() + m.len(),
                    Value::Array(a) => a.iter().map(count).sum(),
                    _ => 0,
                }
            }
            let kept = count(&o.to_value());
            assert!(
                kept * 10 >= count(&v) * 9,
                "{kind}: {kept} of {}",
                count(&v)
            );
        }
    }
}

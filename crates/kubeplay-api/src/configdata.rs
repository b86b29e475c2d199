//! ConfigMaps and Secrets as the API server treats them: base64 with Go's exact rules (what
//! `encoding/json` does for `[]byte`), `stringData` merged into `data`, config key names,
//! size limits, per-type required keys, and `immutable`.

use crate::{ApiError, Cause};
use base64::Engine;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::ByteString;
use serde_json::Value;
use std::collections::BTreeMap;

/// Go's `base64.CorruptInputError`: `illegal base64 data at input byte N`.
pub fn corrupt_input(at: usize) -> String {
    format!("illegal base64 data at input byte {at}")
}

/// Decode like Go's `base64.StdEncoding.Decode`: padding required, `\r` and `\n` skipped
/// anywhere, non-zero trailing bits accepted (the encoding is not `Strict()`), data after the
/// padding rejected. The error is the input offset Go reports.
pub fn go_base64_decode(src: &str) -> Result<Vec<u8>, usize> {
    fn sym(c: u8) -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let src = src.as_bytes();
    let nl = |c: u8| c == b'\n' || c == b'\r';
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        // One quantum (Go's decodeQuantum).
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing: Option<usize> = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Missing padding (StdEncoding pads) or a lone symbol.
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sym(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if nl(c) {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && nl(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing = Some(si);
            }
            dlen = j;
            break;
        }
        let val = (dbuf[0] as u32) << 18
            | (dbuf[1] as u32) << 12
            | (dbuf[2] as u32) << 6
            | dbuf[3] as u32;
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(at) = trailing {
            return Err(at);
        }
        if dlen < 4 {
            return Ok(out);
        }
    }
}

/// Standard base64 with padding, as Go's `EncodeToString` writes it.
pub fn base64_encode(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Check and normalise the byte and string maps of a ConfigMap or Secret document before it
/// is decoded, with the messages Go's JSON decoder gives: a number where a string belongs, or
/// base64 that Go rejects. Base64 that Go accepts but the strict Rust decoder would not
/// (non-zero trailing bits, embedded newlines) is rewritten canonically, so the stored bytes
/// are the ones Go would store.
pub fn prepare_document(kind: &str, doc: &mut Value) -> Result<(), String> {
    yaml11_octal_modes(doc);
    let fields: &[(&str, bool)] = match kind {
        "Secret" => &[("data", true), ("stringData", false)],
        "ConfigMap" => &[("binaryData", true), ("data", false)],
        _ => return Ok(()),
    };
    let Some(obj) = doc.as_object_mut() else {
        return Ok(());
    };
    for (field, bytes) in fields {
        let Some(map) = obj.get_mut(*field) else {
            continue;
        };
        let Some(map) = map.as_object_mut() else {
            if map.is_null() {
                continue;
            }
            let go_type = if *bytes {
                "map[string][]uint8"
            } else {
                "map[string]string"
            };
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field {kind}.{field} of type {go_type}",
                json_type(map)
            ));
        };
        for (_, v) in map.iter_mut() {
            match v {
                Value::String(s) if *bytes => {
                    let decoded = go_base64_decode(s).map_err(corrupt_input)?;
                    *s = base64_encode(&decoded);
                }
                Value::String(_) | Value::Null => {}
                other => {
                    let go_type = if *bytes { "[]uint8" } else { "string" };
                    return Err(format!(
                        "json: cannot unmarshal {} into Go struct field {kind}.{field} of type {go_type}",
                        json_type(other)
                    ));
                }
            }
        }
    }
    Ok(())
}

/// sigs.k8s.io/yaml reads YAML 1.1, where a plain `0400` is the octal integer 256; serde_yaml
/// reads YAML 1.2 and keeps it a string. File modes are where manifests write octal
/// (`defaultMode: 0400`, items' `mode: 0600`), so those fields get YAML 1.1's reading.
/// (A quoted `"0400"` is accepted too, where the API server would reject a string.)
pub fn yaml11_octal_modes(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if matches!(k.as_str(), "defaultMode" | "mode") {
                    if let Value::String(s) = v {
                        let digits = s.strip_prefix("0o").or_else(|| s.strip_prefix('0'));
                        if let Some(n) = digits
                            .filter(|d| !d.is_empty())
                            .and_then(|d| i64::from_str_radix(d, 8).ok())
                        {
                            *v = Value::from(n);
                        }
                    }
                } else {
                    yaml11_octal_modes(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(yaml11_octal_modes),
        _ => {}
    }
}

/// `SetDefaults_Secret` and the v1 → internal conversion: `type` defaults to `Opaque`, and
/// `stringData` is merged into `data` (overriding) and never stored.
pub fn default_secret(s: &mut Secret) {
    if s.type_.as_deref().unwrap_or("").is_empty() {
        s.type_ = Some("Opaque".into());
    }
    if let Some(sd) = s.string_data.take() {
        let data = s.data.get_or_insert_with(BTreeMap::new);
        for (k, v) in sd {
            data.insert(k, ByteString(v.into_bytes()));
        }
    }
}

const CONFIG_KEY_FMT: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/// `validation.IsConfigMapKey`: the problems with a ConfigMap/Secret key, empty when valid.
pub fn config_key_errors(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        errs.push(CONFIG_KEY_FMT.to_string());
    }
    if key == "." {
        errs.push("must not be '.'".into());
    } else if key == ".." {
        errs.push("must not be '..'".into());
    } else if key.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    errs
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn key_causes(field: &str, key: &str, out: &mut Vec<Cause>) {
    for e in config_key_errors(key) {
        out.push(Cause::invalid(format!("{field}[{key}]"), &quote(key), &e));
    }
}

const MAX_SIZE: usize = 1024 * 1024;

const DNS1123_SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// `validation.IsDNS1123Subdomain`.
pub fn dns1123_subdomain_errors(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    if v.len() > 253 {
        out.push("must be no more than 253 characters".to_string());
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if !v.split('.').all(label_ok) {
        out.push(DNS1123_SUBDOMAIN.to_string());
    }
    out
}

/// `ValidateObjectMeta`'s `NameIsDNSSubdomain`, the name rule of most kinds.
pub fn name_causes(name: &str) -> Vec<Cause> {
    if name.is_empty() {
        return vec![Cause::new(
            "metadata.name",
            "Required value: name or generateName is required",
        )];
    }
    dns1123_subdomain_errors(name)
        .iter()
        .map(|e| Cause::invalid("metadata.name", &quote(name), e))
        .collect()
}

/// `ValidateConfigMap`.
pub fn validate_config_map(cm: &ConfigMap) -> Vec<Cause> {
    let mut causes = crate::validate::object_meta(&cm.metadata);
    let mut total = 0usize;
    for (k, v) in cm.data.iter().flatten() {
        key_causes("data", k, &mut causes);
        if cm.binary_data.as_ref().is_some_and(|b| b.contains_key(k)) {
            causes.push(Cause::invalid(
                format!("data[{k}]"),
                &quote(k),
                "duplicate of key present in binaryData",
            ));
        }
        total += v.len();
    }
    for (k, v) in cm.binary_data.iter().flatten() {
        key_causes("binaryData", k, &mut causes);
        total += v.0.len();
    }
    if total > MAX_SIZE {
        causes.push(Cause::new(
            "",
            format!("Too long: must have at most {MAX_SIZE} bytes"),
        ));
    }
    causes
}

/// `ValidateSecret`, including the keys each well-known type requires.
pub fn validate_secret(s: &Secret) -> Vec<Cause> {
    let mut causes = crate::validate::object_meta(&s.metadata);
    let empty = BTreeMap::new();
    let data = s.data.as_ref().unwrap_or(&empty);
    let mut total = 0usize;
    for (k, v) in data {
        key_causes("data", k, &mut causes);
        total += v.0.len();
    }
    if total > MAX_SIZE {
        causes.push(Cause::new(
            "data",
            format!("Too long: must have at most {MAX_SIZE} bytes"),
        ));
    }
    let require = |key: &str, causes: &mut Vec<Cause>| {
        if !data.contains_key(key) {
            causes.push(Cause::required(format!("data[{key}]")));
        }
    };
    match s.type_.as_deref().unwrap_or("Opaque") {
        "kubernetes.io/service-account-token" => {
            let has = s
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .is_some_and(|n| !n.is_empty());
            if !has {
                causes.push(Cause::required(
                    "metadata.annotations[kubernetes.io/service-account.name]",
                ));
            }
        }
        "kubernetes.io/dockercfg" => {
            require(".dockercfg", &mut causes);
            if let Some(v) = data.get(".dockercfg") {
                if serde_json::from_slice::<Value>(&v.0).is_err() {
                    causes.push(Cause::invalid(
                        "data[.dockercfg]",
                        "\"<secret contents redacted>\"",
                        "invalid character",
                    ));
                }
            }
        }
        "kubernetes.io/dockerconfigjson" => {
            require(".dockerconfigjson", &mut causes);
            if let Some(v) = data.get(".dockerconfigjson") {
                if serde_json::from_slice::<Value>(&v.0).is_err() {
                    causes.push(Cause::invalid(
                        "data[.dockerconfigjson]",
                        "\"<secret contents redacted>\"",
                        "invalid character",
                    ));
                }
            }
        }
        "kubernetes.io/basic-auth" => {
            if !data.contains_key("username") && !data.contains_key("password") {
                causes.push(Cause::required("data[username]"));
                causes.push(Cause::required("data[password]"));
            }
        }
        "kubernetes.io/ssh-auth" => require("ssh-privatekey", &mut causes),
        "kubernetes.io/tls" => {
            require("tls.key", &mut causes);
            require("tls.crt", &mut causes);
        }
        _ => {}
    }
    causes
}

const IMMUTABLE: &str = "field is immutable when `immutable` is set";

/// `ValidateConfigMapUpdate`: once `immutable: true`, neither it nor the data may change.
pub fn validate_config_map_update(new: &ConfigMap, old: &ConfigMap) -> Vec<Cause> {
    let mut causes = Vec::new();
    if old.immutable == Some(true) {
        if new.immutable != Some(true) {
            causes.push(Cause::forbidden("immutable", IMMUTABLE));
        }
        if new.data != old.data {
            causes.push(Cause::forbidden("data", IMMUTABLE));
        }
        if new.binary_data != old.binary_data {
            causes.push(Cause::forbidden("binaryData", IMMUTABLE));
        }
    }
    causes.extend(validate_config_map(new));
    causes
}

/// `ValidateSecretUpdate`: `type` never changes; `immutable` freezes the data.
pub fn validate_secret_update(new: &Secret, old: &Secret) -> Vec<Cause> {
    let mut causes = Vec::new();
    let (nt, ot) = (
        new.type_.as_deref().unwrap_or(""),
        old.type_.as_deref().unwrap_or(""),
    );
    if nt != ot {
        causes.push(Cause::invalid("type", &quote(nt), "field is immutable"));
    }
    if old.immutable == Some(true) {
        if new.immutable != Some(true) {
            causes.push(Cause::forbidden("immutable", IMMUTABLE));
        }
        if new.data != old.data {
            causes.push(Cause::forbidden("data", IMMUTABLE));
        }
    }
    causes.extend(validate_secret(new));
    causes
}

/// Helper for callers that want an `ApiError` straight away.
pub fn invalid(kind: &str, name: &str, causes: Vec<Cause>) -> Result<(), ApiError> {
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(kind, name, causes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<Vec<u8>, usize> {
        go_base64_decode(s)
    }

    #[test]
    fn go_base64_accepts_what_go_accepts() {
        assert_eq!(dec("bXlzcWw=").unwrap(), b"mysql");
        assert_eq!(dec("cGFzd3Jk").unwrap(), b"paswrd");
        assert_eq!(dec("cm9vdA==").unwrap(), b"root");
        // The seed's `cm9vda==`: 'a' leaves non-zero trailing bits, which Go's non-strict
        // StdEncoding ignores: it decodes to "roou", not "root".
        assert_eq!(dec("cm9vda==").unwrap(), b"roou");
        assert_eq!(dec("").unwrap(), b"");
        assert_eq!(dec("bXlz\ncWw=\n").unwrap(), b"mysql");
        assert_eq!(dec("/w==").unwrap(), vec![0xff]);
    }

    #[test]
    fn go_base64_rejects_with_gos_offsets() {
        assert_eq!(dec("mysql"), Err(4)); // 5 chars: the last quantum has one symbol
        assert_eq!(dec("abc"), Err(0)); // missing padding
        assert_eq!(dec("abcd====").unwrap_err(), 4);
        assert_eq!(dec("ab=c"), Err(2));
        assert_eq!(dec("ab="), Err(3)); // not enough padding
        assert_eq!(dec("a==="), Err(1));
        assert_eq!(dec("cGFz d3Jk"), Err(4));
        assert_eq!(dec("bXlzcWw=x"), Err(8)); // trailing garbage
        assert_eq!(dec("pass-word!"), Err(4));
        assert_eq!(dec("dGhpcyBpcyBhI@HRlc3Qgc3RyaW5nLg=="), Err(13));
    }

    #[test]
    fn prepare_normalises_and_reports() {
        let mut d = serde_json::json!({"data": {"U": "cm9vda=="}});
        prepare_document("Secret", &mut d).unwrap();
        assert_eq!(d["data"]["U"], "cm9vdQ==");
        let mut d = serde_json::json!({"data": {"P": "mysql"}});
        assert_eq!(
            prepare_document("Secret", &mut d).unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        let mut d = serde_json::json!({"data": {"PORT": 8080}});
        assert_eq!(
            prepare_document("ConfigMap", &mut d).unwrap_err(),
            "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"
        );
    }

    #[test]
    fn names() {
        assert!(name_causes("app-config").is_empty());
        assert!(name_causes("kube-root-ca.crt").is_empty());
        let c = name_causes("App_Config");
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0].to_line(),
            format!("metadata.name: Invalid value: \"App_Config\": {DNS1123_SUBDOMAIN}")
        );
    }

    #[test]
    fn keys() {
        assert!(config_key_errors("APP_COLOR").is_empty());
        assert!(config_key_errors(".env").is_empty());
        assert_eq!(
            config_key_errors("bad key"),
            vec![CONFIG_KEY_FMT.to_string()]
        );
        assert_eq!(
            config_key_errors(".."),
            vec!["must not be '..'".to_string()]
        );
        assert_eq!(
            config_key_errors("..x"),
            vec!["must not start with '..'".to_string()]
        );
    }

    #[test]
    fn string_data_merges_over_data() {
        let mut s = Secret {
            data: Some(BTreeMap::from([
                ("a".into(), ByteString(b"1".to_vec())),
                ("b".into(), ByteString(b"2".to_vec())),
            ])),
            string_data: Some(BTreeMap::from([("b".into(), "two".into())])),
            ..Default::default()
        };
        default_secret(&mut s);
        assert_eq!(s.type_.as_deref(), Some("Opaque"));
        assert!(s.string_data.is_none());
        assert_eq!(s.data.unwrap()["b"].0, b"two");
    }

    #[test]
    fn immutable_configmap() {
        let old = ConfigMap {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some("app-config".into()),
                ..Default::default()
            },
            immutable: Some(true),
            data: Some(BTreeMap::from([("a".into(), "1".into())])),
            ..Default::default()
        };
        let mut new = old.clone();
        new.data = Some(BTreeMap::from([("a".into(), "2".into())]));
        let e = ApiError::invalid(
            "ConfigMap",
            "app-config",
            validate_config_map_update(&new, &old),
        );
        assert_eq!(
            e.message,
            "ConfigMap \"app-config\" is invalid: data: Forbidden: field is immutable when `immutable` is set"
        );
        let mut new = old.clone();
        new.immutable = Some(false);
        let e = ApiError::invalid("Secret", "frozen", validate_config_map_update(&new, &old));
        assert_eq!(
            e.message,
            "Secret \"frozen\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set"
        );
    }

    fn decode_err(text: &str) -> String {
        let doc = &crate::decode::parse_documents(text).unwrap()[0];
        crate::decode::decode(doc).unwrap_err().message()
    }

    /// The seed's mis-indented `envFrom`: `name` lands beside `configMapRef`, not under it.
    #[test]
    fn misindented_env_from_is_a_strict_decoding_error() {
        let pod = "apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
  - name: webapp
    image: nginx
    envFrom:
      - configMapRef:
        name: app-config
";
        assert_eq!(
            decode_err(pod),
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].envFrom[0].name\""
        );
        let pod = pod.replace("configMapRef", "secretRef");
        assert_eq!(
            decode_err(&pod),
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].envFrom[0].name\""
        );
    }

    #[test]
    fn seed_secret_manifest_decodes_as_go_would() {
        let text = "apiVersion: v1
kind: Secret
metadata:
  name: app-secret
data:
  DB_HOST: \"bXlzcWw=\"
  DB_USER: \"cm9vda==\"
  DB_PASSWORD: \"cGFzd3Jk\"
";
        let doc = &crate::decode::parse_documents(text).unwrap()[0];
        let crate::Object::Secret(s) = crate::decode::decode(doc).unwrap() else {
            panic!("not a secret")
        };
        let data = s.data.unwrap();
        assert_eq!(data["DB_HOST"].0, b"mysql");
        assert_eq!(data["DB_USER"].0, b"roou");
        assert_eq!(data["DB_PASSWORD"].0, b"paswrd");
        // Plain text where base64 belongs is what the API server rejects.
        let bad = text.replace("\"bXlzcWw=\"", "mysql");
        assert_eq!(
            decode_err(&bad),
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4"
        );
        // Bytes that are not text are fine.
        let bin = text.replace("\"bXlzcWw=\"", "/w==");
        let doc = &crate::decode::parse_documents(&bin).unwrap()[0];
        assert!(crate::decode::decode(doc).is_ok());
    }
}

//! `kubectl create configmap` and `kubectl create secret generic|tls|docker-registry`
//! (KUBECTL:pkg/cmd/create/create_configmap.go, create_secret.go, create_secret_tls.go,
//! create_secret_docker.go): the same sources, the same checks in the same order, the same
//! error text, and `--dry-run=client -o yaml|json` byte for byte.

use super::flags::{self, Flag, FlagError, DRY_RUN, OUTPUT};
use super::help::Doc;
use super::{Cx, Exec};
use kubeplay_api::configdata::{base64_encode, config_key_errors};
use kubeplay_api::{decode, ApiError, Object};
use kubeplay_sort::Collect as _;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

static COMMON: &[Flag] = &[
    DRY_RUN,
    OUTPUT,
    Flag::bool("append-hash", None),
    Flag::bool("save-config", None),
    Flag::str("validate", None).with_no_opt("strict"),
    Flag::str("field-manager", None),
    Flag::str("template", None),
    Flag::bool("show-managed-fields", None),
    Flag::bool("allow-missing-template-keys", None),
];

static SOURCES: &[Flag] = &[
    Flag::array("from-literal", None),
    Flag::slice("from-file", None),
    Flag::slice("from-env-file", None),
];

static GENERIC: &[Flag] = &[Flag::str("type", None)];
static TLS: &[Flag] = &[Flag::str("cert", None), Flag::str("key", None)];
static DOCKER: &[Flag] = &[
    Flag::str("docker-server", None).shows("'https://index.docker.io/v1/'"),
    Flag::str("docker-username", None),
    Flag::str("docker-password", None),
    Flag::str("docker-email", None),
    Flag::slice("from-file", None),
];

/// What a generator failed with: printed as `error: <text>`.
type GenResult<T> = Result<T, String>;

fn parse(
    cx: &mut Cx<'_>,
    doc: &Doc,
    sets: &[&[Flag]],
    args: &[String],
) -> Result<flags::Args, i32> {
    let all: Vec<Flag> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    match flags::parse(doc.path, &all, args) {
        Ok(a) => Ok(a),
        Err(FlagError::Usage(msg)) => {
            cx.out.err(msg);
            Err(1)
        }
        Err(FlagError::Help) => {
            cx.out.out(super::help::render(doc, &all));
            Err(0)
        }
    }
}

static CONFIGMAP_DOC: Doc = Doc {
    path: "kubectl create configmap",
    long: "Create a config map from literal values, files or env files. Each --from-literal=KEY=VALUE is one key. --from-file=[KEY=]PATH makes a file's content the value of one key, named after the file unless KEY is given; a directory gives a key for each file in it. --from-env-file=PATH reads KEY=VALUE lines.",
    examples: "# The course's app-config, from two literal values
kubectl create configmap app-config --from-literal=APP_COLOR=blue --from-literal=APP_MODE=prod

# One key, app_config.properties, holding the whole file
kubectl create configmap app-config --from-file=app_config.properties

# A key for each KEY=VALUE line of a file
kubectl create configmap app-config --from-env-file=app.env

# Print the manifest instead of creating the config map
kubectl create configmap app-config --from-literal=APP_COLOR=blue --dry-run=client -o yaml",
    usage: "kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
    subcommands: &[],
};

static SECRET_GENERIC_DOC: Doc = Doc {
    path: "kubectl create secret generic",
    long: "Create a secret from literal values, files or env files, given as for kubectl create configmap. The values are stored base64-encoded: encoded, not encrypted, so whoever can read the secret can read them.",
    examples: "# The course's app-secret
kubectl create secret generic app-secret --from-literal=DB_Host=mysql --from-literal=DB_User=root --from-literal=DB_Password=paswrd

# A key for each KEY=VALUE line of a file
kubectl create secret generic app-secret --from-env-file=app_secret.properties

# Read one value back
kubectl get secret app-secret -o jsonpath='{.data.DB_Host}' | base64 --decode",
    usage: "kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
    subcommands: &[],
};

static SECRET_TLS_DOC: Doc = Doc {
    path: "kubectl create secret tls",
    long: "Create a kubernetes.io/tls secret from a PEM certificate and its private key: the keys tls.crt and tls.key.",
    examples: "# A TLS secret from a certificate and its key
kubectl create secret tls web-tls --cert=web.crt --key=web.key",
    usage: "kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
    subcommands: &[],
};

static SECRET_DOCKER_DOC: Doc = Doc {
    path: "kubectl create secret docker-registry",
    long: "Create a kubernetes.io/dockerconfigjson secret with the credentials of a container registry. A pod that names it in imagePullSecrets pulls its images with them.",
    examples: "# Credentials for a private registry
kubectl create secret docker-registry regcred --docker-server=registry.example.com --docker-username=me --docker-password=secret --docker-email=me@example.com",
    usage: "kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]",
    subcommands: &[],
};

/// `cmdutil.GetDryRunStrategy`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DryRun {
    None,
    Client,
    Server,
}

fn dry_run(a: &flags::Args) -> GenResult<DryRun> {
    match a.str("dry-run") {
        None | Some("none") => Ok(DryRun::None),
        Some("client") => Ok(DryRun::Client),
        Some("server") => Ok(DryRun::Server),
        Some("unchanged") => Err(
            "--dry-run flag without a value was specified. A value must be set: \"none\", \"server\", or \"client\"."
                .into(),
        ),
        Some(other) => Err(format!(
            "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        )),
    }
}

fn output_format(a: &flags::Args) -> GenResult<String> {
    let o = a.str("output").unwrap_or("").to_string();
    match o.as_str() {
        "" | "name" | "yaml" | "json" => Ok(o),
        other => Err(format!(
            "unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        )),
    }
}

/// `NameFromCommandArgs`.
fn name_arg(a: &flags::Args, cmd: &str) -> GenResult<String> {
    match a.positional.as_slice() {
        [one] => Ok(one.clone()),
        other => Err(format!(
            "exactly one NAME is required, got {}\nSee 'kubectl {cmd} -h' for help and examples",
            other.len()
        )),
    }
}

/// A file or folder the command reads, through the session's files.
enum Entry {
    File(Vec<u8>),
    Dir(Vec<(String, bool)>),
}

fn stat(cx: &Cx<'_>, path: &str) -> Option<Entry> {
    match cx.fs.stat(path)? {
        crate::fs::Node::File { data, .. } => Some(Entry::File(data)),
        crate::fs::Node::Dir { .. } => {
            let entries = cx.fs.list(path).ok()?;
            Some(Entry::Dir(
                entries.into_iter().map(|(n, dir)| (n, !dir)).collect(),
            ))
        }
    }
}

fn join_path(dir: &str, name: &str) -> String {
    // Go's path.Join: clean the result.
    let joined = format!("{}/{}", dir.trim_end_matches('/'), name);
    if dir.is_empty() {
        name.to_string()
    } else {
        joined
    }
}

fn base_name(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { ".".into() } else { "/".into() };
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// `util.ParseFileSource`.
fn parse_file_source(source: &str) -> GenResult<(String, String)> {
    let n = source.matches('=').count();
    if n == 0 {
        return Ok((base_name(source), source.to_string()));
    }
    if n == 1 && source.starts_with('=') {
        return Err(format!("key name for file path {} missing", &source[1..]));
    }
    if n == 1 && source.ends_with('=') {
        return Err(format!(
            "file path for key name {} missing",
            &source[..source.len() - 1]
        ));
    }
    if n > 1 {
        return Err("key names or file paths cannot contain '='".into());
    }
    let (k, p) = source.split_once('=').unwrap_or((source, ""));
    Ok((k.to_string(), p.to_string()))
}

/// `util.ParseLiteralSource`.
fn parse_literal_source(source: &str) -> GenResult<(String, String)> {
    match source.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!(
            "invalid literal source {source}, expected key=value"
        )),
    }
}

const ENV_NAME_FMT: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/// `validation.IsEnvVarName` as kubectl (client side) still applies it to env files.
fn env_name_errors(k: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let ok = !k.is_empty()
        && !k.as_bytes()[0].is_ascii_digit()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !ok {
        errs.push(ENV_NAME_FMT.to_string());
    }
    if k == "." {
        errs.push("must not be '.'".into());
    } else if k == ".." {
        errs.push("must not be '..'".into());
    } else if k.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    errs
}

/// `cmdutil.AddFromEnvFile`: `KEY=VALUE` lines; blank lines and `#` comments skipped; leading
/// whitespace trimmed, the rest kept as is (quotes included); a bare `KEY` takes its value
/// from kubectl's own environment (empty here).
fn env_file_pairs(path: &str, data: &[u8]) -> GenResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.ends_with(b"\n") {
        lines.pop();
    }
    for (n, raw) in lines.into_iter().enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(line) = std::str::from_utf8(raw) else {
            let bytes: Vec<String> = raw.iter().map(|b| b.to_string()).collect();
            return Err(format!(
                "env file {path} contains invalid utf8 bytes at line {}: [{}]",
                n + 1,
                bytes.join(" ")
            ));
        };
        let line = if n == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=').unwrap_or((line, ""));
        let errs = env_name_errors(k);
        if !errs.is_empty() {
            return Err(format!(
                "{} is not a valid key name: {}",
                go_quote(k),
                errs.join(";")
            ));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The data a generator is building, with the checks of the kind it builds.
struct Builder {
    secret: bool,
    name: String,
    data: BTreeMap<String, String>,
    binary: BTreeMap<String, Vec<u8>>,
}

impl Builder {
    fn check_key(&self, key: &str) -> GenResult<()> {
        let errs = config_key_errors(key);
        if self.secret {
            if !errs.is_empty() {
                return Err(format!(
                    "{} is not valid key name for a Secret {}",
                    go_quote(key),
                    errs.join(";")
                ));
            }
            if self.binary.contains_key(key) {
                return Err(format!(
                    "cannot add key {key}, another key by that name already exists"
                ));
            }
            return Ok(());
        }
        if !errs.is_empty() {
            return Err(format!(
                "{} is not a valid key name for a ConfigMap: {}",
                go_quote(key),
                errs.join(",")
            ));
        }
        if self.data.contains_key(key) {
            return Err(format!(
                "cannot add key {}, another key by that name already exists in Data for ConfigMap {}",
                go_quote(key),
                go_quote(&self.name)
            ));
        }
        if self.binary.contains_key(key) {
            return Err(format!(
                "cannot add key {}, another key by that name already exists in BinaryData for ConfigMap {}",
                go_quote(key),
                go_quote(&self.name)
            ));
        }
        Ok(())
    }

    /// A Secret keeps bytes; a ConfigMap keeps text in `data` and other bytes in `binaryData`.
    fn add(&mut self, key: &str, bytes: Vec<u8>) -> GenResult<()> {
        self.check_key(key)?;
        if self.secret {
            self.binary.insert(key.to_string(), bytes);
            return Ok(());
        }
        match String::from_utf8(bytes) {
            Ok(s) => {
                self.data.insert(key.to_string(), s);
            }
            Err(e) => {
                self.binary.insert(key.to_string(), e.into_bytes());
            }
        }
        Ok(())
    }

    fn from_files(&mut self, cx: &Cx<'_>, sources: &[String]) -> GenResult<()> {
        for src in sources {
            let (key, path) = parse_file_source(src)?;
            match stat(cx, &path) {
                None => return Err(format!("error reading {path}: no such file or directory")),
                Some(Entry::Dir(entries)) => {
                    if src.contains('=') {
                        return Err("cannot give a key name for a directory path".into());
                    }
                    for (name, is_file) in entries {
                        if !is_file {
                            continue;
                        }
                        let item = join_path(&path, &name);
                        let data = cx.fs.read(&item).unwrap_or_default();
                        self.add(&name, data)?;
                    }
                }
                Some(Entry::File(data)) => self.add(&key, data)?,
            }
        }
        Ok(())
    }

    fn from_literals(&mut self, sources: &[String]) -> GenResult<()> {
        for src in sources {
            let (k, v) = parse_literal_source(src)?;
            self.add(&k, v.into_bytes())?;
        }
        Ok(())
    }

    fn from_env_files(&mut self, cx: &Cx<'_>, sources: &[String]) -> GenResult<()> {
        for path in sources {
            let data = match stat(cx, path) {
                None => return Err(format!("error reading {path}: no such file or directory")),
                Some(Entry::Dir(_)) => return Err("env config file cannot be a directory".into()),
                Some(Entry::File(d)) => d,
            };
            for (k, v) in env_file_pairs(path, &data)? {
                self.add(&k, v.into_bytes())?;
            }
        }
        Ok(())
    }
}

/// The object as the typed client marshals it, in Go struct field order. An object that was
/// never stored has no `creationTimestamp` (omitted when zero since Kubernetes 1.34).
fn typed_value(obj: &Object) -> Value {
    let mut v = obj.to_value();
    if let Value::Object(m) = &mut v {
        let info = obj.info();
        m.insert("apiVersion".into(), Value::String(info.api_version()));
        m.insert("kind".into(), Value::String(info.kind.as_str().into()));
        if let Some(Value::Object(meta)) = m.get_mut("metadata") {
            meta.remove("managedFields");
        }
    }
    v
}

/// Field order of the Go structs kubectl marshals (`ConfigMap`, `Secret`, `ObjectMeta`).
fn struct_order(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "" => Some(&[
            "kind",
            "apiVersion",
            "metadata",
            "immutable",
            "data",
            "binaryData",
            "stringData",
            "type",
        ]),
        "metadata" => Some(&[
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ]),
        _ => None,
    }
}

/// Go's `json.MarshalIndent(obj, "", "    ")` of a typed ConfigMap or Secret.
pub fn typed_json(v: &Value) -> String {
    crate::print::json::to_json_typed(v, struct_order)
}

/// A string as Go's encoding/json writes it (HTML characters and U+2028/9 escaped).
fn go_json_string(s: &str, out: &mut String) {
    crate::print::json::write_string(out, s);
}

/// Create (or dry-run) the built object and print what kubectl prints.
fn finish(cx: &mut Cx<'_>, obj: Object, dry: DryRun, format: &str, what: &str) -> Exec {
    let info = obj.info();
    let result = match dry {
        DryRun::Client => Ok(obj),
        DryRun::Server | DryRun::None => {
            let mut o = obj;
            if o.meta().namespace.is_none() {
                o.meta_mut().namespace = Some(cx.namespace.clone());
            }
            cx.world.create_checked(o, dry == DryRun::Server)
        }
    };
    let obj = match result {
        Ok(o) => o,
        Err(e) => {
            // The generators wrap the server's error; the secret ones without a colon.
            let sep = if what == "secret" { " " } else { ": " };
            cx.out.err(format!(
                "error: failed to create {what}{sep}{}\n",
                server_text(&e)
            ));
            return Exec::Done(1);
        }
    };
    let name = obj.name().to_string();
    let suffix = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let v = typed_value(&obj);
    match format {
        "" => cx.out.out(format!(
            "{}/{name} created{suffix}\n",
            info.singular_group()
        )),
        "name" => cx.out.out(format!("{}/{name}\n", info.singular_group())),
        "json" => cx.out.out(typed_json(&v)),
        _ => cx.out.out(yaml_text(&v)),
    }
    Exec::Done(0)
}

/// The server's error as `%v` prints it inside the generator's own message.
fn server_text(e: &ApiError) -> String {
    e.message.clone()
}

fn fail(cx: &mut Cx<'_>, msg: String) -> Exec {
    cx.out.err(format!("error: {msg}\n"));
    Exec::Done(1)
}

fn meta(name: &str, ns: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if let Some(ns) = ns {
        m.insert("namespace".into(), json!(ns));
    }
    Value::Object(m)
}

fn to_object(v: Value) -> GenResult<Object> {
    decode::decode(&v).map_err(|e| e.message())
}

/// `kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]`.
pub fn configmap(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let a = match parse(cx, &CONFIGMAP_DOC, &[COMMON, SOURCES], args) {
        Ok(a) => a,
        Err(code) => return Exec::Done(code),
    };
    let built = (|| -> GenResult<(Object, DryRun, String)> {
        let name = name_arg(&a, "create configmap")?;
        let dry = dry_run(&a)?;
        let format = output_format(&a)?;
        let (files, literals, envs) = (
            a.all("from-file"),
            a.all("from-literal"),
            a.all("from-env-file"),
        );
        if !envs.is_empty() && (!files.is_empty() || !literals.is_empty()) {
            return Err("from-env-file cannot be combined with from-file or from-literal".into());
        }
        let mut b = Builder {
            secret: false,
            name: name.clone(),
            data: BTreeMap::new(),
            binary: BTreeMap::new(),
        };
        b.from_files(cx, &files)?;
        b.from_literals(&literals)?;
        b.from_env_files(cx, &envs)?;
        let mut v = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": meta(&name, a.namespace())});
        if !b.data.is_empty() {
            v["data"] = json!(b.data);
        }
        if !b.binary.is_empty() {
            let enc: BTreeMap<&String, String> = b
                .binary
                .iter()
                .map(|(k, d)| (k, base64_encode(d)))
                .collect_map();
            v["binaryData"] = json!(enc);
        }
        if a.bool("append-hash") {
            append_hash(&mut v);
        }
        Ok((to_object(v)?, dry, format))
    })();
    match built {
        Ok((obj, dry, format)) => finish(cx, obj, dry, &format, "configmap"),
        Err(msg) => fail(cx, msg),
    }
}

/// `kubectl create secret (generic|tls|docker-registry) NAME ...`.
pub fn secret(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let Some(sub) = args.first() else {
        cx.out.out(SECRET_HELP);
        return Exec::Done(0);
    };
    let rest = &args[1..];
    match sub.as_str() {
        "generic" => secret_generic(cx, rest),
        "tls" => secret_tls(cx, rest),
        "docker-registry" => secret_docker(cx, rest),
        _ => {
            // cobra: an unknown subcommand of a command without Run prints its help.
            cx.out.out(SECRET_HELP);
            Exec::Done(0)
        }
    }
}

const SECRET_HELP: &str = "Create a secret with specified type.

 A docker-registry type secret is for accessing a container registry.

 A generic type secret indicate an Opaque secret type.

 A tls type secret holds TLS certificate and its associated key.

Available Commands:
  docker-registry   Create a secret for use with a Docker registry
  generic           Create a secret from a local file, directory, or literal value
  tls               Create a TLS secret

Usage:
  kubectl create secret (docker-registry | generic | tls) [options]

Use \"kubectl create secret <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

fn secret_value(
    name: &str,
    ns: Option<&str>,
    type_: Option<&str>,
    data: &BTreeMap<String, Vec<u8>>,
) -> Value {
    let mut v = json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(name, ns)});
    if !data.is_empty() {
        let enc: BTreeMap<&String, String> = data
            .iter()
            .map(|(k, d)| (k, base64_encode(d)))
            .collect_map();
        v["data"] = json!(enc);
    }
    if let Some(t) = type_.filter(|t| !t.is_empty()) {
        v["type"] = json!(t);
    }
    v
}

fn secret_generic(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let cmd = "create secret generic";
    let a = match parse(cx, &SECRET_GENERIC_DOC, &[COMMON, SOURCES, GENERIC], args) {
        Ok(a) => a,
        Err(code) => return Exec::Done(code),
    };
    let built = (|| -> GenResult<(Object, DryRun, String)> {
        let name = name_arg(&a, cmd)?;
        let dry = dry_run(&a)?;
        let format = output_format(&a)?;
        let (files, literals, envs) = (
            a.all("from-file"),
            a.all("from-literal"),
            a.all("from-env-file"),
        );
        if !envs.is_empty() && (!files.is_empty() || !literals.is_empty()) {
            return Err("from-env-file cannot be combined with from-file or from-literal".into());
        }
        let mut b = Builder {
            secret: true,
            name: name.clone(),
            data: BTreeMap::new(),
            binary: BTreeMap::new(),
        };
        b.from_files(cx, &files)?;
        b.from_literals(&literals)?;
        b.from_env_files(cx, &envs)?;
        let mut v = secret_value(&name, a.namespace(), a.str("type"), &b.binary);
        if a.bool("append-hash") {
            append_hash(&mut v);
        }
        Ok((to_object(v)?, dry, format))
    })();
    match built {
        Ok((obj, dry, format)) => finish(cx, obj, dry, &format, "secret"),
        Err(msg) => fail(cx, msg),
    }
}

/// What `tls.X509KeyPair` can be checked for without cryptography: PEM blocks of the right
/// types. (A key that does not match its certificate is not detected.)
fn check_pem(cert: &[u8], key: &[u8]) -> GenResult<()> {
    let blocks = |d: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(d)
            .lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix("-----BEGIN ")
                    .and_then(|r| r.strip_suffix("-----"))
                    .map(str::to_string)
            })
            .collect()
    };
    let cb = blocks(cert);
    if cb.is_empty() {
        return Err("tls: failed to find any PEM data in certificate input".into());
    }
    if !cb.iter().any(|b| b == "CERTIFICATE") {
        if cb.len() == 1 && cb[0].ends_with("PRIVATE KEY") {
            return Err("tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".into());
        }
        return Err(format!("tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [{}]", cb.join(" ")));
    }
    let kb = blocks(key);
    if kb.is_empty() {
        return Err("tls: failed to find any PEM data in key input".into());
    }
    if !kb
        .iter()
        .any(|b| b == "PRIVATE KEY" || b.ends_with(" PRIVATE KEY"))
    {
        if kb.len() == 1 && kb[0] == "CERTIFICATE" {
            return Err(
                "tls: found a certificate rather than a key in the PEM for the private key".into(),
            );
        }
        return Err(format!("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [{}]", kb.join(" ")));
    }
    Ok(())
}

fn secret_tls(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let cmd = "create secret tls";
    let a = match parse(cx, &SECRET_TLS_DOC, &[COMMON, TLS], args) {
        Ok(a) => a,
        Err(code) => return Exec::Done(code),
    };
    let built = (|| -> GenResult<(Object, DryRun, String)> {
        let name = name_arg(&a, cmd)?;
        let dry = dry_run(&a)?;
        let format = output_format(&a)?;
        let (cert, key) = (a.str("cert").unwrap_or(""), a.str("key").unwrap_or(""));
        if cert.is_empty() || key.is_empty() {
            return Err("key and cert must be specified".into());
        }
        let read = |p: &str| {
            cx.fs
                .read(p)
                .ok_or_else(|| format!("Cannot read file {p}, open {p}: no such file or directory"))
        };
        let (c, k) = (read(cert)?, read(key)?);
        check_pem(&c, &k)?;
        let data = kubeplay_sort::map([("tls.crt".to_string(), c), ("tls.key".to_string(), k)]);
        let mut v = secret_value(&name, a.namespace(), Some("kubernetes.io/tls"), &data);
        if a.bool("append-hash") {
            append_hash(&mut v);
        }
        Ok((to_object(v)?, dry, format))
    })();
    match built {
        Ok((obj, dry, format)) => finish(cx, obj, dry, &format, "secret"),
        Err(msg) => fail(cx, msg),
    }
}

fn secret_docker(cx: &mut Cx<'_>, args: &[String]) -> Exec {
    let cmd = "create secret docker-registry";
    let a = match parse(cx, &SECRET_DOCKER_DOC, &[COMMON, DOCKER], args) {
        Ok(a) => a,
        Err(code) => return Exec::Done(code),
    };
    let built = (|| -> GenResult<(Object, DryRun, String)> {
        let name = name_arg(&a, cmd)?;
        let dry = dry_run(&a)?;
        let format = output_format(&a)?;
        let files = a.all("from-file");
        let server = a
            .str("docker-server")
            .unwrap_or("https://index.docker.io/v1/");
        let user = a.str("docker-username").unwrap_or("");
        let pass = a.str("docker-password").unwrap_or("");
        let email = a.str("docker-email").unwrap_or("");
        let mut b = Builder {
            secret: true,
            name: name.clone(),
            data: BTreeMap::new(),
            binary: BTreeMap::new(),
        };
        if files.is_empty() {
            if user.is_empty() || pass.is_empty() || server.is_empty() {
                return Err("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required".into());
            }
            let mut entry = Map::new();
            entry.insert("username".into(), json!(user));
            entry.insert("password".into(), json!(pass));
            if !email.is_empty() {
                entry.insert("email".into(), json!(email));
            }
            entry.insert(
                "auth".into(),
                json!(base64_encode(format!("{user}:{pass}").as_bytes())),
            );
            // encoding/json: struct fields in order, compact, HTML characters escaped.
            let mut s = String::from("{\"auths\":{");
            go_json_string(server, &mut s);
            s.push_str(":{");
            let fields: Vec<String> = ["username", "password", "email", "auth"]
                .iter()
                .filter_map(|f| {
                    entry.get(*f).and_then(Value::as_str).map(|v| {
                        let mut x = String::new();
                        go_json_string(f, &mut x);
                        x.push(':');
                        go_json_string(v, &mut x);
                        x
                    })
                })
                .collect();
            s.push_str(&fields.join(","));
            s.push_str("}}}");
            b.binary.insert(".dockerconfigjson".into(), s.into_bytes());
        } else {
            b.from_files(cx, &files)?;
        }
        let mut v = secret_value(
            &name,
            a.namespace(),
            Some("kubernetes.io/dockerconfigjson"),
            &b.binary,
        );
        if a.bool("append-hash") {
            append_hash(&mut v);
        }
        Ok((to_object(v)?, dry, format))
    })();
    match built {
        Ok((obj, dry, format)) => finish(cx, obj, dry, &format, "secret"),
        Err(msg) => fail(cx, msg),
    }
}

/// SHA-256 (FIPS 180-4), for `--append-hash` names.
fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7]
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [
                t1.wrapping_add(t2),
                v[0],
                v[1],
                v[2],
                v[3].wrapping_add(t1),
                v[4],
                v[5],
                v[6],
            ];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// kubectl's `hash.ConfigMapHash` / `SecretHash`: SHA-256 of a small JSON encoding, the first
/// ten hex digits with `0 1 3 a e` swapped for `g h k m t` (no vowels, no look-alikes).
fn append_hash(v: &mut Value) {
    let name = v["metadata"]["name"].as_str().unwrap_or("").to_string();
    let mut m = Map::new();
    m.insert("kind".into(), v["kind"].clone());
    m.insert("name".into(), json!(name));
    let data = v.get("data").cloned().unwrap_or(json!({}));
    m.insert("data".into(), data);
    if v["kind"] == "Secret" {
        m.insert("type".into(), v.get("type").cloned().unwrap_or(json!("")));
    } else if let Some(b) = v.get("binaryData") {
        m.insert("binaryData".into(), b.clone());
    }
    let encoded = crate::print::json::to_compact(&Value::Object(m));
    let hex: String = sha256(encoded.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let h: String = hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect();
    v["metadata"]["name"] = json!(format!("{name}-{h}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files() {
        let d = b"enemies=aliens\nlives=3\nallowed=\"true\"\n\n# comment\n  SP=a b  \r\nNOVAL\n";
        assert_eq!(
            env_file_pairs("f", d).unwrap(),
            vec![
                ("enemies".to_string(), "aliens".to_string()),
                ("lives".into(), "3".into()),
                ("allowed".into(), "\"true\"".into()),
                ("SP".into(), "a b  ".into()),
                ("NOVAL".into(), "".into()),
            ]
        );
        assert_eq!(
            env_file_pairs("f", b"1BAD=x\n").unwrap_err(),
            format!("\"1BAD\" is not a valid key name: {ENV_NAME_FMT}")
        );
    }

    #[test]
    fn sha256_vectors() {
        let hex = |d: &[u8]| -> String { sha256(d).iter().map(|b| format!("{b:02x}")).collect() };
        assert_eq!(
            hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = vec![b'a'; 1000];
        assert_eq!(
            hex(&long),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
        );
    }

    #[test]
    fn sources() {
        assert_eq!(
            parse_file_source("dir/a.txt").unwrap(),
            ("a.txt".into(), "dir/a.txt".into())
        );
        assert_eq!(
            parse_file_source("k=dir/a.txt").unwrap(),
            ("k".into(), "dir/a.txt".into())
        );
        assert_eq!(
            parse_file_source("=x").unwrap_err(),
            "key name for file path x missing"
        );
        assert_eq!(
            parse_file_source("a=b=c").unwrap_err(),
            "key names or file paths cannot contain '='"
        );
        assert_eq!(
            parse_literal_source("a=b=c").unwrap(),
            ("a".into(), "b=c".into())
        );
        assert_eq!(
            parse_literal_source("=x").unwrap_err(),
            "invalid literal source =x, expected key=value"
        );
    }
}

/// `-o yaml`: sigs.k8s.io/yaml of the typed object (key order is YAML's own).
fn yaml_text(v: &Value) -> String {
    crate::print::yaml::to_yaml(v)
}

#!/usr/bin/env python3
"""Generate explain.txt: the OpenAPI descriptions of the kinds kubeplay serves
and every type reachable from them, read from the doc comments of k8s-openapi's generated
source (which carry the API's own descriptions). Run from the crate directory:

    python3 gen/explain.py ~/.cargo/registry/src/*/k8s-openapi-0.29.0/src/v1_37 > explain.txt
"""
import os, re, sys

root = sys.argv[1]
ROOTS = [
    ("api/core/v1", "Pod"), ("api/apps/v1", "Deployment"), ("api/apps/v1", "ReplicaSet"),
    ("api/core/v1", "Service"), ("api/core/v1", "ConfigMap"), ("api/core/v1", "Secret"),
    ("api/core/v1", "Namespace"), ("api/core/v1", "Node"), ("api/core/v1", "Endpoints"),
    ("api/core/v1", "Event"), ("api/core/v1", "ServiceAccount"),
]
# Status subtrees are large and rarely explained; they are cut below the first level.
SKIP_RECURSE = {"managedFields"}

def snake(name):
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()

def file_of(module, name):
    return os.path.join(root, module, snake(name) + ".rs")

SCALARS = {
    "std::string::String": "string", "i32": "integer", "i64": "integer", "f64": "number",
    "bool": "boolean", "crate::ByteString": "string",
    "crate::apimachinery::pkg::apis::meta::v1::Time": "string",
    "crate::apimachinery::pkg::apis::meta::v1::MicroTime": "string",
    "crate::apimachinery::pkg::util::intstr::IntOrString": "IntOrString",
    "crate::apimachinery::pkg::api::resource::Quantity": "Quantity",
    "crate::serde_json::Value": "Object", "crate::apimachinery::pkg::runtime::RawExtension": "Object",
    "crate::apimachinery::pkg::apis::meta::v1::FieldsV1": "Object",
}

def parse_type(t):
    """-> (display, (module, name) or None, required)"""
    req = True
    m = re.fullmatch(r'Option<(.*)>', t)
    if m:
        req = False
        t = m.group(1)
    def disp(t):
        m = re.fullmatch(r'std::vec::Vec<(.*)>', t)
        if m:
            d, ref = disp(m.group(1))
            return "[]" + d, ref
        m = re.fullmatch(r'std::collections::BTreeMap<std::string::String, (.*)>', t)
        if m:
            d, ref = disp(m.group(1))
            return "map[string]" + d, ref
        if t in SCALARS:
            return SCALARS[t], None
        m = re.fullmatch(r'crate::(.*)::(\w+)', t)
        if m:
            return m.group(2), (m.group(1).replace("::", "/"), m.group(2))
        return "Object", None
    d, ref = disp(t)
    return d, ref, req

def parse(module, name):
    src = open(file_of(module, name)).read()
    m = re.search(r'((?:///[^\n]*\n)*)#\[derive[^\n]*\]\npub struct ' + name + r' \{(.*?)\n\}', src, re.S)
    doc = "\n".join(l[4:] if l.startswith("/// ") else l[3:] for l in m.group(1).strip("\n").split("\n")) if m.group(1) else ""
    body = m.group(2) + "\n"
    fields = []
    for fm in re.finditer(r'((?:\s*///[^\n]*\n)*)\s*pub (\w+): ([^\n]*),\n', body):
        fdoc = "\n".join(re.sub(r'^\s*/// ?', '', l) for l in fm.group(1).strip("\n").split("\n") if l.strip())
        fields.append((fm.group(2), fm.group(3), fdoc))
    json_names = re.findall(r'serialize_field\(&mut state, "([^"]+)"', src)
    by_norm = {j.replace("_", "").lower(): j for j in json_names}
    out = []
    for rust, ty, fdoc in fields:
        j = by_norm.get(rust.replace("_", "").lower())
        if j is None:
            continue
        out.append((j, ty, fdoc))
    # apiVersion and kind are written by the resource trait, not as fields.
    if "<Self as crate::Resource>::API_VERSION" in src:
        out = [("apiVersion", "std::string::String", "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"),
               ("kind", "std::string::String", "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds")] + out
    out.sort(key=lambda f: f[0])
    return doc, out

types = {}
queue = [(m, n) for m, n in ROOTS]
while queue:
    module, name = queue.pop()
    if name in types:
        continue
    try:
        doc, fields = parse(module, name)
    except (FileNotFoundError, AttributeError):
        continue
    fl = []
    for j, ty, fdoc in fields:
        d, ref, req = parse_type(ty)
        if j in ("metadata", "apiVersion", "kind"):
            req = False
        fl.append((j, d, ref[1] if ref else None, req, fdoc))
        if ref and j not in SKIP_RECURSE:
            queue.append(ref)
    types[name] = (doc, fl)

def clean(s):
    return s.replace("\\[", "[").replace("\\]", "]").replace("\\_", "_").replace("\\*", "*")

# One record per type, ended by \x1c: name \x1f description \x1d, then its fields, each ended
# by \x1e: name, type, the object type it holds (empty if none), `r` if required,
# description, separated by \x1f.
out = []
for name in sorted(types):
    doc, fl = types[name]
    rec = [name, "\x1f", clean(doc), "\x1d"]
    for j, d, ref, req, fdoc in fl:
        r = "" if ref is None or ref not in types else ref
        rec.append("\x1f".join((j, d, r, "r" if req else "", clean(fdoc))) + "\x1e")
    rec.append("\x1c")
    text = "".join(rec)
    assert text.count("\x1c") == 1 and text.count("\x1d") == 1
    out.append(text)
sys.stdout.write("".join(out))

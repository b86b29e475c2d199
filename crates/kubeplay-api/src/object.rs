//! One enum over every kind kubeplay stores, so that the store, kubectl and the page can handle
//! objects generically while controllers work on the concrete k8s-openapi types.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service, ServiceAccount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

macro_rules! kinds {
    ($($kind:ident),* $(,)?) => {
        /// The kinds kubeplay serves, in the order `kubectl api-resources` would list them
        /// within their group.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($kind),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$kind),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$kind => stringify!($kind)),* }
            }
            pub fn from_kind_str(s: &str) -> Option<Kind> {
                match s { $(stringify!($kind) => Some(Kind::$kind),)* _ => None }
            }
        }

        /// A stored object of any served kind.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object { $($kind(Box<$kind>)),* }

        impl Object {
            pub fn kind(&self) -> Kind {
                match self { $(Object::$kind(_) => Kind::$kind),* }
            }
            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Object::$kind(o) => &o.metadata),* }
            }
            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$kind(o) => &mut o.metadata),* }
            }
            /// The object as JSON, with `apiVersion` and `kind` first-class fields.
            pub fn to_value(&self) -> Value {
                match self { $(Object::$kind(o) => crate::codec::to_value(&**o)),* }
            }
            /// Decode a JSON value of a known kind. Strictness is checked by [`crate::decode`].
            pub fn from_value(kind: Kind, v: Value) -> Result<Object, serde_json::Error> {
                Object::from_value_at(kind, v).map_err(|(_, e)| e)
            }
            /// [`Object::from_value`], and on failure the path of the value that failed
            /// (`spec.replicas`), through kubeplay's field tables ([`crate::codec`]).
            pub fn from_value_at(kind: Kind, v: Value) -> Result<Object, (String, serde_json::Error)> {
                Ok(match kind { $(Kind::$kind => Object::$kind(Box::new(crate::codec::from_value(v)?))),* })
            }
        }

        $(
            impl From<$kind> for Object {
                fn from(o: $kind) -> Object { Object::$kind(Box::new(o)) }
            }
        )*
    };
}

kinds!(
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    ConfigMap,
    Secret,
    Event,
    ServiceAccount,
    Deployment,
    ReplicaSet,
);

impl Object {
    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }
    pub fn namespace(&self) -> Option<&str> {
        self.meta().namespace.as_deref()
    }
    pub fn info(&self) -> &'static crate::ResourceInfo {
        crate::registry::info(self.kind())
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    /// The pod-template-hash and the page's template YAML go through a `Value`, whose keys are
    /// sorted: that keeps the bytes only because k8s-openapi writes every nested struct's
    /// fields in sorted order.
    #[test]
    fn a_value_round_trip_keeps_the_json_bytes_of_a_template() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: {app: web, z: '1', a: '2'}\n      annotations: {note: \"a\\u00e9\\t\\\"x\"}\n    spec:\n      hostNetwork: true\n      hostname: h\n      hostIPC: false\n      terminationGracePeriodSeconds: -1\n      serviceAccountName: s\n      serviceAccount: s\n      initContainers: [{name: i, image: busybox, command: [sh, -c, 'exit 0']}]\n      containers:\n      - name: c\n        image: nginx:1.25\n        imagePullPolicy: Always\n        stdinOnce: true\n        stdin: true\n        args: ['', '1.5']\n        env: [{name: A, value: '007'}, {name: B, valueFrom: {secretKeyRef: {name: s, key: k}}}]\n        envFrom: [{configMapRef: {name: cm}, prefix: P_}]\n        ports: [{containerPort: 80, protocol: TCP, hostIP: 1.2.3.4}]\n        resources: {limits: {cpu: 500m, memory: 1Gi}, requests: {cpu: '1'}}\n        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 3}\n        livenessProbe: {exec: {command: ['true']}}\n        securityContext: {runAsUser: 1000, readOnlyRootFilesystem: true}\n        volumeMounts: [{name: v, mountPath: /etc/x, readOnly: true, subPath: a}]\n      volumes:\n      - {name: v, configMap: {name: cm, defaultMode: 256, items: [{key: a, path: b}]}}\n      - {name: w, secret: {secretName: s, optional: true}}\n      - {name: e, emptyDir: {medium: Memory, sizeLimit: 1Gi}}\n      - {name: p, projected: {sources: [{configMap: {name: cm}}, {downwardAPI: {items: [{path: l, fieldRef: {fieldPath: metadata.labels}}]}}]}}\n      tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 5}]\n      nodeSelector: {disk: ssd}\n      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: k, operator: In, values: [a]}]}]}}}\n";
        let docs = crate::decode::parse_documents(yaml).unwrap();
        let crate::Object::Deployment(d) = crate::decode::decode(&docs[0]).unwrap() else {
            panic!()
        };
        let t = &d.spec.template;
        let direct = serde_json::to_vec(t).unwrap();
        let by_value = serde_json::to_vec(&serde_json::to_value(t).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(by_value).unwrap(),
            String::from_utf8(direct).unwrap()
        );
    }
}

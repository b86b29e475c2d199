//! One enum over every kind kubeplay stores, so that the store, kubectl and the page can handle
//! objects generically while controllers work on the concrete k8s-openapi types.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service,
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
                let r = match self { $(Object::$kind(o) => serde_json::to_value(&**o)),* };
                r.expect("k8s-openapi types always serialize")
            }
            /// Decode a JSON value of a known kind. Strictness is checked by [`crate::decode`].
            pub fn from_value(kind: Kind, v: Value) -> Result<Object, serde_json::Error> {
                Object::from_value_at(kind, v).map_err(|(_, e)| e)
            }
            /// [`Object::from_value`], and on failure the path of the value that failed
            /// (`spec.replicas`), through kubeplay's one deserializer ([`crate::de`]).
            pub fn from_value_at(kind: Kind, v: Value) -> Result<Object, (String, serde_json::Error)> {
                Ok(match kind { $(Kind::$kind => Object::$kind(Box::new(crate::de::from_value(v)?))),* })
            }
        }

        $(
            impl From<$kind> for Object {
                fn from(o: $kind) -> Object { Object::$kind(Box::new(o)) }
            }
        )*
    };
}

kinds!(Namespace, Node, Pod, Service, Endpoints, ConfigMap, Secret, Event, Deployment, ReplicaSet);

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

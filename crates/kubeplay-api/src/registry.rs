//! What discovery would tell kubectl about each kind: group, version, plural, short names,
//! scope and categories.

use crate::Kind;

#[derive(Debug)]
pub struct ResourceInfo {
    pub kind: Kind,
    /// Empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    /// Member of the `all` category (`kubectl get all`).
    pub in_all: bool,
}

impl ResourceInfo {
    /// `apps/v1` or `v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
    /// `deployments.apps` or `pods`: how the API server names the resource in errors.
    pub fn plural_group(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
    /// `deployment.apps` or `pod`: how kubectl prefixes names (`deployment.apps/web`).
    pub fn singular_group(&self) -> String {
        if self.group.is_empty() {
            self.singular.to_string()
        } else {
            format!("{}.{}", self.singular, self.group)
        }
    }
}

pub static RESOURCES: &[ResourceInfo] = &[
    ResourceInfo {
        kind: Kind::Pod,
        group: "",
        version: "v1",
        plural: "pods",
        singular: "pod",
        short_names: &["po"],
        namespaced: true,
        in_all: true,
    },
    ResourceInfo {
        kind: Kind::Service,
        group: "",
        version: "v1",
        plural: "services",
        singular: "service",
        short_names: &["svc"],
        namespaced: true,
        in_all: true,
    },
    ResourceInfo {
        kind: Kind::Deployment,
        group: "apps",
        version: "v1",
        plural: "deployments",
        singular: "deployment",
        short_names: &["deploy"],
        namespaced: true,
        in_all: true,
    },
    ResourceInfo {
        kind: Kind::ReplicaSet,
        group: "apps",
        version: "v1",
        plural: "replicasets",
        singular: "replicaset",
        short_names: &["rs"],
        namespaced: true,
        in_all: true,
    },
    ResourceInfo {
        kind: Kind::ConfigMap,
        group: "",
        version: "v1",
        plural: "configmaps",
        singular: "configmap",
        short_names: &["cm"],
        namespaced: true,
        in_all: false,
    },
    ResourceInfo {
        kind: Kind::Secret,
        group: "",
        version: "v1",
        plural: "secrets",
        singular: "secret",
        short_names: &[],
        namespaced: true,
        in_all: false,
    },
    ResourceInfo {
        kind: Kind::ServiceAccount,
        group: "",
        version: "v1",
        plural: "serviceaccounts",
        singular: "serviceaccount",
        short_names: &["sa"],
        namespaced: true,
        in_all: false,
    },
    ResourceInfo {
        kind: Kind::Endpoints,
        group: "",
        version: "v1",
        plural: "endpoints",
        singular: "endpoints",
        short_names: &["ep"],
        namespaced: true,
        in_all: false,
    },
    ResourceInfo {
        kind: Kind::Event,
        group: "",
        version: "v1",
        plural: "events",
        singular: "event",
        short_names: &["ev"],
        namespaced: true,
        in_all: false,
    },
    ResourceInfo {
        kind: Kind::Namespace,
        group: "",
        version: "v1",
        plural: "namespaces",
        singular: "namespace",
        short_names: &["ns"],
        namespaced: false,
        in_all: false,
    },
    ResourceInfo {
        kind: Kind::Node,
        group: "",
        version: "v1",
        plural: "nodes",
        singular: "node",
        short_names: &["no"],
        namespaced: false,
        in_all: false,
    },
];

pub fn info(kind: Kind) -> &'static ResourceInfo {
    RESOURCES
        .iter()
        .find(|r| r.kind == kind)
        .expect("every kind is registered")
}

/// Resolve what a user typed as a resource type: `pods`, `pod`, `po`, `Pod`, `deployment.apps`,
/// `deployments.apps/v1`... Matching is case-insensitive, as kubectl's RESTMapper is.
pub fn lookup(typed: &str) -> Option<&'static ResourceInfo> {
    let lower = typed.to_ascii_lowercase();
    let (name, group) = match lower.split_once('.') {
        Some((n, g)) => (
            n.to_string(),
            Some(g.split('/').next().unwrap_or("").to_string()),
        ),
        None => (lower.clone(), None),
    };
    RESOURCES.iter().find(|r| {
        let name_ok = r.plural == name
            || r.singular == name
            || r.short_names.contains(&name.as_str())
            || r.kind.as_str().eq_ignore_ascii_case(&name);
        let group_ok = match &group {
            None => true,
            Some(g) => {
                g == r.group
                    || (r.group.is_empty() && (g == "v1" || g.is_empty()))
                    // `deployment.v1.apps`: resource.version.group.
                    || g.split_once('.').is_some_and(|(v, gr)| v == r.version && gr == r.group)
            }
        };
        name_ok && group_ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_accept_kubectls_spellings() {
        for typed in [
            "deploy",
            "deployments",
            "Deployment",
            "deployment.apps",
            "deployments.apps",
        ] {
            assert_eq!(
                lookup(typed).map(|r| r.kind),
                Some(Kind::Deployment),
                "{typed}"
            );
        }
        assert_eq!(lookup("po").map(|r| r.kind), Some(Kind::Pod));
        assert_eq!(lookup("cm").map(|r| r.kind), Some(Kind::ConfigMap));
        assert!(lookup("deploymnt").is_none());
        assert!(lookup("pods.apps").is_none());
    }

    #[test]
    fn every_kind_is_registered_once() {
        for k in Kind::ALL {
            assert_eq!(RESOURCES.iter().filter(|r| r.kind == *k).count(), 1, "{k}");
        }
    }
}

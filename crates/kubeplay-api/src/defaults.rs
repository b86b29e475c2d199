//! Defaulting, as the API server applies it on create and update (`SetDefaults_*`).

use crate::Object;
use k8s_openapi::api::core::v1::Pod;

/// Fill in the defaults the API server would.
pub fn apply(obj: &mut Object) {
    if let Object::Secret(s) = obj {
        crate::configdata::default_secret(s);
    }
}

/// Defaults for a pod created from a template.
pub fn pod(_p: &mut Pod) {}

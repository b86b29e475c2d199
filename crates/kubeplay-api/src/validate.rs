//! Validation with the API server's messages (`ValidateDeployment`, `ValidatePod`, ...).

use crate::{configdata, ApiError, Object};

/// Validate an object about to be created.
pub fn validate_create(obj: &Object) -> Result<(), ApiError> {
    match obj {
        Object::ConfigMap(c) => {
            configdata::invalid("ConfigMap", obj.name(), configdata::validate_config_map(c))
        }
        Object::Secret(s) => {
            configdata::invalid("Secret", obj.name(), configdata::validate_secret(s))
        }
        _ => Ok(()),
    }
}

/// Validate an update of `old` to `new` (immutable fields and the create rules).
pub fn validate_update(new: &Object, old: &Object) -> Result<(), ApiError> {
    match (new, old) {
        (Object::ConfigMap(n), Object::ConfigMap(o)) => configdata::invalid(
            "ConfigMap",
            new.name(),
            configdata::validate_config_map_update(n, o),
        ),
        (Object::Secret(n), Object::Secret(o)) => configdata::invalid(
            "Secret",
            new.name(),
            configdata::validate_secret_update(n, o),
        ),
        _ => validate_create(new),
    }
}

//! Validation with the API server's messages (`ValidateDeployment`, `ValidatePod`, ...).

use crate::{ApiError, Object};

/// Validate an object about to be created.
pub fn validate_create(_obj: &Object) -> Result<(), ApiError> {
    Ok(())
}

/// Validate an update of `old` to `new` (immutable fields and the create rules).
pub fn validate_update(new: &Object, _old: &Object) -> Result<(), ApiError> {
    validate_create(new)
}

//! Typed Kubernetes objects as the API server sees them.
//!
//! This crate knows the kinds kubeplay serves (their names, short names and scopes), how a
//! manifest is decoded into them (YAML, JSON, multi-document, strict fields), how they are
//! defaulted and how they are validated, with the API server's own error text.
//! It knows nothing of time, controllers or kubectl's output formats.

#![cfg_attr(test, recursion_limit = "512")]

pub mod codec;
pub mod configdata;
pub mod de;
pub mod decode;
pub mod defaults;
pub mod error;
pub mod intstr;
pub mod object;
pub mod quantity;
pub mod registry;
pub mod selector;
pub mod timefmt;
pub mod validate;

pub use error::{ApiError, Cause, Reason};
pub use k8s_openapi;
pub use object::{Kind, Object};
pub use registry::ResourceInfo;

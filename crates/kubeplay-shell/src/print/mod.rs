//! kubectl's text formats: tables, durations, the columns of each kind, YAML/JSON, JSONPath.

pub mod age;
pub mod json;
pub mod rows;
pub mod table;
pub mod yaml;

//! kubectl's text formats: tables, durations, the columns of each kind, YAML/JSON, JSONPath,
//! Go templates, custom columns.

pub mod age;
pub mod gotemplate;
pub mod json;
pub mod jsonpath;
pub mod output;
pub mod rows;
pub mod table;
pub mod tabwriter;
pub mod yaml;

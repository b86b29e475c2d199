//! kubectl's text formats: tables, durations, and the columns of each kind.

pub mod age;
pub mod rows;
pub mod table;

//! The page's components, one per file.

pub mod cells;
pub mod chart;
pub mod clock;
pub mod cluster;
pub mod code;
pub mod config_list;
pub mod edit_pane;
pub mod editor;
pub mod events;
pub mod lesson_host;
pub mod lesson_panel;
pub mod pod_detail;
pub mod splitter;
pub mod terminal;
pub mod timeline;

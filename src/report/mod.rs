//! Reports: tables for the terminal and files for analysts. Exporters return
//! bytes; only [`write`] touches the disk.

pub mod charts;
pub mod comparison;
pub mod files;
pub mod fit;
pub mod html;
pub mod labels;
pub mod roster;
pub mod sweep;
pub mod table;
pub mod verdict;
pub mod write;

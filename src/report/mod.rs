//! Reports: tables for the terminal and files for analysts. Exporters return
//! bytes; only [`write`] touches the disk.

pub mod files;
pub mod table;
pub mod write;

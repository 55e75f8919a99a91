//! Tauri commands, one file per domain area; each command is a thin adapter over a domain function.

pub mod contacts;
pub mod import;
pub mod sync;
pub mod tags;

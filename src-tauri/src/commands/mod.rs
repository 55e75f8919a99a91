//! Tauri commands, one file per domain area; each command is a thin adapter over a domain function.

pub mod campaigns;
pub mod contacts;
pub mod import;
pub mod tags;

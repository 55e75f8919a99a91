//! Tauri commands, one file per domain area; each command is a thin adapter over a domain function.

pub mod admin;
pub mod campaigns;
pub mod contacts;
pub mod import;
pub mod scoring;
pub mod segments;
pub mod sync;
pub mod tags;

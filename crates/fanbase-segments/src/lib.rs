//! Segments (nested all/any/none conditions compiled to one parameterized SQL query), saved and
//! built-in segments, engagement events and lead scoring. Plain Rust over `fanbase-core`; no Tauri.
//!
//! The entry points other crates use:
//! - [`Segment::from_json`] validates segment JSON (errors name the bad node's path);
//! - [`compile`] / [`compile_for_store`] give a boolean SQL expression over `customers c` plus binds,
//!   for any query that takes a list of contacts (list, count, export, bulk tag, campaigns);
//! - [`count`], [`ids`], [`emails`] run a segment against a store;
//! - [`saved`] keeps named segments; [`scoring`] and [`engagement`] keep scores in step with events.

pub mod builtin;
mod compile;
pub mod contacts;
mod definition;
pub mod engagement;
mod error;
pub mod field;
mod parse;
mod query;
pub mod saved;
pub mod scoring;

pub use compile::{compile, compile_for_store, Compiled};
pub use definition::{Condition, Operand, Segment};
pub use error::{Error, Result};
pub use field::{catalog, Field, FieldSpec, Kind, Op};
pub use parse::{parse_date, Invalid};
pub use query::{count, custom_field_names, emails, ids};

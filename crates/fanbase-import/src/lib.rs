//! CSV import and export of fans. `inspect` previews a file, `run` imports it (streamed, every row
//! accounted for, one transaction, progress and cancel), `export` writes a store back out as CSV.
//! Plain Rust with no Tauri dependency: the window, the CLI and the tests call the same functions.

mod bulk;
mod decode;
mod error;
mod export;
mod field;
mod load;
mod mapping;
mod merge;
mod parse;
mod preview;
mod record;
mod report;
mod run;
mod sniff;
mod value;

pub use error::{Error, Result};
pub use export::{escape_formula, export, export_where, header as export_header};
pub use field::Field;
pub use load::Counts;
pub use mapping::{Column, Format, MapOverride, Target};
pub use merge::OnExisting;
pub use parse::{parse_all, Item, Parser, Preamble};
pub use preview::{headers, inspect, Preview, SampleRow};
pub use record::{Candidate, Rejection};
pub use report::{list as reports, load as report, write_rejected_csv, Report};
pub use run::{run, Options, Phase, Progress};

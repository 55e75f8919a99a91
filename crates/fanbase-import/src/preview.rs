//! A look at a file before anything is written: the detected format, encoding and delimiter, the
//! mapping of every column, and the first rows with what each would become.

use std::fs::File;
use std::path::Path;

use serde::Serialize;

use crate::mapping::MapOverride;
use crate::parse::{Parser, Preamble};
use crate::{Error, Result};

/// Rows shown in a preview.
pub const SAMPLE_ROWS: usize = 20;

/// What `inspect` found. JSON field names are a contract with the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub file_name: String,
    pub size_bytes: u64,
    #[serde(flatten)]
    pub preamble: Preamble,
    pub sample_rows: Vec<SampleRow>,
}

/// One of the first rows: its line, its cells as in the file, and the reason it would be
/// rejected, if it would be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleRow {
    pub line: u64,
    pub cells: Vec<String>,
    pub rejected: Option<String>,
}

/// The header row of `path` as the file has it (trimmed), also when no column is recognised as
/// the email: the window then asks which column holds it.
pub fn headers(path: &Path) -> Result<Vec<String>> {
    let file = File::open(path).map_err(|source| Error::Read { path: path.display().to_string(), source })?;
    match Parser::new(file, &[]) {
        Ok(parser) => Ok(parser.preamble().headers.clone()),
        Err(Error::NoEmailColumn { headers, .. }) => Ok(headers),
        Err(Error::Read { source, .. }) => Err(Error::Read { path: path.display().to_string(), source }),
        Err(other) => Err(other),
    }
}

/// Reads the head of `path` (never the whole file) with the mapping `map` overrides.
pub fn inspect(path: &Path, map: &[MapOverride]) -> Result<Preview> {
    let read_err = |source| Error::Read { path: path.display().to_string(), source };
    let file = File::open(path).map_err(read_err)?;
    let size_bytes = file.metadata().map_err(read_err)?.len();
    let mut parser = Parser::new(file, map).map_err(|e| match e {
        Error::Read { source, .. } => read_err(source),
        other => other,
    })?;
    let mut sample_rows = Vec::new();
    while sample_rows.len() < SAMPLE_ROWS {
        let Some((line, record)) = parser.next_raw()? else { break };
        let record = record.clone();
        let rejected = match parser.parse_record(&record, line) {
            Ok(None) => continue,
            Ok(Some(_)) => None,
            Err(r) => Some(r.column.map_or(r.reason.clone(), |c| format!("{c}: {}", r.reason))),
        };
        sample_rows.push(SampleRow { line, cells: record.iter().map(String::from).collect(), rejected });
    }
    let mut preamble = parser.preamble().clone();
    preamble.encoding = parser.finish().0;
    Ok(Preview {
        file_name: path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        size_bytes,
        preamble,
        sample_rows,
    })
}

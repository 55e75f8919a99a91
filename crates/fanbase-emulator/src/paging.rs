//! Convex-style pagination over an ordered index: `paginationOpts` in, `{page, isDone,
//! continueCursor, pageStatus}` out. Cursors are opaque strings bound to the function and its
//! exact arguments; reusing one with other arguments is refused with `INVALID_ARGUMENT`.

use std::collections::BTreeMap;
use std::ops::Bound;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::refusal::{Code, Json, Refusal};
use crate::state::Key;

pub const MAX_ITEMS: usize = 1000;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaginationOpts {
    pub num_items: f64,
    #[serde(deserialize_with = "crate::args::nullable")]
    pub cursor: Option<String>,
    // Accepted (Convex's validator has them) and ignored.
    #[serde(default, rename = "endCursor")]
    _end_cursor: Option<IgnoredAny>,
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    #[serde(default, rename = "maximumRowsRead")]
    _maximum_rows_read: Option<IgnoredAny>,
    #[serde(default, rename = "maximumBytesRead")]
    _maximum_bytes_read: Option<IgnoredAny>,
}

/// Where a page starts and how many items it holds.
#[derive(Debug)]
pub struct Paging {
    pub num_items: usize,
    start: Bound<Key>,
    binding: String,
}

#[derive(Serialize, Deserialize)]
struct CursorBody {
    /// The function and arguments the cursor belongs to.
    b: String,
    t: i64,
    i: String,
    /// true: start after (t, i); false: start at (t, i).
    x: bool,
}

impl Paging {
    /// `binding` names the function and every argument except `paginationOpts`.
    pub fn open(opts: &PaginationOpts, binding: String, since: Option<f64>) -> Result<Paging, Refusal> {
        let n = opts.num_items;
        if n.fract() != 0.0 || !(1.0..=MAX_ITEMS as f64).contains(&n) {
            return Err(Refusal::new(
                Code::InvalidArgument,
                format!("paginationOpts.numItems must be a whole number from 1 to {MAX_ITEMS}, not {n}"),
            ));
        }
        let start = match &opts.cursor {
            None => Bound::Included((since.map_or(i64::MIN, |s| s.ceil() as i64), String::new())),
            Some(c) => decode(c, &binding)?,
        };
        Ok(Paging { num_items: n as usize, start, binding })
    }

    /// One page from `index` as JSON text; `render` appends one item's JSON. `split_above` (a
    /// fault) answers `SplitRequired` for larger pages, with only that many items and a cursor
    /// that skips the rest, as an incomplete page would.
    pub fn page<V>(
        &self,
        index: &BTreeMap<Key, V>,
        split_above: Option<usize>,
        render: impl Fn(&Key, &V, &mut String),
    ) -> Json {
        let mut window = index.range((self.start.clone(), Bound::Unbounded));
        let taken: Vec<(&Key, &V)> = window.by_ref().take(self.num_items).collect();
        let is_done = window.next().is_none();
        let cursor = match taken.last() {
            Some((key, _)) => self.encode(key, true),
            None => match &self.start {
                Bound::Included(k) => self.encode(k, false),
                Bound::Excluded(k) => self.encode(k, true),
                Bound::Unbounded => self.encode(&(i64::MIN, String::new()), false),
            },
        };
        let split = split_above.filter(|k| self.num_items > *k);
        let shown = split.unwrap_or(taken.len()).min(taken.len());
        let mut out = String::with_capacity(64 + shown * 512);
        out.push_str("{\"page\":[");
        for (i, (k, v)) in taken[..shown].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            render(k, v, &mut out);
        }
        out.push_str("],\"isDone\":");
        out.push_str(if is_done { "true" } else { "false" });
        out.push_str(",\"continueCursor\":");
        out.push_str(&Value::String(cursor).to_string());
        out.push_str(",\"pageStatus\":");
        out.push_str(if split.is_some() { "\"SplitRequired\"" } else { "null" });
        out.push('}');
        Json(out)
    }

    fn encode(&self, key: &Key, exclusive: bool) -> String {
        let body = CursorBody { b: self.binding.clone(), t: key.0, i: key.1.clone(), x: exclusive };
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&body).expect("a cursor always serialises"))
    }
}

fn decode(cursor: &str, binding: &str) -> Result<Bound<Key>, Refusal> {
    let body: CursorBody =
        URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).ok_or_else(|| {
            Refusal::new(Code::InvalidArgument, "paginationOpts.cursor is not a cursor this platform made")
        })?;
    if body.b != binding {
        return Err(Refusal::new(
            Code::InvalidArgument,
            "paginationOpts.cursor was made for other arguments; a cursor is only valid for the exact same \
             arguments. Start again with cursor null.",
        ));
    }
    let key = (body.t, body.i);
    Ok(if body.x { Bound::Excluded(key) } else { Bound::Included(key) })
}

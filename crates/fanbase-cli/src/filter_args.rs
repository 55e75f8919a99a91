//! The contacts filter as command-line flags (`--search`, `--type`, `--tag`, ..., `--segment`,
//! `--segment-name`), shared by `contacts list|count` and `tags add|remove`; the same
//! `ContactFilter` the window sends, restricted to a segment when one is given.

use std::path::PathBuf;

use clap::Args;
use fanbase_core::contacts::ContactFilter;
use fanbase_core::{now_ms, Db};

use crate::output::Failure;

#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Words to find in the email, name or tags (prefixes match: `mar` finds Maria).
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Only this type (repeatable: any of): lead, paying, subscription.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Vec<String>,
    /// Only this status (repeatable): active, unsubscribed, bounced, complained.
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Only fans with (true) or without (false) a platform account.
    #[arg(long, value_name = "BOOL")]
    pub has_account: Option<bool>,
    /// Only fans with this tag (repeatable: any of).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only this DAW (repeatable); `""` for fans with none.
    #[arg(long, value_name = "DAW")]
    pub daw: Vec<String>,
    /// Only this genre, the field type_of_music (repeatable).
    #[arg(long, value_name = "GENRE")]
    pub genre: Vec<String>,
    /// Only this student level (repeatable).
    #[arg(long, value_name = "LEVEL")]
    pub level: Vec<String>,
    #[arg(long, value_name = "N")]
    pub score_min: Option<i64>,
    #[arg(long, value_name = "N")]
    pub score_max: Option<i64>,
    /// Also show registered users without a fan record in this store (the unified view).
    #[arg(long)]
    pub include_users: bool,
    /// Only the fans of this segment (a segment JSON file, `-` for stdin); ANDed with the flags above.
    #[arg(long, value_name = "FILE.json", conflicts_with = "segment_name")]
    pub segment: Option<PathBuf>,
    /// Only the fans of this saved or built-in segment (see `fanbase segments list`).
    #[arg(long, value_name = "NAME")]
    pub segment_name: Option<String>,
}

impl FilterArgs {
    pub fn to_filter(&self) -> ContactFilter {
        ContactFilter {
            search: self.search.clone(),
            kind: self.kind.clone(),
            status: self.status.clone(),
            has_account: self.has_account,
            tag: self.tag.clone(),
            daw: self.daw.clone(),
            type_of_music: self.genre.clone(),
            student_level: self.level.clone(),
            score_min: self.score_min,
            score_max: self.score_max,
            include_users: self.include_users,
            condition: None,
        }
    }

    /// The filter, restricted to the segment `--segment` or `--segment-name` gives (if any).
    pub async fn resolve(&self, db: &Db, store: &str) -> Result<ContactFilter, Failure> {
        let segment =
            crate::segments_cmd::segment_arg(db, store, self.segment.as_deref(), self.segment_name.as_deref()).await?;
        Ok(match segment {
            Some(segment) => fanbase_segments::contacts::within(self.to_filter(), &segment, now_ms()),
            None => self.to_filter(),
        })
    }

    /// True when no flag narrows or widens the list.
    pub fn is_empty(&self) -> bool {
        self.to_filter() == ContactFilter::default() && self.segment.is_none() && self.segment_name.is_none()
    }
}

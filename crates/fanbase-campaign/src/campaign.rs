//! The campaign as written by its author: the CLI's campaign file and the saved draft share this shape.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Error, Result};

/// The built-in HTML layouts that wrap a Markdown body (inline styles, table-based, for mail clients).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    #[default]
    Announcement,
    Newsletter,
    CourseLaunch,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::Announcement, Layout::Newsletter, Layout::CourseLaunch];

    pub fn id(self) -> &'static str {
        match self {
            Layout::Announcement => "announcement",
            Layout::Newsletter => "newsletter",
            Layout::CourseLaunch => "course_launch",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Layout::Announcement => "Announcement",
            Layout::Newsletter => "Newsletter",
            Layout::CourseLaunch => "Course launch",
        }
    }
}

/// A campaign. JSON field names are a contract (campaign files, drafts, the window's IPC).
/// `template` (optional, default `announcement`) picks the layout around a Markdown body; a raw
/// `body_html` is sent as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub name: String,
    pub subject: String,
    #[serde(default)]
    pub preheader: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// The plain-text part as edited by the author; generated from the body when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
    pub from_name: String,
    pub from_email: String,
    #[serde(default)]
    pub reply_to: String,
    /// The sender's physical postal address (CAN-SPAM), shown in the footer.
    #[serde(default)]
    pub footer_address: String,
    /// An inline segment (the segments JSON); none with no `segment_name` means the whole list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_name: Option<String>,
    #[serde(default)]
    pub template: Layout,
}

/// The body as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body<'a> {
    Markdown(&'a str),
    Html(&'a str),
}

impl Campaign {
    /// Parses a campaign file; the error names the JSON line and column.
    pub fn from_json(text: &str) -> Result<Campaign> {
        let campaign: Campaign = serde_json::from_str(text).map_err(|e| {
            Error::InvalidCampaign(format!("{e} (line {}, column {} of the campaign JSON)", e.line(), e.column()))
        })?;
        campaign.validate()?;
        Ok(campaign)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a campaign serializes")
    }

    /// Checks what a campaign needs before it can be previewed or saved.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(Error::InvalidCampaign(m.to_string()));
        if self.name.trim().is_empty() {
            return bad("`name` is empty: give the campaign a name");
        }
        if self.subject.trim().is_empty() {
            return bad("`subject` is empty: write a subject line");
        }
        match (&self.body_markdown, &self.body_html) {
            (Some(_), Some(_)) => return bad("give either `body_markdown` or `body_html`, not both"),
            (None, None) => return bad("the campaign has no body: add `body_markdown` or `body_html`"),
            _ => {}
        }
        if self.segment.is_some() && self.segment_name.is_some() {
            return bad("give either `segment` or `segment_name`, not both (none means the whole list)");
        }
        if !self.from_email.contains('@') {
            return bad("`from_email` must be an email address");
        }
        if !self.reply_to.trim().is_empty() && !self.reply_to.contains('@') {
            return bad("`reply_to` must be an email address or empty");
        }
        Ok(())
    }

    pub fn body(&self) -> Body<'_> {
        match (&self.body_markdown, &self.body_html) {
            (_, Some(html)) => Body::Html(html),
            (Some(md), None) => Body::Markdown(md),
            (None, None) => Body::Markdown(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_file_parses_and_unknown_fields_are_named() {
        let ok = r#"{"name":"Launch","subject":"Hi","body_markdown":"Hello","from_name":"Ana","from_email":"a@b.co",
                     "reply_to":"","footer_address":"1 Main St","segment_name":"VIPs","template":"course_launch"}"#;
        let c = Campaign::from_json(ok).unwrap();
        assert_eq!(c.template, Layout::CourseLaunch);
        assert_eq!(c.body(), Body::Markdown("Hello"));
        let err =
            Campaign::from_json(r#"{"name":"x","subject":"s","body_markdwn":"x","from_name":"","from_email":"a@b"}"#)
                .unwrap_err()
                .to_string();
        assert!(err.contains("body_markdwn") && err.contains("line 1"), "a misspelt field must be named: {err}");
        let both =
            r#"{"name":"x","subject":"s","body_markdown":"x","body_html":"y","from_name":"","from_email":"a@b"}"#;
        assert!(Campaign::from_json(both).is_err(), "two bodies are ambiguous");
    }
}

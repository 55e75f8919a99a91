//! What is wrong with a campaign before it goes out: missing merge data (counted over the real
//! recipients), undefined variables, no unsubscribe link, no postal address, a long subject, images
//! without alt text, an empty text part. A missing unsubscribe link or address blocks sending.

use serde::Serialize;

use crate::audience::{self, Counts, Filter};
use crate::campaign::Campaign;
use crate::merge::{PERSONAL, VARIABLES};
use crate::template::{escape_html, text_part, Compiled, Rendered};
use crate::Result;
use fanbase_core::Db;

/// Subjects longer than this are cut in most inboxes.
pub const LONG_SUBJECT: usize = 78;

/// Names minijinja knows by itself; reading them is not an undefined merge tag.
const BUILTINS: &[&str] = &["loop", "range", "dict", "namespace", "debug", "true", "false", "none", "self", "super"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable: `missing_merge_data`, `undefined_variable`, `no_unsubscribe_link`,
    /// `no_postal_address`, `long_subject`, `image_without_alt`, `empty_text_part`.
    pub code: &'static str,
    pub message: String,
    /// A blocking warning stops the campaign from being sent.
    pub blocking: bool,
    /// How many recipients (or images) it concerns, when it is a count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
}

fn warn(code: &'static str, message: String, count: Option<i64>) -> Warning {
    Warning { code, message, blocking: false, count }
}

/// What one fan gets, with their unsubscribe link: the checks that read rendered output use it.
pub struct Sample<'a> {
    pub rendered: &'a Rendered,
    pub unsubscribe_url: &'a str,
}

/// Every warning for `campaign`, given its compiled templates, a sample rendering (the previewed
/// fan) and the audience counts.
pub async fn check(
    db: &Db,
    store_pk: i64,
    filter: &Filter,
    campaign: &Campaign,
    compiled: &Compiled,
    sample: &Sample<'_>,
    counts: &Counts,
) -> Result<Vec<Warning>> {
    let (sample_unsubscribe_url, sample) = (sample.unsubscribe_url, sample.rendered);
    let mut out = Vec::new();

    let personal: Vec<String> = compiled
        .variables()
        .iter()
        .filter(|v| PERSONAL.iter().any(|(name, _)| name == v) || v.starts_with("custom."))
        .cloned()
        .collect();
    let missing = audience::missing(db, store_pk, filter, &personal).await?;
    for (variable, n) in personal.iter().zip(missing) {
        if n == 0 {
            continue;
        }
        let label = PERSONAL.iter().find(|(name, _)| name == variable).map_or(variable.as_str(), |(_, l)| l);
        if variable.starts_with("custom.") && n == counts.recipients {
            out.push(warn(
                "undefined_variable",
                format!("`{variable}` is not set for any recipient; it will be blank. Check the custom field's name"),
                Some(n),
            ));
            continue;
        }
        let who = if n == 1 { "1 recipient has".to_string() } else { format!("{} recipients have", thousands(n)) };
        let then = match compiled.fallback(variable) {
            Some(fallback) => format!("the fallback '{fallback}' will be used"),
            None => format!("it will be left blank (write {{{{ {variable} | default(\"…\") }}}} to give a fallback)"),
        };
        out.push(warn("missing_merge_data", format!("{who} no {label}; {then}"), Some(n)));
    }

    for variable in compiled.variables() {
        let root = variable.split('.').next().unwrap_or(variable);
        if !VARIABLES.contains(&root) && !BUILTINS.contains(&root) {
            out.push(warn(
                "undefined_variable",
                format!(
                    "`{{{{ {variable} }}}}` is not a merge tag, so it will be blank. Merge tags: {}, custom.<field>",
                    VARIABLES.iter().filter(|v| **v != "custom").copied().collect::<Vec<_>>().join(", ")
                ),
                None,
            ));
        }
    }

    let url_shown = !sample_unsubscribe_url.is_empty()
        && (sample.html.contains(sample_unsubscribe_url) || sample.html.contains(&escape_html(sample_unsubscribe_url)));
    if !url_shown {
        out.push(Warning {
            code: "no_unsubscribe_link",
            message:
                "the email has no unsubscribe link: add <a href=\"{{ unsubscribe_url }}\">Unsubscribe</a> to the body"
                    .into(),
            blocking: true,
            count: None,
        });
    }

    let address = campaign.footer_address.trim();
    if address.is_empty() {
        out.push(Warning {
            code: "no_postal_address",
            message: "no physical postal address in the footer (required by CAN-SPAM): fill in `footer_address`".into(),
            blocking: true,
            count: None,
        });
    } else if !compiled.has_layout() && !sample.html.contains(address) && !sample.html.contains(&escape_html(address)) {
        out.push(Warning {
            code: "no_postal_address",
            message: "the HTML body does not show the postal address: add {{ footer_address }} to its footer".into(),
            blocking: true,
            count: None,
        });
    }

    let subject_len = sample.subject.chars().count();
    if subject_len > LONG_SUBJECT {
        out.push(warn(
            "long_subject",
            format!("the subject is {subject_len} characters long; most inboxes cut it after about {LONG_SUBJECT}"),
            Some(subject_len as i64),
        ));
    }

    let no_alt = images_without_alt(&sample.body_html);
    if no_alt > 0 {
        let what = if no_alt == 1 { "1 image has".to_string() } else { format!("{no_alt} images have") };
        out.push(warn(
            "image_without_alt",
            format!("{what} no alt text; fans who block images (and screen readers) will see nothing there"),
            Some(no_alt),
        ));
    }

    if sample.body_text.trim().is_empty() {
        out.push(warn(
            "empty_text_part",
            "the plain-text part is empty; some clients show only text and spam filters dislike it. Write `body_text`"
                .into(),
            None,
        ));
    }
    Ok(out)
}

/// The number of `<img>` tags with no alt attribute or an empty one.
pub fn images_without_alt(html: &str) -> i64 {
    let lower = html.to_ascii_lowercase();
    let mut count = 0;
    let mut from = 0;
    while let Some(pos) = lower[from..].find("<img") {
        let start = from + pos;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let alt = text_part::attribute(&html[start + 1..end], "alt");
        if alt.is_none_or(|a| a.trim().is_empty()) {
            count += 1;
        }
        from = end;
    }
    count
}

/// 1203 → "1,203".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_images_without_alt_and_formats_numbers() {
        assert_eq!(images_without_alt(r#"<img src=a><IMG alt="" src=b><img alt="Cover" src=c>"#), 2);
        assert_eq!(thousands(1203), "1,203");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}

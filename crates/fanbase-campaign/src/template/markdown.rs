//! Markdown bodies → HTML and plain text, with merge tags kept intact: tags are swapped for inert
//! placeholders before Markdown runs (so quotes and spaces in `{{ x | default("y") }}` survive and a
//! fan's value is never read as Markdown), then put back for the template engine.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

const OPEN: &str = "ZQMT";
const CLOSE: &str = "QZ";

/// A source with its merge tags replaced by placeholders, and the tags to put back.
pub struct Protected {
    pub text: String,
    tags: Vec<String>,
}

/// Replaces every `{{ … }}`, `{% … %}` and `{# … #}` span by a placeholder `ZQMT<n>QZ`.
pub fn protect(src: &str) -> Protected {
    let mut text = String::with_capacity(src.len());
    let mut tags = Vec::new();
    let mut rest = src;
    while let Some(start) = find_open(rest) {
        let close = match &rest[start + 1..start + 2] {
            "{" => "}}",
            "%" => "%}",
            _ => "#}",
        };
        let Some(len) = rest[start + 2..].find(close) else { break };
        let end = start + 2 + len + 2;
        text.push_str(&rest[..start]);
        text.push_str(&format!("{OPEN}{}{CLOSE}", tags.len()));
        tags.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    text.push_str(rest);
    Protected { text, tags }
}

fn find_open(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(1)).find(|&i| bytes[i] == b'{' && matches!(bytes[i + 1], b'{' | b'%' | b'#'))
}

impl Protected {
    /// Puts the merge tags back into `out` (HTML or text made from `self.text`). A paragraph that
    /// holds only a `{% … %}` statement is unwrapped, so `{% if %}` lines leave no empty `<p>`.
    pub fn restore(&self, out: &str) -> String {
        let mut out = out.to_string();
        for (i, tag) in self.tags.iter().enumerate() {
            if tag.starts_with("{%") {
                out = out.replace(&format!("<p>{OPEN}{i}{CLOSE}</p>\n"), tag);
            }
        }
        // Replace the highest numbers first so `ZQMT1QZ` never matches inside `ZQMT12QZ`.
        for (i, tag) in self.tags.iter().enumerate().rev() {
            out = out.replace(&format!("{OPEN}{i}{CLOSE}"), tag);
        }
        out
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Markdown → HTML (CommonMark with tables and strikethrough; inline HTML passes through).
pub fn to_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
    html
}

/// Markdown → readable plain text: paragraphs separated by a blank line, `- ` list items,
/// links as `text (url)`, images as their alt text, inline HTML stripped.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut links: Vec<String> = Vec::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Item) => {
                let indent = "  ".repeat(lists.len().saturating_sub(1));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{indent}{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str(&format!("{indent}- ")),
                }
            }
            Event::Start(Tag::List(first)) => {
                if !lists.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::End(TagEnd::Item) => newline(&mut out),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop() {
                    if !out.ends_with(url.as_str()) {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                if lists.is_empty() {
                    blank_line(&mut out);
                } else {
                    newline(&mut out);
                }
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => newline(&mut out),
            Event::End(TagEnd::TableCell) => out.push('\t'),
            Event::End(TagEnd::Table) => blank_line(&mut out),
            Event::Rule => {
                out.push_str("----");
                blank_line(&mut out);
            }
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Html(h) | Event::InlineHtml(h) => out.push_str(&super::text_part::html_to_text(&h)),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn newline(out: &mut String) {
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

fn blank_line(out: &mut String) {
    newline(out);
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_tags_survive_markdown_untouched() {
        let src = "Hi **{{ first_name | default(\"there\") }}**,\n\n{% if \"vip\" in tags %}\nVIP!\n{% endif %}\n\n[Leave]({{ unsubscribe_url }})";
        let p = protect(src);
        assert!(!p.text.contains('{'), "every tag is replaced before Markdown runs: {}", p.text);
        let html = p.restore(&to_html(&p.text));
        assert!(html.contains("<strong>{{ first_name | default(\"there\") }}</strong>"), "{html}");
        assert!(html.contains("<a href=\"{{ unsubscribe_url }}\">Leave</a>"), "{html}");
        let text = p.restore(&to_text(&p.text));
        assert!(text.contains("Leave ({{ unsubscribe_url }})"), "links keep their URL in text: {text}");
    }

    #[test]
    fn text_has_lists_headings_and_paragraphs() {
        let text = to_text("# Title\n\nOne *two*.\n\n- a\n- b\n\n1. x\n2. y\n\n![cover](c.png)");
        assert_eq!(text, "Title\n\nOne two.\n\n- a\n- b\n\n1. x\n2. y\n\ncover");
    }
}

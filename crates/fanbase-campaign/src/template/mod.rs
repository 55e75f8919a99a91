//! A campaign's templates compiled once (minijinja), then rendered per fan into the exact subject,
//! preheader, HTML and text that fan gets. Values are HTML-escaped in HTML; errors name the field,
//! line and column of the author's own text.

mod layouts;
pub mod markdown;
pub mod text_part;

use std::collections::{BTreeMap, BTreeSet};

use minijinja::{AutoEscape, Environment, Value};

use crate::campaign::{Body, Campaign, Layout};
use crate::error::TemplatePosition;
use crate::merge::{self, Fan, Shared};
use crate::{Error, Result};

/// What one fan receives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    pub subject: String,
    pub preheader: String,
    pub html: String,
    pub text: String,
    /// The body's HTML before the layout wraps it (what the image checks read).
    pub body_html: String,
    /// The text part before the footer is added (what the empty-text check reads).
    pub body_text: String,
}

/// A campaign's templates, ready to render for any fan.
pub struct Compiled {
    env: Environment<'static>,
    layout: Option<Layout>,
    body_field: &'static str,
    has_body_text: bool,
    shared: Shared,
    variables: BTreeSet<String>,
    fallbacks: BTreeMap<String, String>,
}

impl Compiled {
    /// Compiles every template of `campaign`; a syntax error names its field, line and column.
    pub fn new(campaign: &Campaign, store_name: &str) -> Result<Compiled> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None });
        env.set_formatter(format_value);
        let (body_field, body_source) = match campaign.body() {
            Body::Markdown(md) => ("body_markdown", md),
            Body::Html(html) => ("body_html", html),
        };
        let mut fields: Vec<(&'static str, &'static str, &str)> = vec![
            ("subject", "subject", &campaign.subject),
            ("preheader", "preheader", &campaign.preheader),
            (body_field, "src:body", body_source),
        ];
        if let Some(text) = &campaign.body_text {
            fields.push(("body_text", "body.txt", text));
        }
        let mut variables = BTreeSet::new();
        let mut fallbacks = BTreeMap::new();
        for (field, name, source) in &fields {
            env.add_template_owned(*name, source.to_string()).map_err(|e| template_error(field, source, &e))?;
            let tmpl = env.get_template(name).expect("just added");
            variables.extend(tmpl.undeclared_variables(true));
            fallbacks.extend(find_fallbacks(source));
        }

        let layout = match campaign.body() {
            Body::Markdown(md) => {
                let protected = markdown::protect(md);
                let html = protected.restore(&markdown::to_html(&protected.text));
                env.add_template_owned("body.html", html).map_err(|e| template_error(body_field, md, &e))?;
                if campaign.body_text.is_none() {
                    let text = protected.restore(&markdown::to_text(&protected.text));
                    env.add_template_owned("body.txt", text).map_err(|e| template_error(body_field, md, &e))?;
                }
                layouts::add(&mut env, campaign.template);
                Some(campaign.template)
            }
            Body::Html(html) => {
                env.add_template_owned("body.html", html.to_string())
                    .map_err(|e| template_error(body_field, html, &e))?;
                if campaign.body_text.is_none() {
                    let protected = markdown::protect(html);
                    let text = protected.restore(&text_part::html_to_text(&protected.text));
                    env.add_template_owned("body.txt", text).map_err(|e| template_error(body_field, html, &e))?;
                }
                None
            }
        };
        Ok(Compiled {
            env,
            layout,
            body_field,
            has_body_text: campaign.body_text.is_some(),
            shared: Shared { store_name: store_name.to_string(), footer_address: campaign.footer_address.clone() },
            variables,
            fallbacks,
        })
    }

    /// Every variable the templates read, nested (`first_name`, `custom.level`, `tags`).
    pub fn variables(&self) -> &BTreeSet<String> {
        &self.variables
    }

    /// The fallback text of `{{ var | default("…") }}` per variable, when the author gave one.
    pub fn fallback(&self, variable: &str) -> Option<&str> {
        self.fallbacks.get(variable).map(String::as_str)
    }

    /// True when the body is wrapped in a built-in layout (which carries the footer).
    pub fn has_layout(&self) -> bool {
        self.layout.is_some()
    }

    /// Renders everything one fan receives.
    pub fn render(&self, fan: &Fan, unsubscribe_url: &str) -> Result<Rendered> {
        let ctx = merge::context(fan, unsubscribe_url, &self.shared);
        let subject = one_line(&self.run("subject", "subject", &ctx)?);
        let preheader = one_line(&self.run("preheader", "preheader", &ctx)?);
        let body_html = self.run(self.body_field, "body.html", &ctx)?;
        let text_field = if self.has_body_text { "body_text" } else { self.body_field };
        let body_text = self.run(text_field, "body.txt", &ctx)?.trim().to_string();
        let (html, text) = match self.layout {
            Some(_) => {
                let page = minijinja::context! {
                    subject => &subject,
                    preheader => &preheader,
                    body => Value::from_safe_string(body_html.clone()),
                    footer_address => &self.shared.footer_address,
                    unsubscribe_url => unsubscribe_url,
                    store_name => &self.shared.store_name,
                };
                let html =
                    self.env.get_template("layout.html").and_then(|t| t.render(page)).map_err(|e| Error::Template {
                        at: TemplatePosition { field: "template".into(), line: e.line().unwrap_or(1), column: 1 },
                        message: describe(&e),
                    })?;
                (html, self.text_with_footer(&body_text, unsubscribe_url))
            }
            None => (with_preheader(&body_html, &preheader), body_text.clone()),
        };
        Ok(Rendered { subject, preheader, html, text, body_html, body_text })
    }

    fn text_with_footer(&self, body: &str, unsubscribe_url: &str) -> String {
        let mut text = String::with_capacity(body.len() + 200);
        text.push_str(body);
        text.push_str("\n\n--\n");
        if !self.shared.footer_address.trim().is_empty() {
            text.push_str(self.shared.footer_address.trim());
            text.push('\n');
        }
        text.push_str(&format!(
            "You get this email because you are a fan of {}.\nUnsubscribe: {unsubscribe_url}\n",
            self.shared.store_name
        ));
        text
    }

    /// Renders one template; a runtime error is located in the author's text of `field`.
    fn run(&self, field: &str, name: &str, ctx: &Value) -> Result<String> {
        let tmpl = self.env.get_template(name).expect("compiled in new()");
        tmpl.render(ctx).map_err(|err| {
            // The body's HTML/text templates are made from the author's source; render that source
            // itself to find the line and column the author wrote.
            let located = match name {
                "body.html" | "body.txt" if field == self.body_field => {
                    self.env.get_template("src:body").expect("compiled").render(ctx).err()
                }
                _ => None,
            };
            let err = located.unwrap_or(err);
            let source = err.template_source().unwrap_or_default().to_string();
            template_error(field, &source, &err)
        })
    }
}

/// The field's subject or preheader on one line: header values must not carry line breaks.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Puts a hidden preheader right after `<body …>` of a raw HTML body (or in front of it).
fn with_preheader(html: &str, preheader: &str) -> String {
    if preheader.is_empty() {
        return html.to_string();
    }
    let hidden = format!(
        "<div style=\"display:none;max-height:0;overflow:hidden;mso-hide:all;\">{}</div>",
        escape_html(preheader)
    );
    let lower = html.to_ascii_lowercase();
    match lower.find("<body").and_then(|b| lower[b..].find('>').map(|e| b + e + 1)) {
        Some(at) => format!("{}{hidden}{}", &html[..at], &html[at..]),
        None => format!("{hidden}{html}"),
    }
}

/// HTML-escapes `& < > " '` (minijinja's default also escapes `/`, which makes URLs unreadable
/// in the source mail clients show and in the unsubscribe-link check).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn format_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> std::result::Result<(), minijinja::Error> {
    if *state.auto_escape() == AutoEscape::Html && !value.is_safe() && !value.is_undefined() && !value.is_none() {
        let text = match value.as_str() {
            Some(s) => escape_html(s),
            None => escape_html(&value.to_string()),
        };
        return out.write_str(&text).map_err(minijinja::Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

fn describe(err: &minijinja::Error) -> String {
    match err.detail() {
        Some(detail) => format!("{}: {detail}", err.kind()),
        None => err.kind().to_string(),
    }
}

fn template_error(field: &str, source: &str, err: &minijinja::Error) -> Error {
    let line = err.line().unwrap_or(1);
    let column = match err.range() {
        Some(range) if range.start <= source.len() && source.is_char_boundary(range.start) => {
            let before = &source[..range.start];
            before.rsplit('\n').next().unwrap_or("").chars().count() + 1
        }
        _ => 1,
    };
    Error::Template { at: TemplatePosition { field: field.to_string(), line, column }, message: describe(err) }
}

/// Finds `var | default("text")` (or `d('text')`) in a template source.
fn find_fallbacks(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(bar) = rest.find('|') {
        let before = rest[..bar].trim_end();
        let var: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = rest[bar + 1..].trim_start();
        rest = &rest[bar + 1..];
        let Some(args) = after.strip_prefix("default").or_else(|| after.strip_prefix('d')) else { continue };
        let Some(args) = args.trim_start().strip_prefix('(') else { continue };
        let args = args.trim_start();
        let Some(quote) = args.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        if let Some(end) = args[1..].find(quote) {
            if !var.is_empty() {
                found.push((var, args[1..1 + end].to_string()));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallbacks_are_found_with_either_quote() {
        let found = find_fallbacks("Hi {{ first_name | default(\"there\") }} {{custom.level|d('new')}} {{ x|upper }}");
        assert_eq!(
            found,
            vec![("first_name".to_string(), "there".to_string()), ("custom.level".to_string(), "new".to_string())]
        );
    }

    #[test]
    fn preheader_goes_right_after_body() {
        let html = with_preheader("<html><BODY class=x><p>Hi</p></body></html>", "Soon & now");
        assert!(html.starts_with("<html><BODY class=x><div style="), "{html}");
        assert!(html.contains(">Soon &amp; now</div><p>Hi</p>"), "{html}");
    }
}

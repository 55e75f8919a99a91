//! HTML → plain text for the text/plain alternative of raw-HTML bodies: blocks become lines,
//! links `text (url)`, images their alt text; `<head>`, `<style>` and `<script>` are dropped.

/// Converts an HTML fragment or document to readable text. Not a full HTML parser: it reads
/// tags and entities well enough for email markup.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut links: Vec<String> = Vec::new();
    let mut skip_until: Option<&'static str> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if skip_until.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let after = &rest[lt..];
        if after.starts_with("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        let tag = &after[1..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(end) = skip_until {
            if closing && name == end {
                skip_until = None;
            }
            continue;
        }
        match (name.as_str(), closing) {
            ("head", false) => skip_until = Some("head"),
            ("style", false) => skip_until = Some("style"),
            ("script", false) => skip_until = Some("script"),
            ("title", false) => skip_until = Some("title"),
            ("br", _) => out.push('\n'),
            ("p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "blockquote" | "ul" | "ol", _) => {
                blank_line(&mut out)
            }
            ("tr", true) | ("li", true) => newline(&mut out),
            ("li", false) => {
                newline(&mut out);
                out.push_str("- ");
            }
            ("td" | "th", true) => out.push(' '),
            ("hr", _) => {
                blank_line(&mut out);
                out.push_str("----");
                blank_line(&mut out);
            }
            ("a", false) => links.push(attribute(tag, "href").unwrap_or_default()),
            ("a", true) => {
                let url = links.pop().unwrap_or_default();
                if !url.is_empty() && !url.starts_with('#') && !out.trim_end().ends_with(url.as_str()) {
                    out.push_str(&format!(" ({url})"));
                }
            }
            ("img", false) => {
                if let Some(alt) = attribute(tag, "alt").filter(|a| !a.trim().is_empty()) {
                    push_text(&mut out, &alt);
                }
            }
            _ => {}
        }
    }
    tidy(&out)
}

/// The value of attribute `name` in a tag's inner text, entity-decoded.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value = tag[value_start..].trim_start();
        let (text, _) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &value[1..];
                (body.find(q).map_or(body, |e| &body[..e]), ())
            }
            _ => (value.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or(""), ()),
        };
        return Some(decode_entities(text));
    }
    None
}

fn push_text(out: &mut String, text: &str) {
    let decoded = decode_entities(text);
    let mut last_space = out.is_empty() || out.ends_with(char::is_whitespace);
    for c in decoded.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

/// Decodes the named entities email HTML uses and numeric ones (`&#39;`, `&#x2f;`).
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &after[1..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "copy" => Some('©'),
                _ => entity.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn newline(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn blank_line(out: &mut String) {
    newline(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Trims each line and keeps at most one blank line in a row.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_readable_text() {
        let html = r#"<html><head><title>x</title><style>p{color:red}</style></head><body>
            <h1>Big &amp; bold</h1><p>Hello <b>Ana</b>,<br>see <a href="https://e.co/x?a=1&amp;b=2">the course</a>.</p>
            <img src="a.png" alt="Cover art"><ul><li>one</li><li>two</li></ul><!-- hidden --></body></html>"#;
        assert_eq!(
            html_to_text(html),
            "Big & bold\n\nHello Ana,\nsee the course (https://e.co/x?a=1&b=2).\n\nCover art\n\n- one\n- two"
        );
    }

    #[test]
    fn attributes_and_entities() {
        assert_eq!(attribute(r#"img src="a.png" ALT='It&#39;s'"#, "alt").as_deref(), Some("It's"));
        assert_eq!(attribute(r#"img data-alt="x" src=a.png"#, "alt"), None, "data-alt is not alt");
        assert_eq!(decode_entities("a &lt;b&gt; &#x2f; &unknown; &"), "a <b> / &unknown; &");
    }
}

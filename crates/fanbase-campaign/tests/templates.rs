//! Template tests: fallbacks, escaping of hostile values, conditions, custom fields, layouts, the
//! generated text part, and errors that name the field, line and column.

use fanbase_campaign::merge::Fan;
use fanbase_campaign::template::Compiled;
use fanbase_campaign::{Campaign, Error, Layout};
use serde_json::json;

fn campaign(subject: &str, body_markdown: &str) -> Campaign {
    Campaign {
        name: "t".into(),
        subject: subject.into(),
        body_markdown: Some(body_markdown.into()),
        from_name: "Beat Academy".into(),
        from_email: "news@academy.example".into(),
        footer_address: "1 Studio Lane, Berlin".into(),
        ..Campaign::default()
    }
}

fn fan(first: &str, email: &str) -> Fan {
    Fan {
        customer_id: 1,
        email: email.into(),
        name: if first.is_empty() { String::new() } else { format!("{first} Doe") },
        first_name: first.into(),
        status: "active".into(),
        ..Fan::default()
    }
}

const URL: &str = "https://academy.example/u?e=a%40b.co&x=1";

#[test]
fn fallback_is_used_only_when_the_value_is_missing() {
    let c = Compiled::new(
        &campaign("Hi {{ first_name | default(\"there\") }}!", "Hello {{ first_name | default(\"there\") }}"),
        "Academy",
    )
    .unwrap();
    assert_eq!(c.render(&fan("", "a@b.co"), URL).unwrap().subject, "Hi there!", "no first name falls back");
    assert_eq!(c.render(&fan("Ana", "a@b.co"), URL).unwrap().subject, "Hi Ana!", "a first name is used as is");
    assert_eq!(c.fallback("first_name"), Some("there"), "the fallback is known for the warnings");
    let blank = Compiled::new(&campaign("Hi {{ first_name }}!", "x"), "Academy").unwrap();
    assert_eq!(blank.render(&fan("", "a@b.co"), URL).unwrap().subject, "Hi !", "no fallback: blank, never 'none'");
}

#[test]
fn hostile_values_are_escaped_in_html_but_not_in_text() {
    let c = Compiled::new(&campaign("Hi {{ name }}", "Hello **{{ name }}**, {{ custom.city }}"), "Academy").unwrap();
    let mut hostile = fan("<script>alert(1)</script>", "x@y.co");
    hostile.name = "<script>alert('x')</script> & \"Co\"".into();
    hostile.custom = json!({"city": "<img src=x onerror=alert(1)>"}).as_object().unwrap().clone();
    let r = c.render(&hostile, URL).unwrap();
    assert!(!r.html.contains("<script>"), "a name must never become markup in HTML: {}", r.html);
    assert!(!r.html.contains("<img src=x"), "custom values are escaped too");
    assert!(
        r.html.contains("<strong>&lt;script&gt;alert(&#39;x&#39;)&lt;&#x2f;script&gt; &amp; &quot;Co&quot;</strong>")
            || r.html.contains("<strong>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;</strong>"),
        "the value is shown escaped inside the Markdown markup: {}",
        r.html
    );
    assert!(
        r.text.contains("Hello <script>alert('x')</script> & \"Co\""),
        "the text part shows the value as written: {}",
        r.text
    );
    assert_eq!(r.subject, "Hi <script>alert('x')</script> & \"Co\"", "the subject is plain text (MIME-encoded later)");
}

#[test]
fn unsubscribe_links_are_not_mangled_by_escaping() {
    let c = Compiled::new(&campaign("s", "[Leave]({{ unsubscribe_url }})"), "Academy").unwrap();
    let r = c.render(&fan("Ana", "a@b.co"), URL).unwrap();
    assert!(
        r.html.contains("href=\"https://academy.example/u?e=a%40b.co&amp;x=1\""),
        "an href keeps its slashes and escapes & as &amp;: {}",
        r.html
    );
    assert!(r.text.contains("Leave (https://academy.example/u?e=a%40b.co&x=1)"), "text shows the raw link: {}", r.text);
}

#[test]
fn conditions_on_tags_and_custom_fields() {
    let body = "{% if \"vip\" in tags %}\nVIP price\n{% else %}\nRegular price\n{% endif %}\n\nLevel: {{ custom.level | default(\"new\") }}";
    let c = Compiled::new(&campaign("s", body), "Academy").unwrap();
    let mut vip = fan("Ana", "a@b.co");
    vip.tags = vec!["vip".into(), "edm".into()];
    vip.custom = json!({"level": "pro"}).as_object().unwrap().clone();
    let r = c.render(&vip, URL).unwrap();
    assert!(r.html.contains("VIP price") && !r.html.contains("Regular price"), "{}", r.html);
    assert!(r.text.contains("Level: pro"), "{}", r.text);
    let r = c.render(&fan("Bo", "b@b.co"), URL).unwrap();
    assert!(r.html.contains("Regular price") && !r.html.contains("VIP price"), "{}", r.html);
    assert!(r.text.contains("Level: new"), "a missing custom field falls back: {}", r.text);
    assert!(
        !r.html.contains("<p>\n</p>") && !r.html.contains("<p></p>"),
        "statement lines leave no empty paragraphs: {}",
        r.html
    );
}

#[test]
fn every_listed_merge_tag_renders() {
    let body = "{{ first_name }}|{{ name }}|{{ email }}|{{ daw }}|{{ type_of_music }}|{{ student_level }}|{{ custom.x }}|{{ store_name }}|{{ unsubscribe_url }}";
    let c = Compiled::new(&campaign("s", body), "Beat Lab").unwrap();
    let f = Fan {
        customer_id: 3,
        email: "z@z.co".into(),
        name: "Zoë Kim".into(),
        first_name: "Zoë".into(),
        daw: "Ableton".into(),
        type_of_music: "House".into(),
        student_level: "Advanced".into(),
        status: "active".into(),
        tags: vec![],
        custom: json!({"x": 42}).as_object().unwrap().clone(),
        remote_id: None,
    };
    let r = c.render(&f, "mailto:u@b.co").unwrap();
    assert!(
        r.body_text.starts_with("Zoë|Zoë Kim|z@z.co|Ableton|House|Advanced|42|Beat Lab|mailto:u@b.co"),
        "{}",
        r.body_text
    );
}

#[test]
fn syntax_errors_name_field_line_and_column() {
    let err = Compiled::new(&campaign("ok", "line one\n\nHello {{ first_name | default(\"x\" }}"), "A").err().unwrap();
    match err {
        Error::Template { at, message } => {
            assert_eq!(at.field, "body_markdown");
            assert_eq!(at.line, 3, "the third line of the body: {message}");
            assert!(at.column > 1 && at.column <= 38, "a column inside the tag, got {} ({message})", at.column);
        }
        other => panic!("expected a template error, got {other:?}"),
    }
    let err = Compiled::new(&campaign("Hi {% if %}", "x"), "A").err().unwrap();
    assert!(
        matches!(&err, Error::Template { at, .. } if at.field == "subject" && at.line == 1),
        "the subject's own error: {err}"
    );
    assert!(err.to_string().contains("subject at line 1, column"), "the message names the place: {err}");
    let err = Compiled::new(&campaign("s", "{% if x %}\nnever closed"), "A").err().unwrap();
    assert!(matches!(&err, Error::Template { at, .. } if at.field == "body_markdown"), "{err}");
}

#[test]
fn runtime_errors_point_into_the_authors_text() {
    let mut c = campaign("s", "ok\n{{ name | nosuchfilter }}");
    let err = Compiled::new(&c, "A").unwrap().render(&fan("Ana", "a@b.co"), URL).unwrap_err();
    match err {
        Error::Template { at, .. } => assert_eq!((at.field.as_str(), at.line), ("body_markdown", 2), "unknown filter"),
        other => panic!("expected a template error, got {other:?}"),
    }
    c.body_markdown = Some("first\nsecond {{ 1 / 0 }}".into());
    let compiled = Compiled::new(&c, "A").unwrap();
    let err = compiled.render(&fan("Ana", "a@b.co"), URL).unwrap_err();
    match err {
        Error::Template { at, .. } => {
            assert_eq!((at.field.as_str(), at.line), ("body_markdown", 2), "division by zero")
        }
        other => panic!("expected a template error, got {other:?}"),
    }
}

#[test]
fn layouts_wrap_the_body_with_preheader_and_footer() {
    for layout in Layout::ALL {
        let mut c = campaign("Launch day", "# Hello\n\nWelcome.");
        c.preheader = "Out now for {{ first_name }}".into();
        c.template = layout;
        let r = Compiled::new(&c, "Beat & Co").unwrap().render(&fan("Ana", "a@b.co"), URL).unwrap();
        assert!(r.html.starts_with("<!DOCTYPE html>"), "{layout:?} is a full document");
        assert!(r.html.contains("role=\"presentation\""), "{layout:?} uses layout tables for mail clients");
        assert!(r.html.contains("<h1>Hello</h1>"), "{layout:?} holds the body");
        assert!(r.html.contains("Out now for Ana"), "{layout:?} carries the hidden preheader");
        assert!(r.html.contains("1 Studio Lane, Berlin"), "{layout:?} shows the postal address");
        assert!(r.html.contains("Beat &amp; Co"), "{layout:?} escapes the store name");
        assert!(
            r.html.contains("href=\"https://academy.example/u?e=a%40b.co&amp;x=1\""),
            "{layout:?} links to unsubscribe"
        );
        assert!(!r.html.contains("<style"), "{layout:?} uses inline styles only");
        assert!(r.text.contains("Hello\n\nWelcome."), "{layout:?} text part: {}", r.text);
        assert!(
            r.text.contains("1 Studio Lane, Berlin") && r.text.contains(&format!("Unsubscribe: {URL}")),
            "{}",
            r.text
        );
    }
}

#[test]
fn raw_html_bodies_are_sent_as_written_with_a_generated_text_part() {
    let mut c = campaign("s", "");
    c.body_markdown = None;
    c.body_html = Some(
        "<html><body><h2>Hi {{ first_name }}</h2><p>New <a href=\"https://x.example/c\">course</a></p>\
         <p>{{ footer_address }} · <a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></p></body></html>"
            .into(),
    );
    c.preheader = "Soon".into();
    let compiled = Compiled::new(&c, "A").unwrap();
    assert!(!compiled.has_layout(), "raw HTML gets no layout");
    let r = compiled.render(&fan("<b>Ana</b>", "a@b.co"), URL).unwrap();
    assert!(
        r.html.contains("<h2>Hi &lt;b&gt;Ana&lt;&#x2f;b&gt;</h2>")
            || r.html.contains("<h2>Hi &lt;b&gt;Ana&lt;/b&gt;</h2>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<body><div style=\"display:none"), "the preheader is injected after <body>: {}", r.html);
    assert_eq!(
        r.text,
        format!("Hi <b>Ana</b>\n\nNew course (https://x.example/c)\n\n1 Studio Lane, Berlin · Unsubscribe ({URL})"),
        "the text part is generated from the HTML"
    );
    c.body_text = Some("Plain for {{ first_name }}".into());
    let r = Compiled::new(&c, "A").unwrap().render(&fan("Ana", "a@b.co"), URL).unwrap();
    assert_eq!(r.text, "Plain for Ana", "an edited text part replaces the generated one");
}

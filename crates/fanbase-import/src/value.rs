//! Parsing one cell into a stored value: emails, dates, booleans, money in cents, scores, types,
//! statuses and tag lists. Pure functions; an `Err` is the reason shown for the rejected row.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Longest tag accepted, in characters (the same limit as tags edited in the window).
pub const MAX_TAG_CHARS: usize = 100;

/// Checks an email that is already trimmed. The reason names what is wrong.
pub fn check_email(email: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("invalid email {email:?}: {why}"));
    if email.chars().count() > 254 {
        return bad("longer than 254 characters");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return bad("no @");
    };
    if local.is_empty() {
        return bad("nothing before the @");
    }
    if local.contains('@') {
        return bad("more than one @");
    }
    if local.chars().count() > 64 {
        return bad("more than 64 characters before the @");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return bad("misplaced dot before the @");
    }
    if let Some(c) = local.chars().find(|c| c.is_whitespace() || c.is_control() || "(),:;<>[]\\\"".contains(*c)) {
        return bad(&format!("{c:?} is not allowed in an address"));
    }
    if domain.is_empty() {
        return bad("nothing after the @");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return bad("the domain has no dot");
    }
    for label in &labels {
        if label.is_empty() {
            return bad("misplaced dot in the domain");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return bad("a domain part starts or ends with '-'");
        }
        if let Some(c) = label.chars().find(|c| !(c.is_alphanumeric() || *c == '-')) {
            return bad(&format!("{c:?} is not allowed in the domain"));
        }
    }
    if labels.last().is_some_and(|tld| tld.chars().count() < 2) {
        return bad("the domain ends in a one-letter part");
    }
    Ok(())
}

/// A date or time as milliseconds since the epoch (UTC unless the text carries an offset).
/// Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T`), ISO 8601 / RFC 3339 with an
/// offset or `Z`, and `MM/DD/YYYY` (optionally followed by `HH:MM[:SS]`).
pub fn parse_date(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Some(ms) = plain_date_time(t) {
        return Ok(ms);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.timestamp_millis());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f %z"] {
        if let Ok(d) = DateTime::parse_from_str(t, fmt) {
            return Ok(d.timestamp_millis());
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(d.and_utc().timestamp_millis());
        }
    }
    for fmt in ["%Y-%m-%d", "%m/%d/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc().timestamp_millis());
        }
    }
    Err(format!("{t:?} is not a date (use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, ISO 8601 or MM/DD/YYYY)"))
}

/// The two shapes of almost every export, `YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS`, read without
/// chrono's format parser (which costs more than the rest of a row).
fn plain_date_time(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    if !(b.len() == 10 || (b.len() == 19 && b[10] == b' ' && b[13] == b':' && b[16] == b':'))
        || b[4] != b'-'
        || b[7] != b'-'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    let (h, m, s) = if b.len() == 19 { (num(11, 13)?, num(14, 16)?, num(17, 19)?) } else { (0, 0, 0) };
    Some(date.and_hms_opt(h, m, s)?.and_utc().timestamp_millis())
}

/// 1/0, true/false, yes/no (and y/n, t/f), in any letter case.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "t" => Ok(true),
        "0" | "false" | "no" | "n" | "f" => Ok(false),
        other => Err(format!("{other:?} is not a yes/no value (use 1/0, true/false or yes/no)")),
    }
}

/// An amount of money in integer cents: `99`, `99.00`, `$1,234.50`, `1.234,50 €`, `99,5`.
pub fn parse_money(text: &str) -> Result<i64, String> {
    let bad = || Err(format!("{text:?} is not an amount of money (use 99, 99.00 or $1,234.50)"));
    let t: String = text
        .trim()
        .trim_start_matches(['$', '€', '£'])
        .trim_end_matches(['$', '€', '£'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() || t.starts_with('-') {
        return bad();
    }
    if !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return bad();
    }
    // The decimal separator is the last '.' or ',' followed by one or two digits; every other
    // separator groups thousands (exactly three digits per group).
    let last_sep = t.rfind(['.', ',']);
    let (int_part, frac) = match last_sep {
        Some(i) if (1..=2).contains(&(t.len() - i - 1)) => (&t[..i], &t[i + 1..]),
        _ => (t.as_str(), ""),
    };
    let groups: Vec<&str> = int_part.split(['.', ',']).collect();
    if groups.len() > 1 {
        let seps: Vec<char> = int_part.chars().filter(|c| *c == '.' || *c == ',').collect();
        let same_sep = seps.windows(2).all(|w| w[0] == w[1]);
        let frac_sep = last_sep.map(|i| t.as_bytes()[i] as char);
        let clash = !frac.is_empty() && frac_sep == seps.first().copied();
        if !same_sep || clash || groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)
        {
            return bad();
        }
    }
    let digits: String = groups.concat();
    if digits.is_empty() {
        return bad();
    }
    let whole: i64 = digits.parse().map_err(|_| format!("{text:?} is too large an amount"))?;
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().unwrap_or(0) * 10,
        _ => frac.parse::<i64>().unwrap_or(0),
    };
    whole.checked_mul(100).and_then(|w| w.checked_add(cents)).ok_or_else(|| format!("{text:?} is too large an amount"))
}

/// A whole number; `12.0` is accepted as 12.
pub fn parse_int(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Ok(n);
    }
    if let Some((whole, frac)) = t.split_once('.') {
        if !frac.is_empty() && frac.chars().all(|c| c == '0') {
            if let Ok(n) = whole.parse::<i64>() {
                return Ok(n);
            }
        }
    }
    Err(format!("{t:?} is not a whole number"))
}

/// The contact type: lead, paying or subscription.
pub fn parse_type(text: &str) -> Result<&'static str, String> {
    match text.trim().to_lowercase().as_str() {
        "lead" => Ok("lead"),
        "paying" => Ok("paying"),
        "subscription" => Ok("subscription"),
        other => Err(format!("{other:?} is not a type (use lead, paying or subscription)")),
    }
}

/// The subscription status, with the words other tools use for the same states.
pub fn parse_status(text: &str) -> Result<&'static str, String> {
    match text.trim().to_lowercase().as_str() {
        "active" | "subscribed" | "confirmed" | "unconfirmed" | "pending" | "inactive" | "cold" | "transactional" => {
            Ok("active")
        }
        "unsubscribed" | "unsubscribe" | "unsub" | "cancelled" | "canceled" | "opted out" | "opted-out" | "optout" => {
            Ok("unsubscribed")
        }
        "bounced" | "bounce" | "cleaned" | "hard bounce" | "hard-bounce" => Ok("bounced"),
        "complained" | "complaint" | "spam" | "spam complaint" => Ok("complained"),
        other => Err(format!("{other:?} is not a status (use active, unsubscribed, bounced or complained)")),
    }
}

/// Splits a tags cell on any of `seps` (outside double quotes), trims each tag, drops surrounding
/// quotes and empty tags, and de-duplicates case-insensitively keeping the first spelling.
pub fn split_tags(cell: &str, seps: &[&str], out: &mut Vec<String>) -> Result<(), String> {
    let mut current = String::new();
    let mut quoted = false;
    let mut rest = cell;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            quoted = !quoted;
            current.push(c);
            rest = &rest[1..];
            continue;
        }
        if !quoted {
            if let Some(sep) = seps.iter().find(|s| rest.starts_with(**s)) {
                push_tag(&current, out)?;
                current.clear();
                rest = &rest[sep.len()..];
                continue;
            }
        }
        current.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push_tag(&current, out)
}

fn push_tag(raw: &str, out: &mut Vec<String>) -> Result<(), String> {
    let mut tag = raw.trim();
    if tag.len() >= 2 && tag.starts_with('"') && tag.ends_with('"') {
        tag = tag[1..tag.len() - 1].trim();
    }
    let tag = tag.replace("\"\"", "\"");
    if tag.is_empty() {
        return Ok(());
    }
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err(format!("the tag {tag:?} is longer than {MAX_TAG_CHARS} characters"));
    }
    add_tag(out, &tag);
    Ok(())
}

/// Adds a tag unless the list already has it in any letter case.
pub fn add_tag(tags: &mut Vec<String>, tag: &str) {
    let norm = fanbase_core::text::normalize_tag(tag);
    if !tags.iter().any(|t| fanbase_core::text::normalize_tag(t) == norm) {
        tags.push(tag.trim().to_string());
    }
}

/// Undoes the export's formula-injection escape: a leading `'` before `= + - @`, tab or CR.
pub fn unescape_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_with_a_reason() {
        assert!(check_email("ana@example.com").is_ok());
        assert!(check_email("zoë.müller+tag@gmx.de").is_ok(), "international addresses are valid");
        for (bad, why) in [
            ("ana.example.com", "no @"),
            ("@example.com", "nothing before"),
            ("ana@", "nothing after"),
            ("ana@example", "no dot"),
            ("ana@@example.com", "more than one @"),
            ("an a@example.com", "not allowed"),
            ("ana@exa_mple.com", "not allowed in the domain"),
            ("ana..b@example.com", "misplaced dot"),
            ("ana@example.c", "one-letter"),
        ] {
            let err = check_email(bad).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err} should say {why}");
        }
    }

    #[test]
    fn dates_in_the_four_accepted_shapes() {
        let day = 1_704_067_200_000; // 2024-01-01T00:00:00Z
        assert_eq!(parse_date("2024-01-01").unwrap(), day);
        assert_eq!(parse_date("2024-01-01 01:02:03").unwrap(), day + 3_723_000);
        assert_eq!(parse_date("2024-01-01T01:02:03+01:00").unwrap(), day + 123_000);
        assert_eq!(parse_date("2024-01-01T00:00:00.250Z").unwrap(), day + 250);
        assert_eq!(parse_date("01/01/2024").unwrap(), day);
        assert_eq!(parse_date("1/1/2024").unwrap(), day, "single-digit month and day");
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("yesterday").is_err());
    }

    #[test]
    fn money_becomes_cents() {
        for (text, cents) in [
            ("99", 9900),
            ("99.00", 9900),
            ("$1,234.50", 123_450),
            ("0.5", 50),
            ("1.234,50 €", 123_450),
            ("99,5", 9950),
            ("1,234,567", 123_456_700),
            ("£12", 1200),
        ] {
            assert_eq!(parse_money(text), Ok(cents), "{text}");
        }
        for bad in ["-5", "abc", "1,23,4", "1.234.5,6.7", "", "$", "12.345.6"] {
            assert!(parse_money(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn booleans_ints_types_and_statuses() {
        assert_eq!(parse_bool("Yes"), Ok(true));
        assert_eq!(parse_bool("0"), Ok(false));
        assert!(parse_bool("maybe").is_err());
        assert_eq!(parse_int("12.0"), Ok(12));
        assert!(parse_int("12.5").is_err());
        assert_eq!(parse_type("Paying"), Ok("paying"));
        assert_eq!(parse_status("Cleaned"), Ok("bounced"));
        assert_eq!(parse_status("subscribed"), Ok("active"));
        assert!(parse_status("gone").is_err());
    }

    #[test]
    fn tags_split_trim_unquote_and_dedupe() {
        let mut tags = Vec::new();
        split_tags(" VIP, edm ,vip,, \"rock, pop\" ", &[","], &mut tags).unwrap();
        assert_eq!(tags, ["VIP", "edm", "rock, pop"], "first spelling kept, quoted comma kept");
        let mut tags = Vec::new();
        split_tags("a|b||c", &["||", "|"], &mut tags).unwrap();
        assert_eq!(tags, ["a", "b", "c"]);
    }

    #[test]
    fn formula_escape_is_undone_only_before_formula_characters() {
        assert_eq!(unescape_formula("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unescape_formula("'+1555"), "+1555");
        assert_eq!(unescape_formula("'quoted'"), "'quoted'");
    }
}

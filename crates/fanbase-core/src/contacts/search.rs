//! What the user types into the search box, turned into FTS5 match expressions that can only be
//! text: every word becomes a quoted FTS string (quotes doubled) matched as a prefix, so `*`, `OR`,
//! `NEAR(`, `"` or `--` in the query are searched for as text and never parsed as FTS syntax.

/// At most this many words of a query are used; more only narrows a result that is already small.
pub const MAX_WORDS: usize = 8;
/// Words longer than this are cut (no email or name token is longer).
const MAX_WORD_CHARS: usize = 100;

/// A search query split into words, each ready to be bound as an FTS5 MATCH expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// Nothing was typed (or only spaces): no search condition at all.
    Everything,
    /// Something was typed but it holds no letter or digit, so no email, name or tag can contain
    /// it as a word: nothing matches.
    Nothing,
    /// One FTS5 expression per word; a row matches when it matches every word.
    Words(Vec<String>),
}

impl Search {
    pub fn parse(text: &str) -> Search {
        if text.trim().is_empty() {
            return Search::Everything;
        }
        let words: Vec<String> = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .take(MAX_WORDS)
            .map(prefix_phrase)
            .collect();
        if words.is_empty() {
            Search::Nothing
        } else {
            Search::Words(words)
        }
    }
}

/// `ab"c` → `"ab""c"*`: an FTS5 string (its tokens must follow each other) whose last token is a
/// prefix. Inside an FTS5 string every character but `"` is literal, and `""` is one quote.
pub fn prefix_phrase(word: &str) -> String {
    let word: String = word.chars().take(MAX_WORD_CHARS).collect();
    format!("\"{}\"*", word.replace('"', "\"\""))
}

/// Several words that must all match, as one FTS5 expression.
pub fn all_of(phrases: &[String]) -> String {
    phrases.join(" AND ")
}

/// Several words that must all match a fan's email or name, as one parenthesized FTS5 expression.
/// The index's third column holds the store's token (`0s` and its key): only a word with a `0` can
/// match it, so only then are the columns named. Naming them makes FTS5 check every hit's column,
/// about twice the work on a one-letter word.
pub fn in_email_or_name(phrases: &[String]) -> String {
    if phrases.iter().any(|p| p.contains('0')) {
        format!("{{email name}}: ({})", all_of(phrases))
    } else {
        format!("({})", all_of(phrases))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_prefix_strings() {
        assert_eq!(Search::parse("  "), Search::Everything, "blank is no search");
        assert_eq!(Search::parse("ali smi"), Search::Words(vec!["\"ali\"*".into(), "\"smi\"*".into()]));
        assert_eq!(
            Search::parse("\"vip\" OR"),
            Search::Words(vec!["\"\"\"vip\"\"\"*".into(), "\"OR\"*".into()]),
            "quotes are doubled and OR is a word, not an operator"
        );
        assert_eq!(Search::parse("NEAR("), Search::Words(vec!["\"NEAR(\"*".into()]));
    }

    #[test]
    fn punctuation_only_matches_nothing() {
        assert_eq!(Search::parse("*"), Search::Nothing, "a lone star is text, not a wildcard");
        assert_eq!(Search::parse("-- ; '"), Search::Nothing);
    }

    #[test]
    fn long_queries_are_bounded() {
        let many = "a ".repeat(50);
        match Search::parse(&many) {
            Search::Words(w) => assert_eq!(w.len(), MAX_WORDS, "the word count is capped"),
            other => panic!("expected words, got {other:?}"),
        }
    }
}

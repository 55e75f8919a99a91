//! Normalisation rules shared by every writer: how emails and tags are compared.

/// The identity of an email within a store: trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The identity of a tag within a store: trimmed and lower-cased.
pub fn normalize_tag(tag: &str) -> String {
    tag.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_compare_case_insensitively_after_trimming() {
        assert_eq!(normalize_email("  Ana@Example.COM "), "ana@example.com");
    }
}

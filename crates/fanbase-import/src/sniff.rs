//! Guessing the delimiter (comma, semicolon or tab) from the first lines of decoded text.

/// The delimiters an import recognises, in order of preference on a tie.
pub const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// Picks the delimiter that splits the header into the most columns and the next lines into the
/// same number; a file with a single column gets a comma.
pub fn delimiter(head: &[u8]) -> u8 {
    let lines = logical_lines(head, 20);
    let Some((header, rest)) = lines.split_first() else {
        return b',';
    };
    let mut best = (b',', (false, 0usize, 0usize));
    for d in DELIMITERS {
        let n = count_outside_quotes(header, d);
        let consistent = rest.iter().filter(|l| count_outside_quotes(l, d) == n).count();
        let score = (n > 0, consistent, n);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Up to `max` lines, where a newline inside double quotes does not end a line. The last line is
/// dropped when the text was cut in its middle (it may be incomplete).
fn logical_lines(text: &[u8], max: usize) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => {
                if i > start {
                    lines.push(&text[start..i]);
                    if lines.len() == max {
                        return lines;
                    }
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if lines.is_empty() && start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

fn count_outside_quotes(line: &[u8], d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_delimiter_of_the_header() {
        assert_eq!(delimiter(b"email,name\na@b.co,A\n"), b',');
        assert_eq!(delimiter(b"email;name;tags\na@b.co;A;\"x, y\"\n"), b';');
        assert_eq!(delimiter(b"email\tname\na@b.co\tA, B\n"), b'\t');
        assert_eq!(delimiter(b"email\na@b.co\n"), b',', "one column: comma");
        assert_eq!(delimiter(b"\"e,mail\";name\nx;y\n"), b';', "delimiters inside quotes do not count");
    }
}

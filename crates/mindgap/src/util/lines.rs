//! Byte offset → line number over one text, in O(log n) per look-up after one
//! O(n) pass, for locating records in large JSON diaries (a scan from the
//! start for each record made reading quadratic in the file size).

/// The offsets of every `\n` in a text.
#[derive(Debug)]
pub(crate) struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub(crate) fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The 1-based line of byte `offset`: one more than the newlines before it
    /// (the same as counting them in `text[..offset]`).
    pub(crate) fn line_of(&self, offset: usize) -> u64 {
        1 + self.newlines.partition_point(|&n| n < offset) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_counting_newlines() {
        let text = "a\nbc\n\nd\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            let prefix = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
            let count = 1 + prefix.iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(index.line_of(offset), count, "offset {offset}");
        }
    }
}

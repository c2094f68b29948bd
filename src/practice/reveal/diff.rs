//! The word-level difference between an answer and its reference, with
//! `similar`.

use similar::{Algorithm, ChangeTag, TextDiff};

use super::{DiffOp, DiffTag};

/// From `from` to `to`, word by word: [`DiffTag::Delete`] is text only
/// `from` has, [`DiffTag::Insert`] text only `to` has (the reference, in a
/// reveal; the newer version, between two versions of a draft). Runs of one
/// kind are merged, so a rewritten sentence reads as one change.
pub fn word_diff(from: &str, to: &str) -> Vec<DiffOp> {
    // Patience keeps whole sentences together where Myers scatters matches
    // on common words (`the`, `a`) through two unrelated passages.
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(from, to);
    let mut ops: Vec<DiffOp> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = match change.tag() {
            ChangeTag::Equal => DiffTag::Equal,
            ChangeTag::Insert => DiffTag::Insert,
            ChangeTag::Delete => DiffTag::Delete,
        };
        match ops.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(change.value()),
            _ => ops.push(DiffOp {
                tag,
                text: change.value().to_string(),
            }),
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_is_one_delete_and_one_insert_between_equal_runs() {
        let ops = word_diff(
            "goroutines are cheap threads",
            "goroutines are light threads",
        );
        let tags: Vec<DiffTag> = ops.iter().map(|o| o.tag).collect();
        assert_eq!(
            tags,
            [
                DiffTag::Equal,
                DiffTag::Delete,
                DiffTag::Insert,
                DiffTag::Equal
            ]
        );
        assert_eq!(ops[1].text, "cheap");
        assert_eq!(ops[2].text, "light");
    }
}

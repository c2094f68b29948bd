//! What changed between two saved versions of a draft, word by word.

use similar::{Algorithm, ChangeTag, TextDiff};

use super::{DiffOp, DiffTag};

/// From `older` to `newer`: [`DiffTag::Delete`] is text only the older
/// version has, [`DiffTag::Insert`] text the newer one added. Runs of one
/// kind are merged, so a rewritten sentence reads as one change.
pub fn version_diff(older: &str, newer: &str) -> Vec<DiffOp> {
    // Patience, as for the reveal: a reworded paragraph stays together
    // instead of matching on every `the`.
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(older, newer);
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

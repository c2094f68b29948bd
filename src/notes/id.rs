//! Ids of notes, headings and cards (`note#module-slug/question-slug`): made
//! and taken apart here only, so no caller (nor the UI) splits one by hand.

/// An id taken apart: the note it belongs to and, for a heading or a card,
/// the slug trail after the `#`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardId<'a> {
    pub note: &'a str,
    pub trail: Option<&'a str>,
}

impl<'a> CardId<'a> {
    /// Note ids escape `#` (see [`note_id`]), so the first `#` always ends
    /// the note part.
    pub fn parse(id: &'a str) -> CardId<'a> {
        match id.split_once('#') {
            Some((note, trail)) => CardId {
                note,
                trail: Some(trail),
            },
            None => CardId {
                note: id,
                trail: None,
            },
        }
    }
}

/// A note's id: its path inside its folder with `/` separators, `%` and `#`
/// percent-escaped (`C#.md` → `C%23.md`) so that a path may hold any
/// character and still be told from the heading part of an id. Paths without
/// either character, nearly all, keep their id as it always was.
pub fn note_id(relative_path: &str) -> String {
    let mut id = String::with_capacity(relative_path.len());
    for c in relative_path.chars() {
        match c {
            '%' => id.push_str("%25"),
            '#' => id.push_str("%23"),
            c => id.push(c),
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_in_a_note_path_is_never_taken_for_the_heading_part() {
        let note = note_id("langs/C#.md");
        assert_eq!(note, "langs/C%23.md");
        let card = format!("{note}#module/what-is-linq");
        assert_eq!(
            CardId::parse(&card),
            CardId {
                note: "langs/C%23.md",
                trail: Some("module/what-is-linq")
            }
        );
        assert_eq!(CardId::parse(&note).note, note);
        assert_eq!(note_id("100%.md"), "100%25.md");
        assert_eq!(note_id("été/ñ x.md"), "été/ñ x.md");
    }
}

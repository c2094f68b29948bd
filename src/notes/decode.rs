//! Bytes to text: UTF-8 (repairing Windows-1252 mojibake only in files that
//! show its signature), UTF-16 with a BOM, and any other legacy encoding as
//! `chardetng` detects it.

use chardetng::EncodingDetector;
use encoding_rs::{Encoding, UTF_8};

/// Text decoded from a file, and what had to be done to it.
pub struct Decoded {
    pub text: String,
    /// A sentence for the user when the text was not clean UTF-8.
    pub repair: Option<String>,
}

/// Decodes a note's bytes. Never fails: whatever the bytes, some encoding maps
/// them to characters, and the sentence in `repair` says which was used.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes)
        && encoding != UTF_8
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            repair: Some(format!(
                "decoded from {}{}",
                encoding.name(),
                unreadable(had_errors)
            )),
        };
    }
    let (bytes, utf8_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let (text, repaired) = repair_mojibake(text);
            Decoded {
                repair: (repaired > 0).then(|| {
                    format!("repaired {repaired} characters garbled by a Windows-1252 round trip")
                }),
                text,
            }
        }
        // The BOM is the writer saying "UTF-8": bad bytes after it are damage,
        // not a sign of another encoding.
        Err(_) if utf8_bom || mostly_utf8(bytes) => Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            repair: Some("some bytes were not valid UTF-8 and are shown as \u{FFFD}".to_string()),
        },
        Err(_) => {
            let mut detector = EncodingDetector::new();
            detector.feed(bytes, true);
            // The bytes are not UTF-8, so UTF-8 is no candidate.
            let encoding = detector.guess(None, false);
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            Decoded {
                text: text.into_owned(),
                repair: Some(format!(
                    "not valid UTF-8; read as {}{}",
                    encoding.name(),
                    unreadable(had_errors)
                )),
            }
        }
    }
}

/// A UTF-8 file with a few damaged bytes (cut off mid-character, one bad
/// sector) rather than a file in a legacy encoding: legacy text almost never
/// forms valid multi-byte UTF-8 by accident, so many valid sequences beside a
/// few invalid ones mean UTF-8. Reading it in a legacy encoding would garble
/// every other non-ASCII character to save the few damaged ones.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    invalid * 10 <= valid
}

fn unreadable(had_errors: bool) -> &'static str {
    if had_errors {
        " (some bytes were unreadable)"
    } else {
        ""
    }
}

/// How many signature sequences a file needs before it is repaired.
///
/// Genuine text can spell a valid UTF-8 sequence when encoded as Windows-1252
/// (`café »` is E9 A0 BB, `weiß“` is DF 93, `CAFÉ’S` is C9 92), so a single
/// such sequence proves nothing, and "repairing" it would silently destroy
/// what the user wrote. Only the lead characters a round trip leaves behind
/// in practice count (see [`SIGNATURE_LEADS`]), and only several of them:
/// a note that merely quotes one or two examples of mojibake stays as written,
/// while a round-tripped file has one for nearly every non-ASCII character
/// it had. A file with only one or two garbled characters is therefore left
/// alone: that is visible and the user can fix it; a wrong repair is neither.
const SIGNATURE_HITS: usize = 3;

/// The Windows-1252 bytes that start the classic mojibake sequences: `Â`/`Ã`
/// (Latin-1 punctuation and letters, `Ã©` for é), `Ä`/`Å` (Central European
/// letters, `Å‚` for ł), `Ð`/`Ñ` (Cyrillic), `â` (punctuation, arrows, box
/// drawing: `â€™` for ’), `ï` (`ï»¿`, a BOM read as text) and `ð` (emoji:
/// `ðŸ§©` for 🧩). Other leads are Latin-1 letters a genuine text follows with
/// punctuation often enough (`é»`, `ß“`) to be no evidence.
const SIGNATURE_LEADS: [u8; 9] = [0xC2, 0xC3, 0xC4, 0xC5, 0xD0, 0xD1, 0xE2, 0xEF, 0xF0];

/// Undoes UTF-8 that was read as Windows-1252 and saved again (`ðŸ§©` for 🧩,
/// `â€™` for ’), but only in a text that as a whole shows the signature of
/// such a round trip ([`SIGNATURE_HITS`]). Each run of characters that
/// Windows-1252 can encode is encoded back to bytes; only the byte sequences
/// that then form valid multi-byte UTF-8 are replaced, so genuine accented
/// text beside the mojibake (`café`) is left as it was.
/// Returns the text and how many characters were repaired.
pub fn repair_mojibake(text: &str) -> (String, usize) {
    if signature_hits(text) < SIGNATURE_HITS {
        return (text.to_string(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    for (suspect, piece) in pieces(text) {
        if !suspect {
            out.push_str(piece);
            continue;
        }
        let bytes = cp1252_bytes(piece);
        let mut chars = piece.chars();
        let mut i = 0;
        while i < bytes.len() {
            if let Some((ch, len)) = utf8_at(&bytes[i..]) {
                out.push(ch);
                repaired += 1;
                chars.nth(len - 1);
                i += len;
            } else {
                out.extend(chars.next());
                i += 1;
            }
        }
    }
    (out, repaired)
}

/// How many sequences in the text look like a Windows-1252 round trip.
fn signature_hits(text: &str) -> usize {
    let mut hits = 0;
    for (_, run) in pieces(text).filter(|&(suspect, _)| suspect) {
        let bytes = cp1252_bytes(run);
        let mut i = 0;
        while i < bytes.len() {
            match utf8_at(&bytes[i..]) {
                Some((_, len)) => {
                    hits += usize::from(SIGNATURE_LEADS.contains(&bytes[i]));
                    i += len;
                }
                None => i += 1,
            }
        }
    }
    hits
}

/// Cuts the text where a round trip could have left its marks: maximal runs
/// of non-ASCII characters that Windows-1252 can encode (`true`), and the
/// text between them (`false`). A mojibake sequence never spans a cut.
fn pieces(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let suspect = |c: char| !c.is_ascii() && cp1252_byte(c).is_some();
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = suspect(rest.chars().next()?);
        let end = rest
            .char_indices()
            .find(|&(_, c)| suspect(c) != first)
            .map_or(rest.len(), |(i, _)| i);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some((first, piece))
    })
}

/// A run's Windows-1252 bytes, one per character.
fn cp1252_bytes(run: &str) -> Vec<u8> {
    run.chars().filter_map(cp1252_byte).collect()
}

/// The character and length of the multi-byte UTF-8 sequence `bytes` starts
/// with, if it starts with a valid one.
fn utf8_at(bytes: &[u8]) -> Option<(char, usize)> {
    let len = match bytes.first()? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let sequence = std::str::from_utf8(bytes.get(..len)?).ok()?;
    sequence.chars().next().map(|ch| (ch, len))
}

/// The Windows-1252 byte of a non-ASCII character, if it has one. The five
/// bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) pass
/// through as C1 control characters, as they do in the round trip.
fn cp1252_byte(ch: char) -> Option<u8> {
    let code = ch as u32;
    if (0xA0..=0xFF).contains(&code) || matches!(code, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
        return Some(code as u8);
    }
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    HIGH.iter().find(|(c, _)| *c == ch).map(|&(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_and_quotes_garbled_by_windows_1252_are_repaired() {
        let (text, n) = repair_mojibake("## ðŸ§©Projects, itâ€™s ðŸŒ¸ time");
        assert_eq!(text, "## 🧩Projects, it’s 🌸 time");
        assert_eq!(n, 3);
    }

    #[test]
    fn genuine_accents_and_symbols_are_left_alone() {
        let original = "café ≥ 1MB, naïve — “quoted” ’";
        assert_eq!(repair_mojibake(original), (original.to_string(), 0));
    }

    #[test]
    fn a_utf8_note_with_one_damaged_byte_keeps_its_other_characters() {
        let mut bytes = "Café, naïve, ½ — ünïcödé everywhere: ∑ ≥ 🧩 "
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"\xE2\x82 cut off");
        let decoded = decode(&bytes);
        assert!(
            decoded
                .text
                .starts_with("Café, naïve, ½ — ünïcödé everywhere: ∑ ≥ 🧩 ")
        );
        assert!(decoded.text.contains('\u{FFFD}'), "{}", decoded.text);
        assert!(decoded.repair.unwrap().contains("not valid UTF-8"));
    }

    #[test]
    fn one_or_two_quoted_examples_of_mojibake_are_not_repaired() {
        let original = "`Ã©` is what é becomes, `â€™` what ’ becomes";
        assert_eq!(repair_mojibake(original), (original.to_string(), 0));
    }

    #[test]
    fn genuine_letters_before_punctuation_never_count_as_the_signature() {
        let original = "café » weiß“ CAFÉ’S\n".repeat(20);
        assert_eq!(signature_hits(&original), 0);
        assert_eq!(repair_mojibake(&original), (original.clone(), 0));
    }

    #[test]
    fn a_repaired_text_keeps_accents_that_were_never_garbled() {
        let (text, n) = repair_mojibake("ðŸ§© donâ€™t, wonâ€™t, café ≥ naïve");
        assert_eq!(text, "🧩 don’t, won’t, café ≥ naïve");
        assert_eq!(n, 3);
    }

    #[test]
    fn invalid_utf8_is_read_in_the_detected_encoding_and_says_which() {
        let decoded = decode(b"caf\xe9 \x93ok\x94");
        assert_eq!(decoded.text, "café “ok”");
        assert_eq!(
            decoded.repair.as_deref(),
            Some("not valid UTF-8; read as windows-1252")
        );
    }

    #[test]
    fn a_utf8_bom_keeps_a_damaged_file_utf8() {
        let decoded = decode(b"\xEF\xBB\xBF# Caf\xc3\xa9 \xff");
        assert_eq!(decoded.text, "# Café \u{FFFD}");
        assert!(decoded.repair.is_some());
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("# Hi".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&bytes).text, "# Hi");
    }
}

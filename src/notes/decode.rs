//! Bytes to text: UTF-8 (with Windows-1252 mojibake repaired), UTF-16 with a BOM,
//! and a Windows-1252 fallback for files that are not UTF-8 at all.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Text decoded from a file, and what had to be done to it.
pub struct Decoded {
    pub text: String,
    /// A sentence for the user when the text was not clean UTF-8.
    pub repair: Option<String>,
}

/// Decodes a note's bytes. Never fails: the worst case is Windows-1252, which
/// maps every byte to some character.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes)
        && encoding != UTF_8
    {
        let (text, _, had_errors) = encoding.decode(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            repair: Some(format!(
                "decoded from {}{}",
                encoding.name(),
                if had_errors {
                    " (some bytes were unreadable)"
                } else {
                    ""
                }
            )),
        };
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            Decoded {
                text: text.into_owned(),
                repair: Some("not valid UTF-8; read as Windows-1252".to_string()),
            }
        }
    }
}

/// Undoes UTF-8 that was read as Windows-1252 and saved again (`ðŸ§©` for 🧩,
/// `â€™` for ’). Each run of characters that Windows-1252 can encode is encoded
/// back to bytes; only the byte sequences that then form valid multi-byte UTF-8
/// are replaced, so genuine accented text (`café`) is left as it was.
/// Returns the text and how many characters were repaired.
pub fn repair_mojibake(text: &str) -> (String, usize) {
    if text.is_ascii() {
        return (text.to_string(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut run: Vec<char> = Vec::new();
    for ch in text.chars() {
        if !ch.is_ascii() && cp1252_byte(ch).is_some() {
            run.push(ch);
            continue;
        }
        repaired += repair_run(&run, &mut out);
        run.clear();
        out.push(ch);
    }
    repaired += repair_run(&run, &mut out);
    (out, repaired)
}

fn repair_run(run: &[char], out: &mut String) -> usize {
    let bytes: Vec<u8> = run.iter().filter_map(|&c| cp1252_byte(c)).collect();
    let mut repaired = 0;
    let mut i = 0;
    while i < bytes.len() {
        let len = match bytes[i] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0
            && i + len <= bytes.len()
            && let Ok(decoded) = std::str::from_utf8(&bytes[i..i + len])
        {
            out.push_str(decoded);
            repaired += 1;
            i += len;
        } else {
            out.push(run[i]);
            i += 1;
        }
    }
    repaired
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
    fn invalid_utf8_falls_back_to_windows_1252_with_a_note() {
        let decoded = decode(b"caf\xe9 \x93ok\x94");
        assert_eq!(decoded.text, "café “ok”");
        assert!(decoded.repair.unwrap().contains("Windows-1252"));
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

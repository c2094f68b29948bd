//! The terms of a text as the index sees them, weighed against the whole
//! library: word stems through the same analyzer as the notes' bodies (so
//! `Goroutines` is `goroutin`, like `goroutine`), and whole code tokens
//! (`sync.mutex`, `acks=all`, `-race`), each with how rare it is in the
//! indexed sections. Comparing an answer with its reference reads them here.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use tantivy::Term;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use super::{NoteIndex, query, schema};

/// A term in more than this share of the sections says little about any of
/// them. Measured on the bundled notes (164 sections): `goroutine` is in 16,
/// `function` in 24 and `data` in 30, and stay; `handle` (33), `go` (46),
/// `the` (79) and `use` (81) go.
const COMMON_SHARE: f64 = 0.2;

/// Where a term occurs in a text, in bytes.
pub(crate) struct TermSpan {
    pub term: String,
    pub range: Range<usize>,
}

/// A term of a text, with its weight in that text against the library.
pub(crate) struct WeightedTerm {
    /// A word's stem, or a whole code token lowercased.
    pub term: String,
    /// For a code token, the stems of its words (`sync`, `mutex`); empty
    /// for a word.
    pub parts: Vec<String>,
    /// The term as written in the text, each spelling once, in order.
    pub forms: Vec<String>,
    /// How rare the term is in the library's sections (BM25's idf).
    pub idf: f32,
    /// `(1 + ln count) × idf`: a word said twice is not twice the idea.
    pub weight: f32,
}

impl WeightedTerm {
    /// Whether a text whose terms are `terms` has this one: a code token
    /// counts as there when its words are (`acks` … `all` for `acks=all`).
    pub(crate) fn is_in(&self, terms: &HashSet<String>) -> bool {
        terms.contains(&self.term)
            || (!self.parts.is_empty() && self.parts.iter().all(|p| terms.contains(p)))
    }
}

impl NoteIndex {
    /// Every occurrence of a term in `text`, in reading order: each word's
    /// stem and, where words are joined into code, the whole token too.
    pub(crate) fn term_spans(&self, text: &str) -> Vec<TermSpan> {
        let mut spans = analyze(&mut self.analyzers.stemmed.clone(), text);
        spans.extend(
            analyze(&mut self.analyzers.code.clone(), text)
                .into_iter()
                .filter(|s| is_code(&s.term)),
        );
        spans.sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
        spans
    }

    /// The terms of `text`, as [`NoteIndex::key_terms`] names them.
    pub(crate) fn terms_in(&self, text: &str) -> HashSet<String> {
        self.term_spans(text).into_iter().map(|s| s.term).collect()
    }

    /// The terms that say most about `text` against the library, heaviest
    /// first, at most `limit`: words common to many sections, numbers and
    /// single letters are left out, and so are words that only occur inside
    /// a code token that is itself a term (`sync` of `sync.Mutex`).
    pub(crate) fn key_terms(&self, text: &str, limit: usize) -> Vec<WeightedTerm> {
        let spans = self.term_spans(text);
        let code_ranges: Vec<&Range<usize>> = spans
            .iter()
            .filter(|s| is_code(&s.term))
            .map(|s| &s.range)
            .collect();
        // A code token is not inside itself.
        let inside_code = |range: &Range<usize>| {
            code_ranges
                .iter()
                .any(|c| c.start <= range.start && range.end <= c.end && **c != *range)
        };
        // term → (count, forms, occurs outside code tokens)
        let mut seen: HashMap<&str, (usize, Vec<String>, bool)> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for span in &spans {
            let entry = seen.entry(&span.term).or_insert_with(|| {
                order.push(&span.term);
                (0, Vec::new(), false)
            });
            entry.0 += 1;
            let form = &text[span.range.clone()];
            if !entry.1.iter().any(|f| f == form) {
                entry.1.push(form.to_string());
            }
            entry.2 |= !inside_code(&span.range);
        }
        let searcher = self.reader.searcher();
        let sections = searcher.num_docs().max(1) as f64;
        let mut stemmed = self.analyzers.stemmed.clone();
        let mut terms: Vec<WeightedTerm> = order
            .into_iter()
            .filter_map(|term| {
                let (count, forms, outside_code) = seen.remove(term)?;
                let code = is_code(term);
                if !outside_code || !says_something(term) || function_words().contains(term) {
                    return None;
                }
                let field = if code {
                    self.fields.words
                } else {
                    self.fields.body
                };
                let sections_with = doc_freq(&searcher, field, term) as f64;
                // In a library of a few sections every term is in a large
                // share of them; one found in a single section is its own.
                if sections_with > 1.0 && sections_with > COMMON_SHARE * sections {
                    return None;
                }
                let idf = (1.0 + (sections - sections_with + 0.5) / (sections_with + 0.5)).ln();
                Some(WeightedTerm {
                    term: term.to_string(),
                    parts: if code {
                        schema::tokens(&mut stemmed, term)
                    } else {
                        Vec::new()
                    },
                    forms,
                    idf: idf as f32,
                    weight: ((1.0 + (count as f64).ln()) * idf) as f32,
                })
            })
            .collect();
        // Stable: equal weights keep the order the text gives them.
        terms.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        terms.truncate(limit);
        terms
    }
}

fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<TermSpan> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(TermSpan {
            term: token.text.clone(),
            range: token.offset_from..token.offset_to,
        });
    }
    out
}

fn doc_freq(searcher: &tantivy::Searcher, field: Field, text: &str) -> u64 {
    // A term the dictionary cannot be read for is taken for a rare one.
    searcher
        .doc_freq(&Term::from_field_text(field, text))
        .unwrap_or(0)
}

/// A code token worth a term of its own: symbols join words that are not all
/// single letters (`sync.mutex`, `acks=all`, `-race`, `c++`), and it is not
/// merely a hyphenated word (`event-driven`) or an abbreviation (`e.g`).
fn is_code(token: &str) -> bool {
    let words: Vec<&str> = token
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has_symbols = token.chars().any(|c| !c.is_alphanumeric());
    let hyphenated =
        !token.starts_with('-') && token.chars().all(|c| c.is_alphanumeric() || c == '-');
    let letters = token.chars().any(char::is_alphabetic);
    let initials = words.len() > 1 && words.iter().all(|w| w.chars().count() == 1);
    has_symbols && !hyphenated && letters && !initials
}

/// Words that carry no topic, as the stemmer has them: the words questions
/// are phrased with ([`query::FILLER`]), the rest of Lucene's English stop
/// words, and a few more determiners and modal verbs. A library of a few
/// hundred sections is too small for its own statistics to tell them from
/// topics: in the bundled notes `be`, `this` and `all` are in fewer sections
/// than `function`, and `why` is in one.
fn function_words() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        // Lucene's English stop words that are not in FILLER.
        const STOP: &[&str] = &[
            "be", "but", "if", "into", "no", "not", "such", "that", "their", "then", "there",
            "these", "they", "this", "was", "will",
        ];
        const DETERMINERS_AND_MODALS: &[&str] = &[
            "all", "also", "any", "could", "each", "every", "has", "have", "its", "may", "more",
            "most", "must", "only", "other", "should", "so", "some", "than", "very", "would",
        ];
        let mut stemmed = schema::analyzer(schema::STEMMED);
        query::FILLER
            .iter()
            .chain(STOP)
            .chain(DETERMINERS_AND_MODALS)
            .flat_map(|word| schema::tokens(&mut stemmed, word))
            .collect()
    })
}

/// Numbers and single letters are not what an answer is about.
fn says_something(term: &str) -> bool {
    term.chars().count() > 1 && term.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_tokens_are_joined_words_not_hyphenated_prose_or_initials() {
        for code in [
            "sync.mutex",
            "acks=all",
            "-race",
            "c++",
            "wg.add",
            "sync/atomic",
        ] {
            assert!(is_code(code), "{code}");
        }
        for not_code in [
            "event-driven",
            "e.g",
            "m:n",
            "1.5",
            "goroutine",
            "2024-07-26",
        ] {
            assert!(!is_code(not_code), "{not_code}");
        }
    }
}

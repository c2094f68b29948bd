//! What users type, turned into a Tantivy query: words (the last one a prefix
//! while typing), typo expansion, stems, code tokens, `"phrases"`, `-exclusions`.
//! Any string at all is accepted; what cannot be searched is ignored.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use tantivy::Searcher;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::schema::{self, CODE, Fields, RAW, STEMMED};

/// More words than this in one query are not worth the work: the rest is ignored.
const MAX_CLAUSES: usize = 16;
/// Typo candidates kept per word, the most frequent first.
const FUZZY_TERMS: usize = 12;

/// The query as written: words, phrases and exclusions.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Parsed {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub excluded: Vec<String>,
    /// The last word is still being typed: match it as a prefix.
    pub last_is_prefix: bool,
}

pub(super) fn parse(input: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            if !phrase.trim().is_empty() {
                parsed.phrases.push(phrase);
            }
            parsed.last_is_prefix = false;
            continue;
        }
        let word: String = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect();
        match word.strip_prefix('-') {
            Some(rest) if !rest.is_empty() && !rest.starts_with('-') => parsed.excluded.push(word),
            _ => parsed.words.push(word),
        }
        parsed.last_is_prefix = chars.peek().is_none();
    }
    parsed.last_is_prefix &= !parsed.words.is_empty();
    if input.ends_with(char::is_whitespace) {
        parsed.last_is_prefix = false;
    }
    parsed.words.truncate(MAX_CLAUSES);
    parsed.phrases.truncate(MAX_CLAUSES);
    parsed.excluded.truncate(MAX_CLAUSES);
    parsed
}

/// Everything a built query needs besides the parsed text.
pub(super) struct Builder<'s> {
    pub searcher: &'s Searcher,
    pub expansions: &'s Expansions,
    pub fields: Fields,
    pub stemmed: TextAnalyzer,
    pub raw: TextAnalyzer,
    pub code: TextAnalyzer,
}

/// The query, and the words to mark in snippets and in the reader.
pub(super) struct Built {
    pub required: Vec<Box<dyn Query>>,
    /// Quoted phrases: required even when sections with only some of the
    /// words are shown.
    pub phrases: Vec<Box<dyn Query>>,
    /// Filler words (`what is a`): they rank, but a section need not have them.
    pub optional: Vec<Box<dyn Query>>,
    pub excluded: Vec<Box<dyn Query>>,
    pub marks: Marks,
}

/// Words to highlight: exact lowercase words, and stems.
#[derive(Default)]
pub(crate) struct Marks {
    pub words: HashSet<String>,
    pub stems: HashSet<String>,
    /// Prefix of the word being typed.
    pub prefix: Option<String>,
}

impl Builder<'_> {
    pub fn build(&mut self, parsed: &Parsed) -> tantivy::Result<Built> {
        let mut built = Built {
            required: Vec::new(),
            phrases: Vec::new(),
            optional: Vec::new(),
            excluded: Vec::new(),
            marks: Marks::default(),
        };
        let last = parsed.words.len().saturating_sub(1);
        // Filler words decide nothing unless they are all there is.
        let all_filler = parsed.words.iter().all(|w| is_filler(w));
        for (i, word) in parsed.words.iter().enumerate() {
            let prefix = parsed.last_is_prefix && i == last;
            // A filler word still being typed may be the start of a real one
            // (`wh` → `whitespace`), so it is only optional once complete.
            let filler = !all_filler && is_filler(word) && !prefix;
            if let Some(query) = self.word(word, prefix, &mut built.marks)? {
                if filler {
                    built.optional.push(query);
                } else {
                    built.required.push(query);
                }
            }
        }
        for phrase in &parsed.phrases {
            if let Some(query) = self.phrase(phrase, &mut built.marks) {
                built.phrases.push(query);
            }
        }
        for word in &parsed.excluded {
            // Always an exclusion, even where the notes hold the flag `-race`:
            // `"-race"` in quotes searches for it.
            let stems = schema::tokens(&mut self.stemmed, &word[1..]);
            for stem in stems {
                for field in [self.fields.title, self.fields.body, self.fields.trail] {
                    built.excluded.push(Box::new(TermQuery::new(
                        Term::from_field_text(field, &stem),
                        IndexRecordOption::Basic,
                    )));
                }
            }
        }
        Ok(built)
    }

    /// One word: its stem in title, trail and body, typo candidates, the word
    /// as a prefix while it is being typed, and code tokens like `wg.Add`.
    fn word(
        &mut self,
        word: &str,
        prefix: bool,
        marks: &mut Marks,
    ) -> tantivy::Result<Option<Box<dyn Query>>> {
        let raw = schema::tokens(&mut self.raw, word);
        if let Some(query) = self.symbol_word(word, &raw, marks)? {
            return Ok(Some(query));
        }
        match raw.len() {
            0 => return Ok(None),
            1 => {}
            _ => return self.compound(word, &raw, prefix, marks).map(Some),
        }
        let raw = &raw[0];
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for stem in schema::tokens(&mut self.stemmed, word) {
            marks.stems.insert(stem.clone());
            should.push(term(f.title, &stem, 4.0));
            should.push(term(f.trail, &stem, 1.5));
            should.push(term(f.body, &stem, 1.0));
        }
        marks.words.insert(raw.clone());
        let mut expanded: HashMap<String, f32> = HashMap::new();
        let length = raw.chars().count();
        // Four-letter words have many real neighbours one edit away (`lock`:
        // `look`, `lack`, `block`), so they are only corrected when the notes
        // do not have them at all (`mutx`); longer ones always.
        let correct = length >= 5 || (length == 4 && !prefix && self.doc_freq(f.words, raw)? == 0);
        if correct {
            // Two edits only for long words with no neighbour one edit away:
            // the two-edit automaton costs ten times as much to walk.
            let mut candidates = self.fuzzy_terms(raw, 1)?;
            if candidates.is_empty() && length >= 8 {
                candidates = self.fuzzy_terms(raw, 2)?;
            }
            for candidate in candidates {
                // The correction's stems too: `gorutine` reaches `goroutines`
                // as `goroutine` does, not only the one spelling one edit away.
                for stem in schema::tokens(&mut self.stemmed, &candidate) {
                    if marks.stems.insert(stem.clone()) {
                        should.push(term(f.title, &stem, 4.0 * 0.6));
                        should.push(term(f.body, &stem, 0.6));
                    }
                }
                expanded.insert(candidate, 0.6);
            }
        }
        if prefix {
            let limit = if length <= 2 { 24 } else { 64 };
            for candidate in self.prefixed_terms(raw, limit)? {
                expanded.insert(candidate, 0.8);
            }
            marks.prefix = Some(raw.clone());
        }
        expanded.remove(raw);
        for (candidate, boost) in expanded {
            should.push(term(f.title_words, &candidate, 3.0 * boost));
            should.push(term(f.words, &candidate, boost));
            marks.words.insert(candidate);
        }
        Ok(Some(Box::new(BooleanQuery::new(should))))
    }

    /// A word that is several tokens (`sync.WaitGroup`, `acks=all`): every
    /// token required, the whole as a phrase or code token ranked higher.
    fn compound(
        &mut self,
        word: &str,
        raw: &[String],
        prefix: bool,
        marks: &mut Marks,
    ) -> tantivy::Result<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let last = raw.len() - 1;
        for (i, token) in raw.iter().enumerate() {
            if let Some(q) = self.word(token, prefix && i == last, marks)? {
                clauses.push((Occur::Must, q));
            }
        }
        let stems = schema::tokens(&mut self.stemmed, word);
        if stems.len() > 1 {
            for (field, boost) in [(self.fields.title, 4.0), (self.fields.body, 2.0)] {
                let terms = stems
                    .iter()
                    .map(|s| Term::from_field_text(field, s))
                    .collect();
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost)),
                ));
            }
        }
        if let Some(code) = self.code_token(word) {
            clauses.push(term(self.fields.words, &code, 3.0));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Words that are names with symbols the plain word splitter drops
    /// (`c++`, `c#`, `.net`): their whole code token when the notes have it,
    /// instead of the bare letter, which every section would match.
    fn symbol_word(
        &mut self,
        word: &str,
        raw: &[String],
        marks: &mut Marks,
    ) -> tantivy::Result<Option<Box<dyn Query>>> {
        let Some(code) = self.code_token(word) else {
            return Ok(None);
        };
        if raw.len() > 1 || code.starts_with('-') || self.doc_freq(self.fields.words, &code)? == 0 {
            return Ok(None);
        }
        marks.words.insert(code.clone());
        Ok(Some(Box::new(BooleanQuery::new(vec![
            term(self.fields.title_words, &code, 3.0),
            term(self.fields.words, &code, 1.0),
        ]))))
    }

    fn doc_freq(&self, field: Field, text: &str) -> tantivy::Result<u64> {
        self.searcher.doc_freq(&Term::from_field_text(field, text))
    }

    /// The whole code token of a word (`sync.waitgroup`, `-race`), if it is one.
    fn code_token(&mut self, word: &str) -> Option<String> {
        schema::tokens(&mut self.code, word)
            .into_iter()
            .next()
            .filter(|t| t.chars().any(|c| !c.is_alphanumeric()))
    }

    fn phrase(&mut self, phrase: &str, marks: &mut Marks) -> Option<Box<dyn Query>> {
        // `"-race"`, `"c++"`: one code token in quotes is searched as written.
        let trimmed = phrase.trim();
        if !trimmed.contains(char::is_whitespace)
            && let Some(code) = self.code_token(trimmed)
        {
            marks.words.insert(code.trim_start_matches('-').to_string());
            return Some(Box::new(BooleanQuery::new(vec![
                term(self.fields.title_words, &code, 3.0),
                term(self.fields.words, &code, 1.0),
            ])));
        }
        let stems = schema::tokens(&mut self.stemmed, phrase);
        marks.stems.extend(stems.iter().cloned());
        marks.words.extend(schema::tokens(&mut self.raw, phrase));
        let per_field = |field: Field, boost: f32| -> (Occur, Box<dyn Query>) {
            let terms: Vec<Term> = stems
                .iter()
                .map(|s| Term::from_field_text(field, s))
                .collect();
            let query: Box<dyn Query> = if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(terms))
            };
            (Occur::Should, Box::new(BoostQuery::new(query, boost)))
        };
        match stems.len() {
            0 => None,
            _ => Some(Box::new(BooleanQuery::new(vec![
                per_field(self.fields.title, 4.0),
                per_field(self.fields.trail, 1.5),
                per_field(self.fields.body, 1.0),
            ]))),
        }
    }

    /// Words of the notes within `distance` edits of `word`, the most common first.
    fn fuzzy_terms(&self, word: &str, distance: u8) -> tantivy::Result<Vec<String>> {
        self.expansions.get_or_insert(
            self.searcher,
            Expansion::Fuzzy(word.to_string(), distance),
            || {
                let automaton = FuzzyTermQuery::new(
                    Term::from_field_text(self.fields.words, word),
                    distance,
                    true,
                )
                .automaton()?;
                let mut found: HashMap<String, u32> = HashMap::new();
                for segment in self.searcher.segment_readers() {
                    // `words` holds the titles' words too: one dictionary to walk.
                    let inverted = segment.inverted_index(self.fields.words)?;
                    let mut stream = inverted.terms().search(&automaton).into_stream()?;
                    while stream.advance() {
                        if let Ok(text) = std::str::from_utf8(stream.key()) {
                            *found.entry(text.to_string()).or_default() += stream.value().doc_freq;
                        }
                    }
                }
                Ok(most_frequent(found, FUZZY_TERMS))
            },
        )
    }

    /// Words of the notes starting with `prefix`, the most common first. Short
    /// prefixes match thousands of words; the common ones are the useful ones.
    fn prefixed_terms(&self, prefix: &str, limit: usize) -> tantivy::Result<Vec<String>> {
        self.expansions.get_or_insert(
            self.searcher,
            Expansion::Prefix(prefix.to_string(), limit),
            || {
                let mut found: HashMap<String, u32> = HashMap::new();
                for segment in self.searcher.segment_readers() {
                    let inverted = segment.inverted_index(self.fields.words)?;
                    let mut stream = inverted
                        .terms()
                        .range()
                        .ge(prefix.as_bytes())
                        .into_stream()?;
                    while stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
                        if let Ok(text) = std::str::from_utf8(stream.key()) {
                            *found.entry(text.to_string()).or_default() += stream.value().doc_freq;
                        }
                    }
                }
                Ok(most_frequent(found, limit))
            },
        )
    }
}

/// A word's expansion: its typo neighbours, or its completions.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum Expansion {
    Fuzzy(String, u8),
    Prefix(String, usize),
}

/// Expansions already computed for the current index version. Typing a query
/// re-sends the words before the one being typed on every keystroke; walking
/// the term dictionary for them again was most of a keystroke's cost.
#[derive(Default)]
pub(super) struct Expansions {
    cache: Mutex<(u64, FxHashMap<Expansion, Vec<String>>)>,
}

/// Expansions remembered before the cache starts over.
const CACHED_EXPANSIONS: usize = 4096;

impl Expansions {
    fn get_or_insert(
        &self,
        searcher: &Searcher,
        key: Expansion,
        compute: impl FnOnce() -> tantivy::Result<Vec<String>>,
    ) -> tantivy::Result<Vec<String>> {
        let generation = searcher.generation().generation_id();
        {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if cache.0 != generation || cache.1.len() >= CACHED_EXPANSIONS {
                *cache = (generation, FxHashMap::default());
            }
            if let Some(found) = cache.1.get(&key) {
                return Ok(found.clone());
            }
        }
        let found = compute()?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.0 == generation {
            cache.1.insert(key, found.clone());
        }
        Ok(found)
    }
}

/// Words a question is phrased with rather than about. Kept short on
/// purpose: a word like `process` or `state` is a topic in these notes.
pub(super) const FILLER: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "between",
    "by",
    "can",
    "define",
    "describe",
    "difference",
    "do",
    "does",
    "explain",
    "for",
    "from",
    "how",
    "i",
    "in",
    "is",
    "it",
    "of",
    "on",
    "or",
    "the",
    "to",
    "vs",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "with",
];

fn is_filler(word: &str) -> bool {
    FILLER.contains(&word.to_lowercase().as_str())
}

fn most_frequent(found: HashMap<String, u32>, limit: usize) -> Vec<String> {
    let mut terms: Vec<(String, u32)> = found.into_iter().collect();
    terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.into_iter().take(limit).map(|(t, _)| t).collect()
}

fn term(field: Field, text: &str, boost: f32) -> (Occur, Box<dyn Query>) {
    let query = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(query), boost)),
    )
}

/// The three analyzers a query needs, built once per index: the code
/// tokenizer compiles a regex, too slow to repeat on every keystroke.
#[derive(Clone)]
pub(super) struct Analyzers {
    pub stemmed: TextAnalyzer,
    pub raw: TextAnalyzer,
    pub code: TextAnalyzer,
}

impl Analyzers {
    pub fn new() -> Self {
        Analyzers {
            stemmed: schema::analyzer(STEMMED),
            raw: schema::analyzer(RAW),
            code: schema::analyzer(CODE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions_are_told_apart() {
        let p = parse(r#"goroutine "wait group" -thread chan"#);
        assert_eq!(p.words, ["goroutine", "chan"]);
        assert_eq!(p.phrases, ["wait group"]);
        assert_eq!(p.excluded, ["-thread"]);
        assert!(p.last_is_prefix);
    }

    #[test]
    fn a_trailing_space_ends_the_prefix() {
        assert!(!parse("goroutine ").last_is_prefix);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end() {
        let p = parse(r#""unclosed phrase"#);
        assert_eq!(p.phrases, ["unclosed phrase"]);
        assert!(p.words.is_empty());
    }

    #[test]
    fn a_lone_dash_is_a_word_not_an_exclusion() {
        assert_eq!(parse("a - b").words, ["a", "-", "b"]);
    }
}

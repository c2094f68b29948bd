//! The index's fields and analyzers. Bump [`SCHEMA_VERSION`] whenever either
//! changes: an index of another version is rebuilt from the notes. The
//! stemmer's release is part of the index's identity too ([`STEMMER`]): a new
//! release may stem a word differently, and an index built with the old one
//! would then silently miss it.

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

pub(super) const SCHEMA_VERSION: u32 = 7;

/// The stemmer the index was built with; pinned with `=` in Cargo.toml, and a
/// test fails if Cargo.lock names another release.
pub(super) const STEMMER: &str = "frostem 1.20260821.8";

/// Words, lowercased and stemmed: `migrations` ~ `migration`.
pub(super) const STEMMED: &str = "rehearse_stemmed";
/// Query words split into plain lowercase words (not used by any field).
pub(super) const RAW: &str = "rehearse_raw";
/// Words as written, lowercased, not stemmed — and code tokens kept whole as
/// well (`sync.waitgroup`, `acks=all`, `-race`): for prefixes, typo expansion
/// and code search.
pub(super) const CODE: &str = "rehearse_code";

#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub id: Field,
    pub note: Field,
    pub module: Field,
    pub title: Field,
    pub title_words: Field,
    pub trail: Field,
    pub body: Field,
    /// The words of title and body, unstemmed, with code tokens.
    pub words: Field,
}

pub(super) fn schema() -> (Schema, Fields) {
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let freqs = IndexRecordOption::WithFreqs;
    let mut builder = Schema::builder();
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        note: builder.add_text_field("note", STRING),
        module: builder.add_text_field("module", STRING),
        title: builder.add_text_field("title", text(STEMMED, positions)),
        title_words: builder.add_text_field("title_words", text(CODE, freqs)),
        trail: builder.add_text_field("trail", text(STEMMED, positions)),
        body: builder.add_text_field("body", text(STEMMED, positions)),
        words: builder.add_text_field("words", text(CODE, freqs)),
    };
    (builder.build(), fields)
}

pub(super) fn analyzer(name: &str) -> TextAnalyzer {
    match name {
        STEMMED => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(MemoStemmer)
            .build(),
        RAW => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .build(),
        _ => TextAnalyzer::builder(CodeTokenizer::default())
            .filter(RemoveLongFilter::limit(64))
            .filter(LowerCaser)
            .build(),
    }
}

pub(super) fn register_analyzers(index: &Index) {
    for name in [STEMMED, RAW, CODE] {
        index.tokenizers().register(name, analyzer(name));
    }
}

/// The tokens `analyzer` makes of `text`.
pub(super) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Splits text into words like [`SimpleTokenizer`], and also keeps each code
/// token whole: `sync.WaitGroup` gives `sync.WaitGroup`, `sync`, `WaitGroup`;
/// `go test -race` gives `go`, `test`, `-race`, `race`. Written by hand because
/// a regex tokenizer cost more than the rest of indexing together.
#[derive(Clone, Default)]
pub(super) struct CodeTokenizer {
    tokens: Vec<Token>,
}

pub(super) struct CodeTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

/// Characters that join words into one code token when between them.
fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '_' | '=' | ':' | '/' | '-')
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        self.tokens.clear();
        let mut position = 0;
        let mut chars = text.char_indices().peekable();
        while let Some(&(start, c)) = chars.peek() {
            // A chunk starts at a letter or digit, at dashes (`-race`), or at a
            // dot that opens a word (`.NET`): chunks start after a non-word
            // character, so a dot here never ends a sentence.
            let opens_word = |i: usize| {
                text[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            };
            if !(c.is_alphanumeric() || c == '-' || (c == '.' && opens_word(start))) {
                chars.next();
                continue;
            }
            // One chunk: words joined by joiners, perhaps led by dashes.
            let mut words: Vec<(usize, usize)> = Vec::new();
            let mut word_start: Option<usize> = None;
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                if c.is_alphanumeric() {
                    word_start.get_or_insert(i);
                } else if is_joiner(c) {
                    if let Some(s) = word_start.take() {
                        words.push((s, i));
                    }
                } else {
                    break;
                }
                chars.next();
                end = i + c.len_utf8();
            }
            if let Some(s) = word_start {
                words.push((s, end));
            }
            let (Some(&(first, _)), Some(&(_, mut last))) = (words.first(), words.last()) else {
                continue;
            };
            // Names whose symbols are part of them: `C++`, `C#`, `F#`.
            if word_start.is_some() {
                let suffix: String = text[end..]
                    .chars()
                    .take_while(|&c| c == '+' || c == '#')
                    .take(3)
                    .collect();
                let after = text[end + suffix.len()..].chars().next();
                if matches!(suffix.as_str(), "+" | "++" | "#")
                    && !after.is_some_and(char::is_alphanumeric)
                {
                    last = end + suffix.len();
                    for _ in 0..suffix.len() {
                        chars.next();
                    }
                }
            }
            let whole_from = if matches!(&text[start..first], "-" | "--" | ".") {
                start
            } else {
                first
            };
            let token = |from: usize, to: usize, position: usize| Token {
                offset_from: from,
                offset_to: to,
                position,
                text: text[from..to].to_string(),
                position_length: 1,
            };
            let symbols_after = last > words[words.len() - 1].1;
            if words.len() > 1 || whole_from < first || symbols_after {
                self.tokens.push(token(whole_from, last, position));
            }
            for (from, to) in words {
                self.tokens.push(token(from, to, position));
                position += 1;
            }
        }
        CodeTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for CodeTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// English (Snowball) stemming, remembered per word: the words of a text
/// repeat, and stemming each occurrence afresh was the slowest step of
/// indexing (15 MB/s, against 100 MB/s for tokenizing and lowercasing).
#[derive(Clone)]
pub(super) struct MemoStemmer;

/// Words remembered before the memo starts over, bounding its memory.
const MEMO_WORDS: usize = 200_000;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner,
            memo: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub(super) struct MemoStemmerFilter<T> {
    inner: T,
    memo: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub(super) struct MemoStemmerStream<'a, S> {
    tail: S,
    memo: &'a mut FxHashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.memo.get(&token.text) {
            token.text.clone_from(stem);
        } else {
            let stem = self.stemmer.stem(&token.text).into_owned();
            if self.memo.len() >= MEMO_WORDS {
                self.memo.clear();
            }
            let word = std::mem::replace(&mut token.text, stem.clone());
            self.memo.insert(word, stem);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Vec<String> {
        tokens(&mut analyzer(CODE), text)
    }

    #[test]
    fn code_tokens_are_kept_whole_beside_their_words() {
        assert_eq!(
            code("use sync.WaitGroup."),
            ["use", "sync.waitgroup", "sync", "waitgroup"]
        );
        assert_eq!(code("go test -race ./..."), ["go", "test", "-race", "race"]);
        assert_eq!(
            code("acks=all, wg.Add(1)"),
            ["acks=all", "acks", "all", "wg.add", "wg", "add", "1"]
        );
        assert_eq!(code("- item -- x"), ["item", "x"]);
        assert_eq!(code("naïve café"), ["naïve", "café"]);
    }

    #[test]
    fn names_with_symbols_keep_them() {
        assert_eq!(
            code("C++, C# and .NET; i+1, a#b. End."),
            [
                "c++", "c", "c#", "c", "and", ".net", "net", "i", "1", "a", "b", "end"
            ]
        );
    }

    #[test]
    fn the_stemmer_named_in_the_index_identity_is_the_one_cargo_builds() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
            .expect("Cargo.lock is beside Cargo.toml");
        let locked = lock
            .split("[[package]]")
            .find(|package| package.contains("name = \"frostem\""))
            .and_then(|package| package.lines().find_map(|l| l.strip_prefix("version = ")))
            .map(|version| version.trim_matches('"'))
            .expect("frostem is in Cargo.lock");
        assert_eq!(STEMMER, format!("frostem {locked}"));
    }

    #[test]
    fn stems_are_the_same_the_second_time_a_word_is_seen() {
        let mut stemmed = analyzer(STEMMED);
        assert_eq!(
            tokens(&mut stemmed, "Migrations migrating migrations"),
            ["migrat", "migrat", "migrat"]
        );
        assert_eq!(
            tokens(&mut stemmed, "migrations goroutines"),
            ["migrat", "goroutin"]
        );
    }
}

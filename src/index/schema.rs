//! The index's fields and analyzers. Bump [`SCHEMA_VERSION`] whenever either
//! changes: an index of another version is rebuilt from the notes.

use tantivy::Index;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RegexTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

pub(super) const SCHEMA_VERSION: u32 = 1;

/// Words, lowercased and stemmed: `migrations` ~ `migration`.
pub(super) const STEMMED: &str = "rehearse_stemmed";
/// Words, lowercased, not stemmed: for prefixes and typo expansion.
pub(super) const RAW: &str = "rehearse_raw";
/// Code tokens kept whole: `sync.waitgroup`, `acks=all`, `-race`.
pub(super) const CODE: &str = "rehearse_code";

#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub id: Field,
    pub note: Field,
    pub module: Field,
    pub title: Field,
    pub title_raw: Field,
    pub trail: Field,
    pub body: Field,
    pub body_raw: Field,
    pub code: Field,
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
        note: builder.add_text_field("note", STRING | STORED),
        module: builder.add_text_field("module", STRING),
        title: builder.add_text_field("title", text(STEMMED, positions).set_stored()),
        title_raw: builder.add_text_field("title_raw", text(RAW, freqs)),
        trail: builder.add_text_field("trail", text(STEMMED, positions).set_stored()),
        body: builder.add_text_field("body", text(STEMMED, positions).set_stored()),
        body_raw: builder.add_text_field("body_raw", text(RAW, freqs)),
        code: builder.add_text_field("code", text(CODE, freqs)),
    };
    (builder.build(), fields)
}

pub(super) fn analyzer(name: &str) -> TextAnalyzer {
    match name {
        STEMMED => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build(),
        RAW => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .build(),
        _ => TextAnalyzer::builder(
            RegexTokenizer::new(r"-{0,2}\w+(?:[.=:/_\-]+\w+)*")
                .expect("the code token pattern is valid"),
        )
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

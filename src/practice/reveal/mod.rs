//! Reveal: a written answer beside its reference — which ideas of the
//! reference it covers (by meaning and key terms), which key terms it has, a
//! word-level diff and a score with the one line that explains it.

mod diff;
mod ideas;
mod judge;

pub use diff::word_diff;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::Result;
use crate::index::NoteIndex;
use crate::index::terms::WeightedTerm;
use crate::meaning::Embedder;
use crate::notes::parse::{self, Block};

/// An answer compared with its reference.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Reveal {
    pub judged_by: JudgedBy,
    /// The reference says nothing to compare with (no text, or only
    /// images): no ideas, no key terms, no score; the answer stands alone.
    pub reference_empty: bool,
    /// The reference's ideas in reading order.
    pub ideas: Vec<Idea>,
    /// The reference's key terms, heaviest first.
    pub key_terms: Vec<KeyTerm>,
    /// Where the key terms are in the reference's markdown (UTF-8 bytes).
    pub reference_marks: Vec<Mark>,
    /// Where the key terms it has are in the answer as given (UTF-8 bytes).
    pub answer_marks: Vec<Mark>,
    /// From the answer's plain text to the reference's, word by word.
    pub diff: Vec<DiffOp>,
    /// 0 to 100; `None` when the reference is empty.
    pub score: Option<u8>,
    /// One line saying how the score was reached, or why there is none.
    pub explanation: String,
}

/// What the ideas were judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum JudgedBy {
    /// The sentence-embedding model, together with key terms.
    Meaning,
    /// Key terms alone: the model is not loaded.
    KeyTermsOnly,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Idea {
    /// As plain text.
    pub text: String,
    pub kind: IdeaKind,
    pub status: Coverage,
    /// The cosine of the idea and `closest`; `None` when judged by key
    /// terms alone or the answer is empty.
    pub similarity: Option<f32>,
    /// The share (0 to 1, by weight) of the idea's key terms in the answer.
    pub terms: f32,
    /// The part of the answer (a sentence, a clause of one, or two sentences
    /// together) that comes closest to the idea in meaning.
    pub closest: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum IdeaKind {
    Sentence,
    Item,
    Code,
    Row,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Coverage {
    Covered,
    Partly,
    Missed,
}

/// A term that says much about the reference, weighed against the library.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyTerm {
    /// As the index has it: a word's stem (`goroutin`) or a code token
    /// lowercased (`sync.mutex`).
    pub term: String,
    /// How the reference writes it (`Goroutines`, `goroutine`).
    pub forms: Vec<String>,
    /// How the answer writes it; empty when the answer does not have it.
    pub answer_forms: Vec<String>,
    /// tf·idf in the reference, against the library's sections.
    pub weight: f32,
    pub covered: bool,
}

/// A key term's place in a text, in UTF-8 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub term: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffOp {
    pub tag: DiffTag,
    pub text: String,
}

/// Read from the answer to the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum DiffTag {
    Equal,
    /// Only in the reference.
    Insert,
    /// Only in the answer.
    Delete,
}

/// How much of the score the ideas make; the key terms make the rest. Ideas
/// weigh more: an answer in other words covers ideas without the terms.
const IDEAS_SHARE: f32 = 0.7;

/// How much a term of the reference's code blocks weighs against one of its
/// prose: on the sde2 notes' closure card, at 1 its example's `x_name`,
/// `y_name` and `return_type` outweighed `closure`; at 0.3 they follow it.
const CODE_WEIGHT: f32 = 0.3;

/// Key terms per idea of the reference, within [`FEWEST_KEY_TERMS`] and
/// [`MOST_KEY_TERMS`]: a long reference has more to name, but a list of
/// thirty terms is no longer a list of the key ones.
const KEY_TERMS_PER_IDEA: usize = 2;
const FEWEST_KEY_TERMS: usize = 5;
const MOST_KEY_TERMS: usize = 20;

/// Compares `answer` with the `reference` markdown. Key terms are weighed
/// against `index`; ideas are judged by meaning with `embedder`, or by key
/// terms alone without it.
pub(crate) fn reveal(
    reference: &str,
    answer: &str,
    index: &NoteIndex,
    embedder: Option<&Embedder>,
) -> Result<Reveal> {
    let judged_by = match embedder {
        Some(_) => JudgedBy::Meaning,
        None => JudgedBy::KeyTermsOnly,
    };
    let reference_blocks = parse::blocks(reference);
    let answer_blocks = parse::blocks(answer);
    let ideas = ideas::ideas(&reference_blocks);
    if ideas.is_empty() {
        return Ok(Reveal {
            judged_by,
            reference_empty: true,
            ideas: Vec::new(),
            key_terms: Vec::new(),
            reference_marks: Vec::new(),
            answer_marks: Vec::new(),
            diff: Vec::new(),
            score: None,
            explanation: "The reference answer is empty: there is nothing to compare with, so your answer stands on its own.".into(),
        });
    }
    let answer_pieces = ideas::pieces(&answer_blocks);
    let reference_text = plain_text(&reference_blocks);
    let answer_text = plain_text(&answer_blocks);
    let answer_terms = index.terms_in(&answer_text);

    let limit = (ideas.len() * KEY_TERMS_PER_IDEA).clamp(FEWEST_KEY_TERMS, MOST_KEY_TERMS);
    let weighted = key_terms(&ideas, index, limit);
    let (key_terms, answer_marks) = found_terms(&weighted, answer, &answer_terms, index);
    let key_set: HashSet<&str> = weighted.iter().map(|t| t.term.as_str()).collect();
    let reference_marks = marks(
        index
            .term_spans(reference)
            .into_iter()
            .filter(|s| key_set.contains(s.term.as_str()))
            .map(|s| Mark {
                start: s.range.start,
                end: s.range.end,
                term: s.term,
            })
            .collect(),
    );

    let judgements = judge::judge(&ideas, &answer_pieces, &answer_terms, index, embedder)?;
    let ideas: Vec<Idea> = ideas
        .into_iter()
        .zip(judgements)
        .map(|(idea, judged)| Idea {
            text: idea.text,
            kind: idea.kind,
            status: judged.status,
            similarity: judged.similarity,
            terms: judged.terms,
            closest: judged.closest,
        })
        .collect();
    let (score, explanation) = score(&ideas, &key_terms, judged_by);
    Ok(Reveal {
        judged_by,
        reference_empty: false,
        ideas,
        key_terms,
        reference_marks,
        answer_marks,
        diff: diff::word_diff(&answer_text, &reference_text),
        score: Some(score),
        explanation,
    })
}

/// The key terms as the answer has them, and where it has them.
fn found_terms(
    weighted: &[WeightedTerm],
    answer: &str,
    answer_terms: &HashSet<String>,
    index: &NoteIndex,
) -> (Vec<KeyTerm>, Vec<Mark>) {
    // The answer's terms to mark, with the key term each counts for: the key
    // terms it has, and the words of a code token it wrote apart (`acks` …
    // `all` for `acks=all`).
    let covered: Vec<&WeightedTerm> = weighted.iter().filter(|t| t.is_in(answer_terms)).collect();
    let mut counts_for: HashMap<&str, &str> = covered
        .iter()
        .map(|t| (t.term.as_str(), t.term.as_str()))
        .collect();
    for term in covered.iter().filter(|t| !answer_terms.contains(&t.term)) {
        for part in &term.parts {
            counts_for.entry(part).or_insert(&term.term);
        }
    }
    let spans: Vec<Mark> = index
        .term_spans(answer)
        .into_iter()
        .filter_map(|span| {
            let key = counts_for.get(span.term.as_str())?;
            Some(Mark {
                start: span.range.start,
                end: span.range.end,
                term: key.to_string(),
            })
        })
        .collect();
    let key_terms = weighted
        .iter()
        .map(|term| {
            let mut answer_forms: Vec<String> = Vec::new();
            for span in spans.iter().filter(|s| s.term == term.term) {
                let form = &answer[span.start..span.end];
                if !answer_forms.iter().any(|f| f == form) {
                    answer_forms.push(form.to_string());
                }
            }
            KeyTerm {
                term: term.term.clone(),
                forms: term.forms.clone(),
                answer_forms,
                weight: term.weight,
                covered: term.is_in(answer_terms),
            }
        })
        .collect();
    (key_terms, marks(spans))
}

/// The reference's key terms, at most `limit`. Terms of its code blocks
/// count for less than its prose: a code example names its own variables
/// (`x_name`), which are no part of the answer a person gives aloud.
fn key_terms(ideas: &[ideas::Piece], index: &NoteIndex, limit: usize) -> Vec<WeightedTerm> {
    let text_of = |code: bool| {
        ideas
            .iter()
            .filter(|i| (i.kind == IdeaKind::Code) == code)
            .map(|i| i.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut terms = index.key_terms(&text_of(false), usize::MAX);
    for mut term in index.key_terms(&text_of(true), usize::MAX) {
        match terms.iter_mut().find(|t| t.term == term.term) {
            Some(prose) => {
                for form in term.forms {
                    if !prose.forms.contains(&form) {
                        prose.forms.push(form);
                    }
                }
            }
            None => {
                term.weight *= CODE_WEIGHT;
                terms.push(term);
            }
        }
    }
    terms.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    terms.truncate(limit);
    terms
}

/// A text's blocks as plain text, one block a line.
fn plain_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Marks in reading order, none inside another: a code token (`sync.Mutex`)
/// is marked whole rather than word by word.
fn marks(mut marks: Vec<Mark>) -> Vec<Mark> {
    marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out: Vec<Mark> = Vec::with_capacity(marks.len());
    for mark in marks {
        if out.last().is_none_or(|last| mark.start >= last.end) {
            out.push(mark);
        }
    }
    out
}

/// The score and the line that says how it was reached.
fn score(ideas: &[Idea], key_terms: &[KeyTerm], judged_by: JudgedBy) -> (u8, String) {
    let count = |status| ideas.iter().filter(|i| i.status == status).count();
    let (covered, partly) = (count(Coverage::Covered), count(Coverage::Partly));
    let idea_share = (covered as f32 + 0.5 * partly as f32) / ideas.len() as f32;
    let terms_found = key_terms.iter().filter(|t| t.covered).count();
    let (share, formula) = if key_terms.is_empty() {
        (
            idea_share,
            "ideas alone (the reference has no key terms)".to_string(),
        )
    } else {
        let term_share = terms_found as f32 / key_terms.len() as f32;
        (
            IDEAS_SHARE * idea_share + (1.0 - IDEAS_SHARE) * term_share,
            format!("{IDEAS_SHARE}×ideas + {:.1}×terms", 1.0 - IDEAS_SHARE),
        )
    };
    let score = (share * 100.0).round().clamp(0.0, 100.0) as u8;
    let by = match judged_by {
        JudgedBy::Meaning => "ideas judged by meaning and key terms",
        JudgedBy::KeyTermsOnly => "ideas judged by key terms alone, the model is not loaded",
    };
    let explanation = format!(
        "{covered} of {} ideas covered ({partly} more partly, counted half), {terms_found} of {} key terms: {formula} = {score} ({by}).",
        ideas.len(),
        key_terms.len(),
    );
    (score, explanation)
}

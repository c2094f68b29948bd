//! Whether the answer says each idea of the reference: by meaning (the
//! sentence-embedding model) together with the idea's key terms, or by key
//! terms alone when the model is not loaded.

use std::collections::HashSet;

use crate::Result;
use crate::index::NoteIndex;
use crate::meaning::Embedder;

use super::ideas::Piece;
use super::{Coverage, IdeaKind};

/// How one idea was judged.
pub(super) struct Judgement {
    pub status: Coverage,
    /// The cosine of the idea and [`Judgement::closest`]; `None` without
    /// the model or without an answer.
    pub similarity: Option<f32>,
    /// The share of the idea's key terms the answer has, by weight.
    pub terms: f32,
    /// The part of the answer (a piece, a clause or two neighbouring pieces)
    /// closest to the idea among those that speak for it, else among all.
    pub closest: Option<String>,
}

pub(super) fn judge(
    ideas: &[Piece],
    answer: &[Piece],
    answer_terms: &HashSet<String>,
    index: &NoteIndex,
    embedder: Option<&Embedder>,
) -> Result<Vec<Judgement>> {
    let shares: Vec<f32> = ideas
        .iter()
        .map(|idea| term_share(&idea.text, answer_terms, index))
        .collect();
    let Some(embedder) = embedder else {
        return Ok(shares
            .into_iter()
            .map(|terms| Judgement {
                status: by_terms(terms),
                similarity: None,
                terms,
                closest: None,
            })
            .collect());
    };
    if answer.is_empty() {
        return Ok(shares
            .into_iter()
            .map(|terms| Judgement {
                status: Coverage::Missed,
                similarity: None,
                terms,
                closest: None,
            })
            .collect());
    }
    let candidates = candidates(answer);
    // Each idea is embedded as written and, when it defines its subject
    // (`A closure is …`), also without it: an answer to "what is a closure"
    // rarely names the closure again.
    let mut texts: Vec<&str> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, idea) in ideas.iter().enumerate() {
        texts.push(&idea.text);
        owner.push(i);
        if let Some(predicate) = predicate(&idea.text) {
            texts.push(predicate);
            owner.push(i);
        }
    }
    let idea_texts = texts.len();
    texts.extend(candidates.iter().map(String::as_str));
    let vectors = embedder.embed_recalled(&texts)?;
    let (idea_vectors, candidate_vectors) = vectors.split_at(idea_texts);
    // similarity[i][c]: idea i and candidate c, the closer of its two forms.
    let mut similarity = vec![vec![f32::MIN; candidates.len()]; ideas.len()];
    for (vector, &i) in idea_vectors.iter().zip(&owner) {
        for (c, candidate) in candidate_vectors.iter().enumerate() {
            similarity[i][c] = similarity[i][c].max(vector.similarity(candidate));
        }
    }
    // A candidate speaks for the idea it is closest to. Within one answer
    // every idea is about the same topic, so a sentence is fairly close to
    // all of them; only the idea it is closest to has been said.
    let closest_idea: Vec<usize> = (0..candidates.len())
        .map(|c| {
            (0..ideas.len())
                .max_by(|&a, &b| similarity[a][c].total_cmp(&similarity[b][c]))
                .expect("there are ideas")
        })
        .collect();
    Ok(similarity
        .iter()
        .zip(shares)
        .enumerate()
        .map(|(i, (row, terms))| {
            let closest =
                |of: &mut dyn Iterator<Item = usize>| of.max_by(|&a, &b| row[a].total_cmp(&row[b]));
            let own = closest(&mut (0..candidates.len()).filter(|&c| closest_idea[c] == i));
            let any = closest(&mut (0..candidates.len())).expect("there are candidates");
            let shown = own.unwrap_or(any);
            Judgement {
                status: by_meaning(ideas[i].kind, own.map_or(0.0, |c| row[c]), row[any], terms),
                similarity: Some(row[shown]),
                terms,
                closest: Some(candidates[shown].clone()),
            }
        })
        .collect())
}

/// What an answer's ideas are looked for in: its pieces, their clauses
/// (one sentence often says two things), and each two neighbouring pieces of
/// prose together (one thing is often said over two sentences). On the
/// answers of tests/reveal.rs, leaving out the clauses lost a third of the
/// ideas of good answers (GMP model 88 → 60, data races 93 → 58); leaving out
/// the pairs lost one idea of the GMP paraphrase (82 → 68).
fn candidates(answer: &[Piece]) -> Vec<String> {
    let prose = |p: &Piece| p.kind != IdeaKind::Code;
    let mut out: Vec<String> = answer.iter().map(|p| p.text.clone()).collect();
    for piece in answer.iter().filter(|p| prose(p)) {
        let clauses = clauses(&piece.text);
        if clauses.len() > 1 {
            out.extend(clauses.into_iter().map(str::to_string));
        }
    }
    out.extend(
        answer
            .windows(2)
            .filter(|pair| prose(&pair[0]) && prose(&pair[1]))
            .map(|pair| format!("{} {}", pair[0].text, pair[1].text)),
    );
    out
}

/// Words a clause needs to say something by itself.
const CLAUSE_WORDS: usize = 3;

/// A sentence cut at `,` `;` and ` and `; a piece too short to say anything
/// stays with the one before it.
fn clauses(sentence: &str) -> Vec<&str> {
    let mut cuts: Vec<usize> = sentence
        .match_indices([',', ';'])
        .map(|(i, _)| i + 1)
        .chain(sentence.match_indices(" and ").map(|(i, _)| i))
        .collect();
    cuts.sort_unstable();
    cuts.push(sentence.len());
    let words = |from: usize, to: usize| sentence[from..to].split_whitespace().count();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for cut in cuts {
        if words(start, cut) >= CLAUSE_WORDS {
            ranges.push((start, cut));
            start = cut;
        }
    }
    match ranges.last_mut() {
        Some(last) => last.1 = sentence.len(),
        None => ranges.push((0, sentence.len())),
    }
    ranges
        .into_iter()
        .map(|(from, to)| {
            let clause = sentence[from..to].trim();
            clause
                .strip_prefix("and ")
                .unwrap_or(clause)
                .trim_end_matches([',', ';'])
        })
        .collect()
}

/// What a definition says of its subject: `a special type of anonymous
/// function …` of `A closure is a special type of anonymous function …`.
/// Only for a short subject and a predicate long enough to mean something.
fn predicate(idea: &str) -> Option<&str> {
    let words: Vec<(usize, &str)> = idea
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - idea.as_ptr() as usize, w))
        .collect();
    let verb = words
        .iter()
        .take(SUBJECT_WORDS + 2)
        .position(|(_, w)| matches!(w.to_lowercase().as_str(), "is" | "are" | "means"))?;
    let subject = words[..verb]
        .iter()
        .filter(|(_, w)| !matches!(w.to_lowercase().as_str(), "a" | "an" | "the"))
        .count();
    if subject == 0 || subject > SUBJECT_WORDS || words.len() - verb - 1 < PREDICATE_WORDS {
        return None;
    }
    let (start, _) = words[verb + 1];
    Some(&idea[start..])
}

/// A defined subject has at most this many words besides articles …
const SUBJECT_WORDS: usize = 3;
/// … and what is said of it at least this many.
const PREDICATE_WORDS: usize = 4;

/// The share of an idea's key terms (by weight) that the answer has; an
/// idea of common words only counts its words, all alike.
fn term_share(idea: &str, answer_terms: &HashSet<String>, index: &NoteIndex) -> f32 {
    let weighted = index.key_terms(idea, usize::MAX);
    if weighted.is_empty() {
        let terms = index.terms_in(idea);
        if terms.is_empty() {
            return 0.0;
        }
        return terms.intersection(answer_terms).count() as f32 / terms.len() as f32;
    }
    let total: f32 = weighted.iter().map(|t| t.idf).sum();
    let found: f32 = weighted
        .iter()
        .filter(|t| t.is_in(answer_terms))
        .map(|t| t.idf)
        .sum();
    // An empty sum is -0.0, which would reach the UI as "-0".
    if found > 0.0 { found / total } else { 0.0 }
}

// The thresholds, measured with all-MiniLM-L6-v2 on cards of the bundled
// notes and the answers of tests/reveal.rs. Cosines of an idea and
// - a paraphrase of it with few shared words: 0.41–0.94 ("an inner function
//   that remembers the variables of the function around it" and the closure
//   definition 0.43, and 0.59 against the definition without its subject;
//   "only acknowledge a message's position once you've handled it" and
//   "Consumer: Commit offsets after successfully processing the message" 0.41);
// - a sentence on another idea of the same card: 0.31–0.67 ("Go's scheduler
//   runs many goroutines on a few OS threads" and "P (Processor): Resource
//   required to execute Go code (holds the run queue)" 0.65) — but that
//   sentence is closer still to its own idea (0.87), which is what tells them
//   apart;
// - an unrelated sentence: −0.08 to 0.25.
// Key-term shares of ideas: 0.4–1.0 in good answers in one's own words,
// 0.1–0.5 in paraphrases, 0 off the topic.

/// An idea is covered by the candidates closest to it at this cosine …
const OWN_COVERS: f32 = 0.4;
/// … partly at this one, or covered when the answer also has this share of
/// its key terms …
const OWN_PARTLY: f32 = 0.3;
const TERMS_SUPPORT: f32 = 0.5;
/// … and by any candidate at all, even one closer to another idea, at these:
/// only rewordings of the idea itself reach 0.8 ("M is an operating system
/// thread" and "M (Machine): OS thread." 0.89); ideas that half answers left
/// out came to 0.74 at most (GMP's "why it matters", which that answer did
/// half say), the rest to 0.68 or less …
const ANY_COVERS: f32 = 0.8;
const ANY_PARTLY: f32 = 0.7;
/// … or at this one when the answer has nearly all its key terms: a sentence
/// that says two ideas is closest to one of them ("they share the host
/// kernel with an isolated userspace, so they are lightweight and boot fast"
/// said both of Docker's, 0.65 and every key term of the second).
const ANY_WITH_TERMS: f32 = 0.5;
const NEARLY_ALL_TERMS: f32 = 0.8;
/// Without the model: the share of key terms that covers an idea, and the
/// share that covers it partly.
const COVERED_BY_TERMS: f32 = 0.6;
const PARTLY_BY_TERMS: f32 = 0.3;

fn by_meaning(kind: IdeaKind, own: f32, any: f32, terms: f32) -> Coverage {
    // Code is judged by its names as well: prose that describes what an
    // example does is close to it in meaning without having written it.
    let supported = terms >= TERMS_SUPPORT;
    let covers = if kind == IdeaKind::Code {
        (own >= OWN_COVERS || any >= ANY_COVERS) && supported
    } else {
        own >= OWN_COVERS
            || any >= ANY_COVERS
            || (own >= OWN_PARTLY && supported)
            || (any >= ANY_WITH_TERMS && terms >= NEARLY_ALL_TERMS)
    };
    if covers {
        Coverage::Covered
    } else if own >= OWN_PARTLY || any >= ANY_PARTLY {
        Coverage::Partly
    } else {
        Coverage::Missed
    }
}

fn by_terms(terms: f32) -> Coverage {
    if terms >= COVERED_BY_TERMS {
        Coverage::Covered
    } else if terms >= PARTLY_BY_TERMS {
        Coverage::Partly
    } else {
        Coverage::Missed
    }
}

//! Practice sessions: which cards a session asks and in which order — the
//! cards due, the bookmarked ones, those never answered, the weakest by their
//! last score, or n at random (a mock interview) — within the notes and
//! modules the user chose.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::notes::Card;
use crate::store::Timestamp;

/// What to practise.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest {
    pub pick: SessionPick,
    /// The notes or modules to practise; empty for every note.
    #[serde(default)]
    pub scope: Vec<Scope>,
    /// At most this many cards; `None` for every card picked.
    #[serde(default)]
    pub limit: Option<u32>,
    /// Seeds the random pick: the same request asks the same cards.
    #[serde(default)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum SessionPick {
    /// Cards whose review is due, soonest first.
    Due,
    /// Bookmarked cards, in the notes' order.
    Bookmarked,
    /// Cards with no draft yet, in the notes' order.
    NeverAnswered,
    /// Cards revealed before, lowest last score first.
    Weakest,
    /// Cards with a reference answer, shuffled: a mock interview.
    Random,
}

/// A note, or one module of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    pub note: String,
    /// The module heading (a card's outermost heading); `None` for the
    /// whole note.
    #[serde(default)]
    pub module: Option<String>,
}

impl Scope {
    fn holds(&self, card: &Card) -> bool {
        card.note == self.note
            && self
                .module
                .as_ref()
                .is_none_or(|m| card.trail.first().is_some_and(|first| first == m))
    }
}

/// What the user's data says about the cards, as a session picks from it.
#[derive(Debug, Default)]
pub struct Standing<'a> {
    /// Cards due now, soonest first.
    pub due: Vec<&'a str>,
    pub bookmarked: HashSet<&'a str>,
    /// Cards with a non-empty draft.
    pub answered: HashSet<&'a str>,
    /// Each revealed card's latest score and when it was given.
    pub last_scores: HashMap<&'a str, (u8, Timestamp)>,
}

/// The cards of `cards` (in the notes' order) that `request` asks for.
pub fn select<'c>(
    cards: &[&'c Card],
    request: &SessionRequest,
    standing: &Standing<'_>,
) -> Vec<&'c Card> {
    let in_scope: Vec<&Card> = cards
        .iter()
        .copied()
        .filter(|c| request.scope.is_empty() || request.scope.iter().any(|s| s.holds(c)))
        .collect();
    let mut picked: Vec<&Card> = match request.pick {
        SessionPick::Due => {
            let by_id: HashMap<&str, &Card> =
                in_scope.iter().map(|c| (c.id.as_str(), *c)).collect();
            standing
                .due
                .iter()
                .filter_map(|id| by_id.get(id).copied())
                .collect()
        }
        SessionPick::Bookmarked => in_scope
            .into_iter()
            .filter(|c| standing.bookmarked.contains(c.id.as_str()))
            .collect(),
        SessionPick::NeverAnswered => in_scope
            .into_iter()
            .filter(|c| !standing.answered.contains(c.id.as_str()))
            .collect(),
        SessionPick::Weakest => {
            let mut scored: Vec<(&Card, (u8, Timestamp))> = in_scope
                .into_iter()
                .filter_map(|c| Some((c, *standing.last_scores.get(c.id.as_str())?)))
                .collect();
            // The lowest score first; of equal scores, the one practised longest ago.
            scored.sort_by_key(|(_, last)| *last);
            scored.into_iter().map(|(c, _)| c).collect()
        }
        SessionPick::Random => {
            // A card without a reference cannot be revealed or scored, which
            // is what a mock interview ends with.
            let mut with_reference: Vec<&Card> =
                in_scope.into_iter().filter(|c| !c.empty).collect();
            shuffle(&mut with_reference, request.seed);
            with_reference
        }
    };
    if let Some(limit) = request.limit {
        picked.truncate(limit as usize);
    }
    picked
}

/// Fisher–Yates with SplitMix64: a session needs a fair shuffle that a test
/// can repeat, not a cryptographic one.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shuffle_is_a_permutation_that_the_seed_repeats() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        shuffle(&mut a, 7);
        shuffle(&mut b, 7);
        assert_eq!(a, b, "same seed, same order");
        assert_ne!(a, (0..50).collect::<Vec<_>>(), "the order changed");
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            (0..50).collect::<Vec<_>>(),
            "nothing lost or doubled"
        );
        let mut c: Vec<u32> = (0..50).collect();
        shuffle(&mut c, 8);
        assert_ne!(a, c, "another seed, another order");
    }
}

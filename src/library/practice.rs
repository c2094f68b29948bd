//! Practising: an answer revealed and scored as an attempt, the sessions of
//! cards to practise, the same question in other notes, and progress.

use std::collections::{HashMap, HashSet};

use super::Library;
use crate::notes::{Card, CardRef};
use crate::practice::{self, History, Progress, Reveal, SessionRequest, Standing};
use crate::store::{MILLIS_PER_DAY, SaveKind};
use crate::{Error, Result};

/// Words that frame a question rather than say what it is about, as the
/// index stems them: "What is the difference between goroutines and
/// threads?" asks the same as "Goroutine vs Thread".
const FRAMING_WORDS: &[&str] = &[
    "a",
    "about",
    "advantag",
    "an",
    "and",
    "are",
    "between",
    "can",
    "compar",
    "defin",
    "describ",
    "differ",
    "differenc",
    "do",
    "doe",
    "explain",
    "for",
    "how",
    "in",
    "is",
    "me",
    "of",
    "on",
    "or",
    "over",
    "tell",
    "the",
    "to",
    "versus",
    "vs",
    "what",
    "when",
    "whi",
    "why",
    "with",
    "you",
    "your",
];

impl Library {
    /// Reveals `answer` beside the reference of the card `id` as an attempt:
    /// the answer is kept as a version of its own, and the score is kept
    /// with it (for the weakest cards and the progress charts). An empty
    /// answer is revealed but neither kept nor scored.
    pub fn reveal_attempt(&self, id: &str, answer: &str) -> Result<Reveal> {
        if answer.trim().is_empty() {
            return self.reveal(id, Some(answer));
        }
        let saved = self.save_draft(id, answer, SaveKind::Explicit)?;
        let reveal = self.reveal(id, Some(answer))?;
        if let Some(score) = reveal.score {
            self.store()?.score_draft(id, saved.version, score)?;
        }
        Ok(reveal)
    }

    /// The cards a practice session asks, in the order it asks them.
    pub fn session(&self, request: &SessionRequest) -> Result<Vec<CardRef>> {
        let due = self.due()?;
        let bookmarks = self.store()?.bookmarks()?;
        let drafts = self.store()?.latest_drafts()?;
        let scored = self.store()?.scored_versions()?;
        let mut standing = Standing {
            due: due.iter().map(|d| d.card_id.as_str()).collect(),
            bookmarked: bookmarks.iter().map(|b| b.id.as_str()).collect(),
            answered: answered(&drafts),
            last_scores: HashMap::new(),
        };
        for s in &scored {
            // Oldest first, so the last one in wins.
            standing
                .last_scores
                .insert(s.card_id.as_str(), (s.score, s.scored_at));
        }
        let cards: Vec<&Card> = self.cards().collect();
        Ok(practice::select(&cards, request, &standing)
            .into_iter()
            .map(Card::to_ref)
            .collect())
    }

    /// The other cards that ask the same question as the card `id`, in any
    /// note: the same words once framing (what, difference, vs…), numbering
    /// and case are set aside, a typo of one letter forgiven.
    pub fn same_question(&self, id: &str) -> Result<Vec<CardRef>> {
        self.question(id)?;
        let card = self
            .card(id)
            .ok_or_else(|| Error::UnknownId(id.to_string()))?;
        let words = self.topic_words(&card.title);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .cards()
            .filter(|other| {
                other.id != card.id && same_words(&words, &self.topic_words(&other.title))
            })
            .map(Card::to_ref)
            .collect())
    }

    /// Coverage per module, reviews per day, the due forecast and each
    /// card's scores; days are calendar days `offset_minutes` east of UTC.
    pub fn progress(&self, offset_minutes: i32) -> Result<Progress> {
        let now = self.store()?.now();
        let since = now.plus_millis(-((practice::HISTORY_DAYS as i64 + 1) * MILLIS_PER_DAY));
        let until = now.plus_millis(practice::FORECAST_DAYS as i64 * MILLIS_PER_DAY);
        let drafts = self.store()?.latest_drafts()?;
        let reviews = self.store()?.review_times(since)?;
        let due: Vec<_> = self.store()?.due(until)?.iter().map(|s| s.due_at).collect();
        let scored = self.store()?.scored_versions()?;
        let answered = answered(&drafts);
        let history = History {
            answered: &answered,
            reviews: &reviews,
            due: &due,
            scored: &scored,
        };
        Ok(practice::progress(
            self.notes(),
            &history,
            now,
            offset_minutes,
        ))
    }

    /// The stems of a title's words that say what it asks about.
    fn topic_words(&self, title: &str) -> Vec<String> {
        let mut words: Vec<String> = self
            .index
            .terms_in(title)
            .into_iter()
            .filter(|w| {
                !FRAMING_WORDS.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit())
            })
            .collect();
        words.sort();
        words
    }
}

/// Cards with a draft that says something, of the notes as they are.
fn answered(drafts: &[crate::store::Draft]) -> HashSet<&str> {
    drafts
        .iter()
        .filter(|d| !d.orphaned && !d.text.trim().is_empty())
        .map(|d| d.card_id.as_str())
        .collect()
}

/// Whether two sets of topic words are the same, each word of one matching a
/// word of the other exactly or, from five letters on, but for one letter.
fn same_words(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| b.iter().any(|y| close(x, y)))
        && b.iter().all(|y| a.iter().any(|x| close(x, y)))
}

fn close(a: &str, b: &str) -> bool {
    a == b || (a.chars().count().min(b.chars().count()) >= 5 && within_one_edit(a, b))
}

fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == long.len() {
        return true;
    }
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_letter_added_dropped_or_changed_is_one_edit() {
        assert!(within_one_edit("goroutin", "goroutinu"));
        assert!(within_one_edit("thread", "threat"));
        assert!(within_one_edit("thread", "thread"));
        assert!(!within_one_edit("thread", "bread"));
        assert!(!within_one_edit("goroutin", "goroutinues"));
    }

    #[test]
    fn short_words_must_match_exactly() {
        assert!(!close("map", "mat"));
        assert!(close("mutex", "mutes"));
    }
}

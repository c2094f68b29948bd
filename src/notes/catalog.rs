//! The sections of the loaded notes, built once per load: every card, and
//! every module or note with text of its own. Search hits, snippets, the
//! index's documents and the reader all read a section from here.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use super::Note;

/// One searchable piece of a note.
#[derive(Debug, Clone)]
pub struct Section {
    /// A card id, a module heading id, or a note id.
    pub id: String,
    pub note: String,
    pub title: String,
    /// The headings above it, outermost first (the note's title not included).
    pub trail: Vec<String>,
    /// The module it belongs to: the first heading of its trail, or its own
    /// title when it is a top-level heading; empty above the first heading.
    pub module: String,
    /// 1 for top-level headings; 0 for a note's own opening text.
    pub depth: u8,
    /// Plain text: a card's answer, a module's or note's opening text.
    pub text: String,
    pub is_card: bool,
}

#[derive(Debug, Default)]
pub struct Catalog {
    sections: Vec<Section>,
    by_id: FxHashMap<String, usize>,
    by_note: FxHashMap<String, Range<usize>>,
    modules: Vec<String>,
}

impl Catalog {
    pub fn build(notes: &[Note]) -> Catalog {
        let mut catalog = Catalog::default();
        for note in notes {
            let start = catalog.sections.len();
            // By id once per note: a lookup per card made notes of many
            // thousand cards slow to open.
            let depths: HashMap<&str, u8> = note
                .outline
                .iter()
                .map(|e| (e.id.as_str(), e.depth))
                .collect();
            let depth_of = |id: &str| depths.get(id).copied().unwrap_or(0);
            let headings = note
                .outline
                .iter()
                .filter(|e| !e.is_card && !e.intro.is_empty())
                .map(|e| Section {
                    id: e.id.clone(),
                    note: note.id.clone(),
                    title: e.title.clone(),
                    module: module_of(&e.trail, &e.title, e.depth),
                    trail: e.trail.clone(),
                    depth: e.depth,
                    text: e.intro.clone(),
                    is_card: false,
                });
            let cards = note.cards.iter().map(|c| {
                let depth = depth_of(&c.id);
                Section {
                    id: c.id.clone(),
                    note: note.id.clone(),
                    title: c.title.clone(),
                    module: module_of(&c.trail, &c.title, depth),
                    trail: c.trail.clone(),
                    depth,
                    text: c.text.clone(),
                    is_card: true,
                }
            });
            catalog.sections.extend(headings.chain(cards));
            catalog
                .by_note
                .insert(note.id.clone(), start..catalog.sections.len());
            catalog.modules.extend(
                note.outline
                    .iter()
                    .filter(|e| e.depth == 1)
                    .map(|e| e.title.clone()),
            );
        }
        catalog.by_id = catalog
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        catalog.modules.sort();
        catalog.modules.dedup();
        catalog
    }

    /// Drops the sections of the notes `gone` and of `notes`, then adds those
    /// of `notes`: an update of a few notes copies no other section's text.
    /// `all` are every note after the update, for the list of modules.
    pub fn replace(&mut self, gone: &FxHashSet<&str>, notes: &[&Note], all: &[Note]) {
        let fresh: Vec<Note> = notes.iter().map(|n| (*n).clone()).collect();
        let fresh = Catalog::build(&fresh);
        let replaced: FxHashSet<&str> = notes.iter().map(|n| n.id.as_str()).collect();
        self.sections
            .retain(|s| !gone.contains(s.note.as_str()) && !replaced.contains(s.note.as_str()));
        self.sections.extend(fresh.sections);
        self.by_note.clear();
        let mut start = 0;
        for i in 1..=self.sections.len() {
            if i == self.sections.len() || self.sections[i].note != self.sections[start].note {
                self.by_note
                    .insert(self.sections[start].note.clone(), start..i);
                start = i;
            }
        }
        self.by_id = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        // Unique first, then sorted: tens of thousands of notes share a few
        // thousand module names.
        let unique: FxHashSet<&str> = all
            .iter()
            .flat_map(|n| n.outline.iter().filter(|e| e.depth == 1))
            .map(|e| e.title.as_str())
            .collect();
        let mut modules: Vec<String> = unique.into_iter().map(str::to_string).collect();
        modules.sort();
        self.modules = modules;
    }

    pub fn get(&self, id: &str) -> Option<&Section> {
        self.by_id.get(id).map(|&i| &self.sections[i])
    }

    /// The sections of one note, in the order they appear.
    pub fn of_note(&self, note: &str) -> &[Section] {
        self.by_note
            .get(note)
            .map_or(&[], |range| &self.sections[range.clone()])
    }

    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The names of every top-level heading, sorted, each once.
    pub fn modules(&self) -> &[String] {
        &self.modules
    }
}

/// A section's module: the first heading of its trail, or its own title when
/// it is a top-level heading.
fn module_of(trail: &[String], own_title: &str, depth: u8) -> String {
    trail.first().cloned().unwrap_or_else(|| {
        if depth == 1 {
            own_title.to_string()
        } else {
            String::new()
        }
    })
}

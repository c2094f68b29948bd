//! The sections of the loaded notes, built once per load: every card, and
//! every module or note with text of its own. Search hits, snippets, the
//! index's documents and the reader all read a section from here.

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use super::{Excerpt, Note, OutlineEntry};

/// One searchable piece of a note.
#[derive(Debug, Clone)]
pub struct Section {
    /// A card id, a module heading id, or a note id. Shared with the note it
    /// comes from (read in place from the catalog), the map of sections by
    /// id and the meaning job, as are the note and title.
    pub id: Excerpt,
    pub note: Excerpt,
    pub title: Excerpt,
    /// The headings above it, outermost first (the note's title not included).
    pub trail: Vec<Excerpt>,
    /// The module it belongs to: the first heading of its trail, or its own
    /// title when it is a top-level heading; empty above the first heading.
    pub module: Excerpt,
    /// 1 for top-level headings; 0 for a note's own opening text.
    pub depth: u8,
    /// Plain text: a card's answer, a module's or note's opening text.
    /// Shared with the card or heading it comes from: the plain text of a
    /// library is its largest part in memory after the markdown itself.
    pub text: Excerpt,
    pub is_card: bool,
}

#[derive(Debug, Default)]
pub struct Catalog {
    sections: Vec<Section>,
    by_id: FxHashMap<Excerpt, usize>,
    by_note: FxHashMap<Excerpt, Range<usize>>,
    modules: Vec<String>,
    /// How many notes have each top-level heading, so an update changes
    /// the list of modules without looking at every note.
    module_notes: FxHashMap<String, usize>,
    /// The top-level headings of each note.
    note_modules: FxHashMap<Excerpt, Vec<Excerpt>>,
}

impl Catalog {
    pub fn build(notes: &[Note]) -> Catalog {
        let mut catalog = Catalog::default();
        // Sized once: grown by doubling, the list of 46,000 sections was
        // copied a dozen times.
        let sections: usize = notes
            .iter()
            .map(|n| n.outline.iter().filter(|e| is_heading_section(e)).count() + n.cards.len())
            .sum();
        catalog.sections.reserve(sections);
        for note in notes {
            let start = catalog.sections.len();
            let note_id = note.id.clone();
            // By id once per note: a lookup per card made notes of many
            // thousand cards slow to open.
            let depths: FxHashMap<&str, u8> = note
                .outline
                .iter()
                .map(|e| (e.id.as_str(), e.depth))
                .collect();
            let depth_of = |id: &str| depths.get(id).copied().unwrap_or(0);
            let headings = note
                .outline
                .iter()
                .filter(|e| is_heading_section(e))
                .map(|e| Section {
                    id: e.id.clone(),
                    note: note_id.clone(),
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
                    note: c.note.clone(),
                    title: c.title.clone(),
                    module: module_of(&c.trail, &c.title, depth),
                    trail: c.trail.clone(),
                    depth,
                    text: c.text.clone(),
                    is_card: true,
                }
            });
            catalog.sections.extend(headings.chain(cards));
            // Only notes with sections: an empty range would be left behind
            // when the sections before it move.
            if start < catalog.sections.len() {
                catalog
                    .by_note
                    .insert(note_id, start..catalog.sections.len());
            }
            catalog.count_modules(note);
        }
        catalog.by_id = catalog
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        catalog.modules = catalog.module_notes.keys().cloned().collect();
        catalog.modules.sort();
        catalog
    }

    /// Counts the top-level headings of `note` in; whether a module
    /// appeared.
    fn count_modules(&mut self, note: &Note) -> bool {
        let mut titles: Vec<Excerpt> = note
            .outline
            .iter()
            .filter(|e| e.depth == 1)
            .map(|e| e.title.clone())
            .collect();
        titles.sort();
        titles.dedup();
        let mut appeared = false;
        for title in &titles {
            match self.module_notes.get_mut(title.as_str()) {
                Some(count) => *count += 1,
                None => {
                    self.module_notes.insert(title.to_string(), 1);
                    appeared = true;
                }
            }
        }
        self.note_modules.insert(note.id.clone(), titles);
        appeared
    }

    /// Counts the top-level headings of the note `id` out; whether a
    /// module disappeared.
    fn uncount_modules(&mut self, id: &str) -> bool {
        let mut disappeared = false;
        for title in self.note_modules.remove(id).unwrap_or_default() {
            if let Some(count) = self.module_notes.get_mut(title.as_str()) {
                *count -= 1;
                if *count == 0 {
                    self.module_notes.remove(title.as_str());
                    disappeared = true;
                }
            }
        }
        disappeared
    }

    /// Drops the sections of the notes `gone` and of `notes`, then adds those
    /// of `notes` at the end: an update of a few notes copies no other
    /// section, and only the sections after a dropped one move.
    pub fn replace(&mut self, gone: &FxHashSet<&str>, notes: &[&Note]) {
        let mut modules_changed = false;
        let mut dropped: Vec<Range<usize>> = Vec::new();
        for id in gone
            .iter()
            .copied()
            .chain(notes.iter().map(|n| n.id.as_str()))
        {
            if let Some(range) = self.by_note.remove(id) {
                dropped.push(range);
            }
            modules_changed |= self.uncount_modules(id);
        }
        dropped.sort_by_key(|r| r.start);
        if let Some(first) = dropped.first().map(|r| r.start) {
            for range in &dropped {
                for section in &self.sections[range.clone()] {
                    self.by_id.remove(&section.id);
                }
            }
            let mut next = dropped.iter().peekable();
            let mut at = 0;
            self.sections.retain(|_| {
                let keep = !next.peek().is_some_and(|r| r.contains(&at));
                at += 1;
                if next.peek().is_some_and(|r| at >= r.end) {
                    next.next();
                }
                keep
            });
            // The sections after the first dropped one moved down.
            let mut start = first;
            for i in first..=self.sections.len() {
                if i == self.sections.len() || self.sections[i].note != self.sections[start].note {
                    if start < i {
                        let note = &self.sections[start].note;
                        if let Some(range) = self.by_note.get_mut(&**note) {
                            *range = start..i;
                        }
                    }
                    start = i;
                }
                if let Some(section) = self.sections.get(i)
                    && let Some(place) = self.by_id.get_mut(&*section.id)
                {
                    *place = i;
                }
            }
        }
        let fresh: Vec<Note> = notes.iter().map(|n| (*n).clone()).collect();
        let fresh = Catalog::build(&fresh);
        let offset = self.sections.len();
        for (note, range) in fresh.by_note {
            self.by_note
                .insert(note, range.start + offset..range.end + offset);
        }
        for (id, i) in fresh.by_id {
            self.by_id.insert(id, i + offset);
        }
        self.sections.extend(fresh.sections);
        for note in notes {
            modules_changed |= self.count_modules(note);
        }
        if modules_changed {
            self.modules = self.module_notes.keys().cloned().collect();
            self.modules.sort();
        }
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
/// A heading that is a section of its own: a module or a note with text of
/// its own, not a card (whose section comes from the card).
fn is_heading_section(entry: &OutlineEntry) -> bool {
    !entry.is_card && !entry.intro.is_empty()
}

fn module_of(trail: &[Excerpt], own_title: &Excerpt, depth: u8) -> Excerpt {
    trail.first().cloned().unwrap_or_else(|| {
        if depth == 1 {
            own_title.clone()
        } else {
            Excerpt::default()
        }
    })
}

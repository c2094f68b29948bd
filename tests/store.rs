//! The store's behaviour as a user of Rehearse sees it, on real SQLite files.

use rehearse::CardRef;
use rehearse::store::{SaveKind, SaveOutcome, Store, Timestamp};

mod common;

use common::START;

/// A store whose clock only moves when the test says so.
use common::ClockedStore as Fixture;

fn card(note: &str, slug: &str, title: &str) -> CardRef {
    CardRef {
        id: format!("{note}#{slug}"),
        note: note.into(),
        title: title.into(),
        fingerprint: String::new(),
    }
}

fn goroutines() -> CardRef {
    card(
        "golang-deltas.md",
        "module-1-golang/goroutine-vs-thread",
        "Goroutine vs Thread",
    )
}

fn channels() -> CardRef {
    card(
        "golang-deltas.md",
        "module-1-golang/what-is-a-channel",
        "What is a channel?",
    )
}

mod bookmarks {
    use super::*;

    #[test]
    fn bookmarks_list_newest_first_and_can_be_removed() {
        let f = Fixture::new();
        let module = card("golang-deltas.md", "module-1-golang", "Module 1: Golang");
        let note = CardRef {
            id: "sde2-notes.md".into(),
            note: "sde2-notes.md".into(),
            title: "SDE2 Notes".into(),
            fingerprint: String::new(),
        };
        f.store
            .add_bookmark(&goroutines(), Some("before the interview"))
            .unwrap();
        f.advance_seconds(1);
        f.store.add_bookmark(&module, None).unwrap();
        f.advance_seconds(1);
        f.store.add_bookmark(&note, None).unwrap();

        let ids: Vec<_> = f
            .store
            .bookmarks()
            .unwrap()
            .into_iter()
            .map(|b| b.id)
            .collect();
        assert_eq!(ids, [note.id.clone(), module.id.clone(), goroutines().id]);

        assert!(f.store.remove_bookmark(&module.id).unwrap());
        assert!(
            !f.store.remove_bookmark(&module.id).unwrap(),
            "it was already gone"
        );
        let ids: Vec<_> = f
            .store
            .bookmarks()
            .unwrap()
            .into_iter()
            .map(|b| b.id)
            .collect();
        assert_eq!(ids, [note.id, goroutines().id]);
    }

    #[test]
    fn bookmarking_again_keeps_the_label_unless_a_new_one_is_given() {
        let f = Fixture::new();
        let first = f
            .store
            .add_bookmark(&goroutines(), Some("  tricky  "))
            .unwrap();
        assert_eq!(first.label.as_deref(), Some("tricky"), "labels are trimmed");
        f.advance_seconds(5);
        let again = f.store.add_bookmark(&goroutines(), None).unwrap();
        assert_eq!(again.label.as_deref(), Some("tricky"));
        assert_eq!(
            again.created_at, first.created_at,
            "it keeps its place in the list"
        );
        let relabelled = f.store.add_bookmark(&goroutines(), Some("done")).unwrap();
        assert_eq!(relabelled.label.as_deref(), Some("done"));
        assert_eq!(f.store.bookmarks().unwrap().len(), 1);
    }
}

mod drafts {
    use super::*;

    #[test]
    fn autosaves_within_a_minute_coalesce_into_one_version() {
        let f = Fixture::new();
        let first = f
            .store
            .save_draft(&goroutines(), "Go", SaveKind::Autosave)
            .unwrap();
        assert_eq!((first.version, first.outcome), (1, SaveOutcome::NewVersion));
        for (i, text) in ["Gorou", "Goroutines are", "Goroutines are cheap"]
            .iter()
            .enumerate()
        {
            f.advance_seconds(15);
            let saved = f
                .store
                .save_draft(&goroutines(), text, SaveKind::Autosave)
                .unwrap();
            assert_eq!(
                (saved.version, saved.outcome),
                (1, SaveOutcome::Coalesced),
                "save {i}"
            );
        }
        let history = f.store.draft_history(&goroutines().id).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].bytes, "Goroutines are cheap".len() as u64);
        assert_eq!(history[0].saved_at, Timestamp::from_millis(START + 45_000));
        let draft = f.store.draft(&goroutines().id, None).unwrap().unwrap();
        assert_eq!(draft.text, "Goroutines are cheap");
    }

    #[test]
    fn autosave_a_minute_after_a_version_began_starts_a_new_one() {
        let f = Fixture::new();
        f.store
            .save_draft(&goroutines(), "one", SaveKind::Autosave)
            .unwrap();
        f.advance_seconds(59);
        f.store
            .save_draft(&goroutines(), "one two", SaveKind::Autosave)
            .unwrap();
        f.advance_seconds(2);
        let saved = f
            .store
            .save_draft(&goroutines(), "one two three", SaveKind::Autosave)
            .unwrap();
        assert_eq!((saved.version, saved.outcome), (2, SaveOutcome::NewVersion));
        let texts: Vec<_> = (1..=2)
            .map(|v| {
                f.store
                    .draft(&goroutines().id, Some(v))
                    .unwrap()
                    .unwrap()
                    .text
            })
            .collect();
        assert_eq!(texts, ["one two", "one two three"]);
    }

    #[test]
    fn explicit_saves_always_make_a_version_that_autosaves_do_not_overwrite() {
        let f = Fixture::new();
        f.store
            .save_draft(&goroutines(), "a", SaveKind::Explicit)
            .unwrap();
        let second = f
            .store
            .save_draft(&goroutines(), "ab", SaveKind::Explicit)
            .unwrap();
        assert_eq!(
            (second.version, second.outcome),
            (2, SaveOutcome::NewVersion)
        );
        let auto = f
            .store
            .save_draft(&goroutines(), "abc", SaveKind::Autosave)
            .unwrap();
        assert_eq!(
            auto.version, 3,
            "an autosave never folds into an explicit save"
        );
        // Saving explicitly what was autosaved seals it without a copy…
        let sealed = f
            .store
            .save_draft(&goroutines(), "abc", SaveKind::Explicit)
            .unwrap();
        assert_eq!(
            (sealed.version, sealed.outcome),
            (3, SaveOutcome::Unchanged)
        );
        // …so the next autosave, seconds later, cannot overwrite it.
        f.advance_seconds(1);
        let next = f
            .store
            .save_draft(&goroutines(), "abcd", SaveKind::Autosave)
            .unwrap();
        assert_eq!((next.version, next.outcome), (4, SaveOutcome::NewVersion));
        assert_eq!(
            f.store
                .draft(&goroutines().id, Some(3))
                .unwrap()
                .unwrap()
                .text,
            "abc"
        );
    }

    #[test]
    fn unchanged_text_makes_no_new_version() {
        let f = Fixture::new();
        f.store
            .save_draft(&goroutines(), "same", SaveKind::Explicit)
            .unwrap();
        f.advance_seconds(3600);
        for kind in [SaveKind::Autosave, SaveKind::Explicit] {
            let saved = f.store.save_draft(&goroutines(), "same", kind).unwrap();
            assert_eq!((saved.version, saved.outcome), (1, SaveOutcome::Unchanged));
        }
        let history = f.store.draft_history(&goroutines().id).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            history[0].saved_at,
            Timestamp::from_millis(START),
            "not touched"
        );
    }

    #[test]
    fn every_version_reads_back_with_its_time_and_size() {
        let f = Fixture::new();
        let texts = ["first", "second, longer", "thïrd ✓"];
        for text in texts {
            f.store
                .save_draft(&goroutines(), text, SaveKind::Explicit)
                .unwrap();
            f.advance_seconds(10);
        }
        let history = f.store.draft_history(&goroutines().id).unwrap();
        assert_eq!(
            history.iter().map(|v| v.version).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        for (v, text) in history.iter().zip(texts) {
            assert_eq!(v.bytes, text.len() as u64);
            let draft = f
                .store
                .draft(&goroutines().id, Some(v.version))
                .unwrap()
                .unwrap();
            assert_eq!((draft.text.as_str(), draft.saved_at), (text, v.saved_at));
            assert_eq!(draft.versions, 3);
        }
        assert_eq!(
            f.store
                .draft(&goroutines().id, None)
                .unwrap()
                .unwrap()
                .version,
            3
        );
        assert_eq!(f.store.draft(&goroutines().id, Some(4)).unwrap(), None);
        assert_eq!(f.store.draft(&channels().id, None).unwrap(), None);
        assert!(f.store.draft_history(&channels().id).unwrap().is_empty());
    }

    #[test]
    fn multi_megabyte_unicode_drafts_round_trip_exactly() {
        let f = Fixture::new();
        // Every plane, combining marks, a NUL, CRLF and lone CR: stored as given.
        let piece = "Goroutine 🧵 Горутина ゴルーチン e\u{301} \u{0}\r\n\r𝔾𝕠 \u{10FFFF}\n";
        let text = piece.repeat(4 * 1024 * 1024 / piece.len());
        assert!(text.len() > 4_000_000);
        let saved = f
            .store
            .save_draft(&goroutines(), &text, SaveKind::Autosave)
            .unwrap();
        assert_eq!(saved.bytes, text.len() as u64);
        let back = f.store.draft(&goroutines().id, None).unwrap().unwrap();
        assert!(
            back.text == text,
            "the text changed on the way through the store"
        );
        let again = f
            .store
            .save_draft(&goroutines(), &text, SaveKind::Explicit)
            .unwrap();
        assert_eq!(again.outcome, SaveOutcome::Unchanged);
    }

    #[test]
    fn absurdly_large_drafts_are_refused_and_nothing_is_written() {
        let f = Fixture::new();
        let text = "x".repeat(rehearse::store::MAX_DRAFT_BYTES + 1);
        let err = f
            .store
            .save_draft(&goroutines(), &text, SaveKind::Explicit)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert!(f.store.draft_history(&goroutines().id).unwrap().is_empty());
    }
}

mod positions {
    use super::*;

    #[test]
    fn reading_position_is_remembered_per_note() {
        let f = Fixture::new();
        assert_eq!(f.store.reading_position("golang-deltas.md").unwrap(), None);
        f.store
            .set_reading_position("golang-deltas.md", Some(&goroutines().id), 0.25)
            .unwrap();
        f.store
            .set_reading_position("sde2-notes.md", None, 1.0)
            .unwrap();
        f.store
            .set_reading_position("golang-deltas.md", Some(&channels().id), 0.5)
            .unwrap();
        let golang = f
            .store
            .reading_position("golang-deltas.md")
            .unwrap()
            .unwrap();
        assert_eq!(
            (golang.card_id, golang.fraction),
            (Some(channels().id), 0.5)
        );
        let sde2 = f.store.reading_position("sde2-notes.md").unwrap().unwrap();
        assert_eq!((sde2.card_id, sde2.fraction), (None, 1.0));
    }

    #[test]
    fn reading_position_outside_the_note_is_refused() {
        let f = Fixture::new();
        for bad in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
            let err = f
                .store
                .set_reading_position("golang-deltas.md", None, bad)
                .unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{bad}");
        }
        assert_eq!(f.store.reading_position("golang-deltas.md").unwrap(), None);
    }
}

mod orphans {
    use super::*;

    fn with_data(f: &Fixture, target: &CardRef) {
        f.store
            .save_draft(target, "my answer", SaveKind::Explicit)
            .unwrap();
        f.store.add_bookmark(target, Some("keep")).unwrap();
    }

    #[test]
    fn drafts_follow_their_question_when_the_file_is_renamed() {
        let f = Fixture::new();
        with_data(&f, &goroutines());
        let renamed = card(
            "go.md",
            "module-1-golang/goroutine-vs-thread",
            "Goroutine vs Thread",
        );
        let report = f.store.reconcile(&[renamed.clone(), channels()]).unwrap();
        assert_eq!(report.reattached.len(), 1);
        assert_eq!(
            (
                report.reattached[0].from.as_str(),
                report.reattached[0].to.as_str()
            ),
            (goroutines().id.as_str(), renamed.id.as_str())
        );
        assert_eq!(report.orphans, 0);
        assert_eq!(
            f.store.draft(&renamed.id, None).unwrap().unwrap().text,
            "my answer"
        );
        assert_eq!(f.store.bookmarks().unwrap()[0].id, renamed.id);
        assert!(f.store.orphans().unwrap().is_empty());
    }

    #[test]
    fn drafts_follow_a_heading_that_moved_and_changed_level_in_the_same_note() {
        let f = Fixture::new();
        with_data(&f, &goroutines());
        // The same question now sits at the top of the note, under no module;
        // it is asked in another note too, but the same note wins.
        let moved = card(
            "golang-deltas.md",
            "goroutine-vs-thread",
            "Goroutine  vs  thread",
        );
        let elsewhere = card(
            "sde2-notes.md",
            "goroutine-vs-thread",
            "Goroutine vs Thread",
        );
        let report = f
            .store
            .reconcile(&[elsewhere.clone(), moved.clone()])
            .unwrap();
        assert_eq!(report.reattached.len(), 1);
        assert_eq!(report.reattached[0].to, moved.id);
        assert_eq!(
            f.store.draft(&moved.id, None).unwrap().unwrap().title,
            moved.title
        );
        assert_eq!(f.store.draft(&elsewhere.id, None).unwrap(), None);
    }

    #[test]
    fn a_vanished_card_keeps_its_data_as_an_orphan_with_its_question() {
        let f = Fixture::new();
        with_data(&f, &goroutines());
        f.store
            .save_draft(&channels(), "a pipe", SaveKind::Explicit)
            .unwrap();
        f.advance_seconds(60);
        let report = f.store.reconcile(&[channels()]).unwrap();
        assert_eq!(report.newly_orphaned, [goroutines().id]);
        assert_eq!(report.orphans, 1);

        let orphans = f.store.orphans().unwrap();
        assert_eq!(orphans.len(), 1);
        let orphan = &orphans[0];
        assert_eq!(
            (orphan.id.as_str(), orphan.title.as_str()),
            (goroutines().id.as_str(), "Goroutine vs Thread")
        );
        assert_eq!(
            (orphan.draft_versions, orphan.bookmarked, orphan.reviews),
            (1, true, 0)
        );
        assert_eq!(orphan.orphaned_at, Timestamp::from_millis(START + 60_000));
        // Still readable under the old id, and still listed.
        assert_eq!(
            f.store.draft(&goroutines().id, None).unwrap().unwrap().text,
            "my answer"
        );
        assert!(
            f.store
                .draft(&goroutines().id, None)
                .unwrap()
                .unwrap()
                .orphaned
        );
        assert!(f.store.bookmarks().unwrap()[0].orphaned);

        // Reconciling again changes nothing, and does not forget it either.
        let again = f.store.reconcile(&[channels()]).unwrap();
        assert!(again.newly_orphaned.is_empty());
        assert_eq!(f.store.orphans().unwrap(), orphans);
    }

    #[test]
    fn a_question_asked_in_several_other_notes_is_not_guessed() {
        let f = Fixture::new();
        with_data(&f, &goroutines());
        let a = card(
            "sde2-notes.md",
            "goroutine-vs-thread",
            "Goroutine vs Thread",
        );
        let b = card(
            "persistent-systems.md",
            "q1-goroutine-vs-thread",
            "Goroutine vs Thread",
        );
        let report = f.store.reconcile(&[a.clone(), b]).unwrap();
        assert!(report.reattached.is_empty());
        assert_eq!(report.newly_orphaned, [goroutines().id]);

        f.store.reattach(&goroutines().id, &a).unwrap();
        assert!(f.store.orphans().unwrap().is_empty());
        assert_eq!(
            f.store.draft(&a.id, None).unwrap().unwrap().text,
            "my answer"
        );
        assert_eq!(f.store.bookmarks().unwrap()[0].id, a.id);
    }

    #[test]
    fn reattaching_by_hand_merges_with_the_target_s_own_history() {
        let f = Fixture::new();
        with_data(&f, &goroutines());
        f.advance_seconds(10);
        f.store
            .save_draft(&goroutines(), "my answer, improved", SaveKind::Explicit)
            .unwrap();
        f.store.reconcile(&[channels()]).unwrap();
        // Meanwhile the user started answering the new card from scratch.
        let new = card("go.md", "goroutines-and-threads", "Goroutines and threads");
        f.advance_seconds(5);
        f.store
            .save_draft(&new, "fresh start", SaveKind::Explicit)
            .unwrap();
        f.store.add_bookmark(&new, None).unwrap();

        f.store.reattach(&goroutines().id, &new).unwrap();
        let texts: Vec<_> = f
            .store
            .draft_history(&new.id)
            .unwrap()
            .iter()
            .map(|v| {
                f.store
                    .draft(&new.id, Some(v.version))
                    .unwrap()
                    .unwrap()
                    .text
            })
            .collect();
        assert_eq!(
            texts,
            ["my answer", "my answer, improved", "fresh start"],
            "by time"
        );
        let bookmarks = f.store.bookmarks().unwrap();
        assert_eq!(bookmarks.len(), 1);
        assert_eq!(
            bookmarks[0].label.as_deref(),
            Some("keep"),
            "the orphan's label fills in"
        );
        assert!(f.store.orphans().unwrap().is_empty());
        assert_eq!(f.store.draft(&goroutines().id, None).unwrap(), None);
    }

    #[test]
    fn reattaching_refuses_unknown_and_still_attached_ids() {
        let f = Fixture::new();
        with_data(&f, &goroutines());
        let err = f
            .store
            .reattach("nope.md#nothing", &channels())
            .unwrap_err();
        assert_eq!(err.code(), "unknown_id");
        let err = f.store.reattach(&goroutines().id, &channels()).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(
            f.store.draft(&goroutines().id, None).unwrap().unwrap().text,
            "my answer"
        );
    }

    #[test]
    fn an_orphan_whose_card_comes_back_is_home_again() {
        let f = Fixture::new();
        with_data(&f, &goroutines());
        f.store.reconcile(&[channels()]).unwrap();
        assert_eq!(f.store.orphans().unwrap().len(), 1);
        let report = f.store.reconcile(&[goroutines(), channels()]).unwrap();
        assert_eq!(report.orphans, 0);
        assert!(
            !f.store
                .draft(&goroutines().id, None)
                .unwrap()
                .unwrap()
                .orphaned
        );
    }
}

mod backups {
    use super::*;

    #[test]
    fn backup_is_a_complete_database_with_every_draft() {
        let f = Fixture::new();
        f.store
            .save_draft(&goroutines(), "kept in the backup", SaveKind::Explicit)
            .unwrap();
        f.store.add_bookmark(&channels(), None).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("nested/copy.sqlite3");
        f.store.backup_to(&dest).unwrap();
        // Overwriting an earlier backup works too.
        f.store
            .save_draft(&goroutines(), "newer", SaveKind::Explicit)
            .unwrap();
        f.store.backup_to(&dest).unwrap();

        let copy = Store::open(&dest).unwrap();
        assert_eq!(
            copy.draft(&goroutines().id, None).unwrap().unwrap().text,
            "newer"
        );
        assert_eq!(copy.draft_history(&goroutines().id).unwrap().len(), 2);
        assert_eq!(copy.bookmarks().unwrap().len(), 1);
        let leftovers: Vec<_> = std::fs::read_dir(dest.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn backup_onto_the_database_itself_is_refused() {
        let f = Fixture::new();
        f.store
            .save_draft(&goroutines(), "precious", SaveKind::Explicit)
            .unwrap();
        let path = f.store.path().to_path_buf();
        for target in [path.clone(), path.with_file_name("rehearse.sqlite3-wal")] {
            let err = f.store.backup_to(&target).unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{}", target.display());
        }
        assert_eq!(
            f.store.draft(&goroutines().id, None).unwrap().unwrap().text,
            "precious"
        );
    }
}

// The commands the web UI may invoke, listed once. `build.rs` declares each in
// the app manifest (which makes its `allow-` permission) and grants them all
// as the `own-commands` set; `lib.rs` registers their handlers from
// `commands.rs`; `tests/ipc_types.rs` writes them into the UI's `Command` type.
// A plain file for `include!` rather than a module, so the build script can
// read it too.

/// Calls the macro `$then` with every command's name.
macro_rules! with_command_names {
    ($then:ident) => {
        $then! {
            open_library,
            library_folders,
            change_folders,
            stop_indexing,
            render_note,
            note_summaries,
            note_outline,
            load_card,
            filter_notes,
            search_cards,
            search_hybrid,
            enable_meaning,
            list_bookmarks,
            add_bookmark,
            remove_bookmark,
            save_reading_position,
            load_reading_position,
            load_draft,
            autosave_draft,
            draft_history,
            load_draft_version,
            diff_draft_versions,
            reveal_answer,
            compare_with_reference,
            grade_card,
            next_intervals,
            list_due,
            start_session,
            same_question,
            load_progress,
            search_drafts,
            export_drafts,
        }
    };
}

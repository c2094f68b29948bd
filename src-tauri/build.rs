//! Runs Tauri's build step and declares Rehearse's own commands, so that each
//! gets an `allow-<command>` permission the capability in `capabilities/` grants.
//! A command missing here cannot be invoked from the web UI at all.

const COMMANDS: &[&str] = &[
    "open_library",
    "render_note",
    "search_cards",
    "list_bookmarks",
    "add_bookmark",
    "remove_bookmark",
    "save_reading_position",
    "load_reading_position",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed: check tauri.conf.json and capabilities/");
}

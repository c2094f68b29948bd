//! The UI's TypeScript types for everything that crosses IPC are generated from
//! the Rust types by ts-rs, together with the command names and every error
//! code, into `ui/src/lib/api/generated/ipc.ts`, which is committed. This test
//! fails when that file no longer matches the Rust side; after changing an IPC
//! type, an error or a command, regenerate it with
//!
//! ```text
//! REHEARSE_WRITE_TYPES=1 cargo test --release -p rehearse-app --test ipc_types
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rehearse::practice::{
    DiffOp, ExportReport, Grade, NextIntervals, Progress, Reveal, Review, SessionRequest,
};
use rehearse::store::{Bookmark, CardSchedule, Draft, DraftSaved, DraftVersion, ReadingPosition};
use rehearse::{
    Card, CardRef, DraftHit, Error, FilteredNotes, FolderChange, IndexProgress, LibraryFolders,
    MeaningStatus, NoteOutline, SearchRequest, SearchResults, UpdateReport,
};
use rehearse_app::{IpcError, LIBRARY_UPDATED, LibraryOverview};
use ts_rs::{Config, TS, TypeVisitor};

include!("../src/command_names.rs");

macro_rules! names {
    ($($name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

const COMMANDS: &[&str] = with_command_names!(names);

const REGENERATE: &str =
    "REHEARSE_WRITE_TYPES=1 cargo test --release -p rehearse-app --test ipc_types";

/// The declarations of the types the commands in `commands.rs` take and
/// return, and of every type inside them, by name.
fn declarations() -> BTreeMap<String, String> {
    // The integers that cross IPC are counts and durations, far below 2^53:
    // plain numbers in JSON, not bigints.
    let config = Config::new().with_large_int("number");
    let mut found = Declarations {
        config: &config,
        by_name: BTreeMap::new(),
    };
    found.visit::<LibraryOverview>();
    found.visit::<IndexProgress>();
    found.visit::<NoteOutline>();
    found.visit::<Card>();
    found.visit::<FilteredNotes>();
    found.visit::<LibraryFolders>();
    found.visit::<FolderChange>();
    found.visit::<UpdateReport>();
    found.visit::<SearchRequest>();
    found.visit::<SearchResults>();
    found.visit::<MeaningStatus>();
    found.visit::<Bookmark>();
    found.visit::<ReadingPosition>();
    found.visit::<Draft>();
    found.visit::<DraftSaved>();
    found.visit::<DraftVersion>();
    found.visit::<DiffOp>();
    found.visit::<Reveal>();
    found.visit::<Grade>();
    found.visit::<Review>();
    found.visit::<NextIntervals>();
    found.visit::<CardSchedule>();
    found.visit::<SessionRequest>();
    found.visit::<CardRef>();
    found.visit::<Progress>();
    found.visit::<DraftHit>();
    found.visit::<ExportReport>();
    found.visit::<IpcError>();
    found.by_name
}

struct Declarations<'a> {
    config: &'a Config,
    by_name: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Strings, numbers, arrays and options have no declaration of their own.
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(self.config);
        if self.by_name.contains_key(&name) {
            return;
        }
        let docs = T::docs().unwrap_or_default();
        let declaration = format!("{docs}export {}\n", T::decl(self.config));
        self.by_name.insert(name, declaration);
        T::visit_dependencies(self);
    }
}

/// One core error of every kind, so that the UI learns every `code()`.
fn every_core_error() -> Vec<Error> {
    let path = PathBuf::from("notes");
    let message = String::new();
    let every = vec![
        Error::UnknownId(String::new()),
        Error::NotesFolderMissing(path.clone()),
        Error::io(&path, std::io::Error::other("unreadable")),
        Error::Index {
            path: path.clone(),
            message: message.clone(),
        },
        Error::DatabaseCorrupt {
            path: path.clone(),
            message: message.clone(),
        },
        Error::Database {
            path: path.clone(),
            message: message.clone(),
        },
        Error::Model {
            path: path.clone(),
            message: message.clone(),
        },
        Error::Watch {
            path,
            message: message.clone(),
        },
        Error::InvalidInput(message),
        Error::Cancelled,
    ];
    for error in &every {
        // No `_` arm: a new kind of error stops this file compiling until it
        // is added here and to the list above.
        match error {
            Error::UnknownId(_)
            | Error::NotesFolderMissing(_)
            | Error::Io { .. }
            | Error::Index { .. }
            | Error::DatabaseCorrupt { .. }
            | Error::Database { .. }
            | Error::Model { .. }
            | Error::Watch { .. }
            | Error::InvalidInput(_)
            | Error::Cancelled => {}
        }
    }
    every
}

/// Every `code` a command can fail with: the core's, then the shell's own.
fn error_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = every_core_error()
        .into_iter()
        .map(|error| IpcError::from(error).code)
        .collect();
    codes.push(IpcError::not_ready().code);
    codes.push(IpcError::crashed(&"cancelled").code);
    let mut seen = std::collections::HashSet::new();
    codes.retain(|code| seen.insert(*code));
    codes
}

fn string_union(name: &str, docs: &str, members: &[&str]) -> String {
    let members: String = members.iter().map(|m| format!("\n  | \"{m}\"")).collect();
    format!("/** {docs} */\nexport type {name} ={members};\n")
}

fn typescript() -> String {
    let mut out = format!(
        "// The shapes that cross IPC, generated from the Rust types by\n\
         // src-tauri/tests/ipc_types.rs. Do not edit; regenerate with\n\
         // {REGENERATE}\n\n"
    );
    out.push_str(&string_union(
        "Command",
        "Every command the UI may invoke (src-tauri/src/command_names.rs).",
        COMMANDS,
    ));
    out.push('\n');
    out.push_str(&string_union(
        "AppEvent",
        "Every event the Rust side emits to the page (src-tauri/src/live.rs).",
        &[LIBRARY_UPDATED],
    ));
    out.push('\n');
    out.push_str(&string_union(
        "IpcErrorCode",
        "Every `code` a command can fail with.",
        &error_codes(),
    ));
    for declaration in declarations().values() {
        out.push('\n');
        out.push_str(declaration);
    }
    out
}

#[test]
fn ui_ipc_types_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/api/generated/ipc.ts");
    let expected = typescript();
    if std::env::var_os("REHEARSE_WRITE_TYPES").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    let first_difference = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    assert!(
        actual == expected,
        "ui/src/lib/api/generated/ipc.ts does not match the Rust types (from line {}); \
         regenerate it with {REGENERATE}",
        first_difference + 1
    );
}

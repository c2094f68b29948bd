//! Which folders a library reads: the ones the user added in the app, kept in
//! the store, with or without the bundled notes, unless the caller named the
//! folders itself (`--notes`), which then cannot be changed from the app.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::{Library, LibraryConfig};
use crate::index::IndexProgress;
use crate::store::{SavedFolders, Store};
use crate::{Error, Result};

/// One change to the saved folders, as the app's settings make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FolderChange {
    /// A folder of notes, by its full path (`~/` stands for the home folder).
    Add {
        path: PathBuf,
    },
    Remove {
        path: PathBuf,
    },
    ShowBundled {
        show: bool,
    },
}

/// The folders as the settings show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryFolders {
    /// The bundled notes first when they are shown, then the user's folders
    /// in the order they were added.
    pub folders: Vec<NotesFolder>,
    pub show_bundled: bool,
    /// `false` when the folders were named on the command line (`--notes`):
    /// they are shown, and changed only by starting without `--notes`.
    pub editable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NotesFolder {
    pub path: PathBuf,
    /// How many notes of the open library are in it.
    pub notes: usize,
    pub bundled: bool,
    /// Saved but not there (a disk not mounted, a folder moved): its notes
    /// are left out until it is back.
    pub missing: bool,
    /// Saved and there, but not read this run: the first start's indexing
    /// was stopped, and it is read at the next start.
    pub left_out: bool,
}

impl LibraryConfig {
    /// The folders saved in the store of `data_dir` (the app's settings), or
    /// the bundled notes while none are saved. A store that cannot be read
    /// gives the bundled notes too: opening the library then says why.
    pub fn with_saved_folders(data_dir: PathBuf) -> LibraryConfig {
        let saved = Store::open(&data_dir.join("rehearse.sqlite3"))
            .and_then(|store| store.saved_folders())
            .unwrap_or_default();
        LibraryConfig::from_saved(&saved, data_dir)
    }

    fn from_saved(saved: &SavedFolders, data_dir: PathBuf) -> LibraryConfig {
        let present: Vec<PathBuf> = saved
            .folders
            .iter()
            .filter(|folder| folder.is_dir())
            .cloned()
            .collect();
        let mut notes_dirs = Vec::new();
        // With no folder of the user's own there would be nothing to read.
        if saved.show_bundled || present.is_empty() {
            notes_dirs.push(LibraryConfig::bundled_notes_dir());
        }
        notes_dirs.extend(present);
        LibraryConfig {
            saved_folders: true,
            ..LibraryConfig::new(notes_dirs, data_dir)
        }
    }
}

impl Library {
    /// The folders this library reads, each with its number of notes, and
    /// the saved ones it does not (missing, or left out this run).
    pub fn folders(&self) -> Result<LibraryFolders> {
        let bundled = canonical(&LibraryConfig::bundled_notes_dir());
        let notes = self.notes();
        let count = |folder: &Path| notes.iter().filter(|n| n.path.starts_with(folder)).count();
        let folder = |path: &Path, read: bool| {
            let there = read || path.is_dir();
            NotesFolder {
                path: path.to_path_buf(),
                notes: if read { count(path) } else { 0 },
                bundled: canonical(path) == bundled,
                missing: !there,
                left_out: !read && there,
            }
        };
        let dirs = &self.config.notes_dirs;
        if !self.config.saved_folders {
            return Ok(LibraryFolders {
                folders: dirs.iter().map(|d| folder(d, true)).collect(),
                show_bundled: dirs.iter().any(|d| canonical(d) == bundled),
                editable: false,
            });
        }
        let saved = self.store()?.saved_folders()?;
        let mut folders: Vec<NotesFolder> = dirs
            .iter()
            .filter(|d| canonical(d) == bundled)
            .map(|d| folder(d, true))
            .collect();
        folders.extend(
            saved
                .folders
                .iter()
                .map(|path| folder(path, dirs.contains(path))),
        );
        Ok(LibraryFolders {
            folders,
            show_bundled: saved.show_bundled,
            editable: true,
        })
    }

    /// Opens the library on the folders as `change` leaves them (indexing
    /// what is new, with `progress`) and saves the change once it is open:
    /// meanwhile the library open on `config` goes on answering, and a
    /// refused or stopped change (`cancel`) leaves the saved folders as they
    /// were. The user's data is keyed by card ids, so it stays: drafts of a
    /// removed folder's cards wait as orphans and are theirs again when it is
    /// back.
    pub fn open_changed(
        config: &LibraryConfig,
        change: &FolderChange,
        progress: &mut dyn FnMut(IndexProgress),
        cancel: &AtomicBool,
    ) -> Result<Library> {
        if !config.saved_folders {
            return Err(Error::InvalidInput(
                "The notes folders were given on the command line (--notes); start Rehearse without --notes to choose them here."
                    .into(),
            ));
        }
        let saved = Store::open(&config.database_path())?.saved_folders()?;
        let (change, folders) = checked(change, saved)?;
        let library = Library::open_with_progress(
            LibraryConfig::from_saved(&folders, config.data_dir.clone()),
            progress,
            cancel,
        )?;
        let store = library.store()?;
        match &change {
            FolderChange::Add { path } => drop(store.add_notes_folder(path)?),
            FolderChange::Remove { path } => drop(store.remove_notes_folder(path)?),
            FolderChange::ShowBundled { show } => store.set_show_bundled(*show)?,
        }
        Ok(library)
    }
}

/// `change` with its path as it is saved, and the folders it leaves; or why
/// it cannot be made.
fn checked(change: &FolderChange, mut saved: SavedFolders) -> Result<(FolderChange, SavedFolders)> {
    match change {
        FolderChange::Add { path } => {
            let folder = folder_to_add(path)?;
            let bundled = canonical(&LibraryConfig::bundled_notes_dir());
            if folder == bundled {
                return Err(Error::InvalidInput(
                    "That folder holds the bundled notes; show or hide them with the switch below."
                        .into(),
                ));
            }
            for other in &saved.folders {
                let other = canonical(other);
                if folder.starts_with(&other) || other.starts_with(&folder) {
                    let (inner, outer) = if folder.starts_with(&other) {
                        (&folder, &other)
                    } else {
                        (&other, &folder)
                    };
                    return Err(Error::InvalidInput(if inner == outer {
                        format!("{} is in your library already.", folder.display())
                    } else {
                        format!(
                            "{} is inside {}; a folder's notes are read once, so keep only one of the two.",
                            inner.display(),
                            outer.display()
                        )
                    }));
                }
            }
            saved.folders.push(folder.clone());
            Ok((FolderChange::Add { path: folder }, saved))
        }
        FolderChange::Remove { path } => {
            let before = saved.folders.len();
            saved.folders.retain(|folder| folder != path);
            if saved.folders.len() == before {
                return Err(Error::InvalidInput(format!(
                    "{} is not one of your notes folders.",
                    path.display()
                )));
            }
            Ok((change.clone(), saved))
        }
        FolderChange::ShowBundled { show } => {
            saved.show_bundled = *show;
            Ok((change.clone(), saved))
        }
    }
}

/// The folder a typed or pasted path names, as a full path with its
/// symlinks resolved, or why it cannot be added.
fn folder_to_add(typed: &Path) -> Result<PathBuf> {
    let text = typed.to_string_lossy();
    // Paths copied from a file manager or a terminal often come quoted.
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if text.is_empty() {
        return Err(Error::InvalidInput(
            "Type or paste the full path of a folder of notes.".into(),
        ));
    }
    let path = match text.strip_prefix("~/").or((text == "~").then_some("")) {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(rest),
            None => PathBuf::from(text),
        },
        None => PathBuf::from(text),
    };
    if !path.is_absolute() {
        return Err(Error::InvalidInput(format!(
            "{} is not a full path; give the whole path, such as /home/you/notes.",
            path.display()
        )));
    }
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => path.canonicalize().map_err(|e| Error::io(&path, e)),
        Ok(_) => Err(Error::InvalidInput(format!(
            "{} is a file; choose the folder that holds your notes.",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotesFolderMissing(path)),
        Err(e) => Err(Error::io(&path, e)),
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

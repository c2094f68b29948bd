//! The notes folders the user added in the app, and whether the bundled
//! notes are shown beside them: the library's own settings, kept with the
//! user's data so that they come back on the next start.

use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::Result;

/// The folders as saved, in the order they were added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFolders {
    pub folders: Vec<PathBuf>,
    pub show_bundled: bool,
}

impl Default for SavedFolders {
    /// A new library: the bundled notes and nothing else.
    fn default() -> Self {
        SavedFolders {
            folders: Vec::new(),
            show_bundled: true,
        }
    }
}

impl Store {
    pub fn saved_folders(&self) -> Result<SavedFolders> {
        self.read(|conn| {
            let mut stmt = conn.prepare("SELECT path FROM notes_folders ORDER BY position")?;
            let folders = stmt
                .query_map([], |row| row.get::<_, String>(0))?
                .map(|path| path.map(PathBuf::from))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let show_bundled = conn
                .query_row(
                    "SELECT show_bundled FROM library_settings WHERE id = 1",
                    [],
                    |row| row.get::<_, bool>(0),
                )
                .optional()?
                .unwrap_or(SavedFolders::default().show_bundled);
            Ok(SavedFolders {
                folders,
                show_bundled,
            })
        })
    }

    /// Adds `folder` at the end of the list; `false` when it is there already.
    pub fn add_notes_folder(&self, folder: &Path) -> Result<bool> {
        let now = self.now().millis();
        self.write(|tx| {
            let added = tx.execute(
                "INSERT INTO notes_folders (path, added_at) VALUES (?1, ?2)
                 ON CONFLICT (path) DO NOTHING",
                params![folder.to_string_lossy(), now],
            )?;
            Ok(added == 1)
        })
    }

    /// `false` when `folder` was not in the list.
    pub fn remove_notes_folder(&self, folder: &Path) -> Result<bool> {
        self.write(|tx| {
            let removed = tx.execute(
                "DELETE FROM notes_folders WHERE path = ?1",
                [folder.to_string_lossy()],
            )?;
            Ok(removed == 1)
        })
    }

    pub fn set_show_bundled(&self, show: bool) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO library_settings (id, show_bundled) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET show_bundled = excluded.show_bundled",
                [show],
            )?;
            Ok(())
        })
    }
}

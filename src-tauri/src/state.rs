//! The one piece of managed state: where the library comes from and, once
//! `open_library` has run, the open library itself and its watcher.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rehearse::{
    FolderChange, IndexProgress, IndexReport, Library, LibraryConfig, LoadWarning, MeaningStatus,
    NotesPage,
};
use serde::Serialize;
use tauri::{AppHandle, async_runtime};

use crate::error::IpcError;
use crate::live::LiveUpdates;

pub struct LibrarySlot {
    /// Changed by the settings' folders, for the next open.
    config: Mutex<LibraryConfig>,
    /// A `Mutex`, not an `RwLock`: the store's SQLite connection is `Send` but
    /// not `Sync`, and every call through it is short.
    library: Mutex<Option<Library>>,
    /// Held while opening, so a reloaded page cannot open the index twice.
    opening: async_runtime::Mutex<()>,
    /// Stops the indexing of the open under way.
    stop: Mutex<Arc<AtomicBool>>,
    /// Held while the model loads, so a reloaded page cannot load it twice.
    loading_meaning: async_runtime::Mutex<()>,
    /// Watches the open library's folders; replaced when they change.
    live: Mutex<Option<LiveUpdates>>,
}

/// What the UI needs once the library is open: the first page of the notes'
/// summaries (the rest, their outlines, questions and answers are asked for
/// after), what loading found wrong, and what indexing did.
#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryOverview {
    pub notes: NotesPage,
    pub warnings: Vec<LoadWarning>,
    pub index_report: IndexReport,
    /// The first start's indexing was stopped: the bundled notes are open
    /// instead, for this run.
    pub indexing_stopped: bool,
}

impl LibrarySlot {
    pub fn new(config: LibraryConfig) -> Self {
        LibrarySlot {
            config: Mutex::new(config),
            library: Mutex::new(None),
            opening: async_runtime::Mutex::new(()),
            stop: Mutex::default(),
            loading_meaning: async_runtime::Mutex::new(()),
            live: Mutex::new(None),
        }
    }

    /// Opens the library off the UI thread (indexing can take seconds on the
    /// first start), or returns the one already open, and watches its folders.
    /// When [`LibrarySlot::stop_indexing`] stops the first start's indexing,
    /// the bundled notes open instead, for this run: the saved folders stay,
    /// to be indexed at the next start or removed in the settings.
    pub async fn open(
        &self,
        app: AppHandle,
        progress: impl FnMut(IndexProgress) + Send + 'static,
    ) -> Result<LibraryOverview, IpcError> {
        let _one_at_a_time = self.opening.lock().await;
        if let Ok(overview) = self.with(|library| Ok(overview_of(library))) {
            return Ok(overview);
        }
        let config = lock(&self.config).clone();
        let stop = self.new_stop();
        let mut progress = progress;
        let opened = async_runtime::spawn_blocking(move || {
            match Library::open_with_progress(config.clone(), &mut progress, &stop) {
                Err(rehearse::Error::Cancelled) => {
                    let bundled = LibraryConfig {
                        notes_dirs: vec![LibraryConfig::bundled_notes_dir()],
                        ..config
                    };
                    Library::open(bundled).map(|library| (library, true))
                }
                opened => opened.map(|library| (library, false)),
            }
        })
        .await
        .map_err(|e| IpcError::crashed(&e))?;
        let (library, stopped) = opened?;
        let mut overview = overview_of(&library);
        overview.indexing_stopped = stopped;
        *lock(&self.library) = Some(library);
        *lock(&self.live) = Some(LiveUpdates::start(app));
        Ok(overview)
    }

    /// Opens the library on the folders as `change` leaves them, indexing
    /// with `progress`, while the library open now goes on answering; it is
    /// swapped in once the new one is open. Stopped or refused, the change
    /// is not saved and the open library stays.
    pub async fn change_folders(
        &self,
        app: AppHandle,
        change: FolderChange,
        progress: impl FnMut(IndexProgress) + Send + 'static,
    ) -> Result<(), IpcError> {
        let _one_at_a_time = self.opening.lock().await;
        let config = self.with(|library| Ok(library.config().clone()))?;
        // The watcher would index the folders beside the new library's own
        // indexing; the open library only answers meanwhile.
        drop(lock(&self.live).take());
        let stop = self.new_stop();
        let mut progress = progress;
        let opened = async_runtime::spawn_blocking(move || {
            Library::open_changed(&config, &change, &mut progress, &stop)
        })
        .await;
        let outcome = match opened {
            Ok(Ok(library)) => {
                *lock(&self.config) = library.config().clone();
                *lock(&self.library) = Some(library);
                Ok(())
            }
            Ok(Err(error)) => Err(error.into()),
            Err(crash) => Err(IpcError::crashed(&crash)),
        };
        *lock(&self.live) = Some(LiveUpdates::start(app));
        outcome
    }

    /// Stops the indexing of the open or folder change under way, if any.
    pub fn stop_indexing(&self) {
        lock(&self.stop).store(true, Ordering::Relaxed);
    }

    /// A new stop flag for an open about to start.
    fn new_stop(&self) -> Arc<AtomicBool> {
        let stop = Arc::new(AtomicBool::new(false));
        *lock(&self.stop) = Arc::clone(&stop);
        stop
    }

    /// Turns search by meaning on, off the library's lock: the model loads and
    /// new sections are embedded while searches by words go on.
    pub async fn enable_meaning(
        &self,
        progress: impl FnMut(usize, usize) + Send + 'static,
    ) -> Result<MeaningStatus, IpcError> {
        let _one_at_a_time = self.loading_meaning.lock().await;
        let status = self.with(|library| Ok(library.meaning_status()))?;
        if status == MeaningStatus::Ready {
            return Ok(status);
        }
        let job = self.with(|library| Ok(library.meaning_job()))?;
        let mut progress = progress;
        let outcome =
            async_runtime::spawn_blocking(move || job.run(&mut progress, &AtomicBool::new(false)))
                .await
                .map_err(|e| IpcError::crashed(&e))?;
        match outcome {
            Ok(_) => self.with(|library| Ok(library.meaning_status())),
            Err(error) => Ok(MeaningStatus::failed(&error)),
        }
    }

    /// Runs one core call on the open library.
    pub fn with<T>(
        &self,
        call: impl FnOnce(&Library) -> rehearse::Result<T>,
    ) -> Result<T, IpcError> {
        let guard = lock(&self.library);
        let library = guard.as_ref().ok_or_else(IpcError::not_ready)?;
        Ok(call(library)?)
    }

    /// Runs one core call that changes the open library (the watcher's
    /// updates); keep it quick, every command waits for it. From a plain
    /// thread only: it first waits while search by meaning is being turned
    /// on, because an update embeds its changed sections too, and an
    /// embedding beside the library's own hung the model (candle's CPU pool).
    pub fn with_mut<T>(
        &self,
        call: impl FnOnce(&mut Library) -> rehearse::Result<T>,
    ) -> Result<T, IpcError> {
        let _no_embedding_meanwhile = self.loading_meaning.blocking_lock();
        let mut guard = lock(&self.library);
        let library = guard.as_mut().ok_or_else(IpcError::not_ready)?;
        Ok(call(library)?)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Notes sent with the overview: more than a window shows, few enough that
/// 50,000 notes do not hold up the first paint.
const FIRST_PAGE: usize = 400;

fn overview_of(library: &Library) -> LibraryOverview {
    LibraryOverview {
        notes: library.note_summaries(0, FIRST_PAGE),
        warnings: library.warnings().to_vec(),
        index_report: library.index_report().clone(),
        indexing_stopped: false,
    }
}

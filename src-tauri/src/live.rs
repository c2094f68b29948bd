//! Keeps the open library in step with its folders while the window is open:
//! a thread watches them, reads and indexes each change off the library's
//! lock (searches go on meanwhile), takes the lock only to swap the change
//! in, and tells the page with a `library-updated` event.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rehearse::UpdateReport;
use rehearse::watch::{Changes, NotesWatcher};
use tauri::{AppHandle, Emitter, Manager};

use crate::error::IpcError;
use crate::state::LibrarySlot;

/// The event the page hears after every update that changed a note, with
/// its [`UpdateReport`].
pub const LIBRARY_UPDATED: &str = "library-updated";

/// How often the thread looks whether it should stop, between changes.
const STOP_CHECK: Duration = Duration::from_millis(200);

/// The watching thread; dropping it stops the thread and waits for an update
/// under way to be swapped in, so the library can be closed after it.
pub struct LiveUpdates {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LiveUpdates {
    /// Watches the folders of the library open in `app`'s [`LibrarySlot`].
    pub fn start(app: AppHandle) -> LiveUpdates {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("rehearse-watch".into())
            .spawn(move || watch(&app, &stopped))
            .map_err(|e| eprintln!("Rehearse will not see changes to your notes: {e}"))
            .ok();
        LiveUpdates { stop, thread }
    }
}

impl Drop for LiveUpdates {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            // A panicked watcher changed nothing it did not finish.
            let _ = thread.join();
        }
    }
}

fn watch(app: &AppHandle, stop: &AtomicBool) {
    let slot = app.state::<LibrarySlot>();
    let Ok(dirs) = slot.with(|library| Ok(library.config().notes_dirs.clone())) else {
        return;
    };
    // Started here rather than before the window shows: adding a watch on
    // every folder of a large library takes a while.
    let watcher = match NotesWatcher::start(&dirs) {
        Ok(watcher) => watcher,
        Err(error) => {
            eprintln!("Rehearse will not see changes to your notes: {error}");
            return;
        }
    };
    // Other processes (`rehearse search`) may trust the catalog while this
    // thread keeps it current; when a `rehearse watch` does already, fine.
    let _vouching = slot.with(|library| library.vouch_while_watching());
    // So that the first change does not wait for the index's versions.
    let _ = slot.with_mut(|library| {
        library.ready_for_updates();
        Ok(())
    });
    while !stop.load(Ordering::Relaxed) {
        let Some(changes) = watcher.next(Some(STOP_CHECK)) else {
            continue;
        };
        let outcome = changes
            .map_err(IpcError::from)
            .and_then(|changes| update(&slot, changes));
        match outcome {
            Ok(report) if !report.is_empty() => {
                if let Err(error) = app.emit(LIBRARY_UPDATED, &report) {
                    eprintln!("Rehearse could not tell the window about a change: {error}");
                }
            }
            Ok(_) => {}
            Err(error) => eprintln!("Rehearse could not take in a change: {}", error.message),
        }
    }
}

/// Reads, parses and indexes the changes without the library's lock, then
/// swaps them in under it.
fn update(slot: &LibrarySlot, changes: Changes) -> Result<UpdateReport, IpcError> {
    if changes.rescan {
        // Events were lost: every note may have changed.
        return slot.with_mut(|library| {
            library.reload()?;
            Ok(UpdateReport {
                changed: library.notes().iter().map(|n| n.id.to_string()).collect(),
                ..UpdateReport::default()
            })
        });
    }
    let job = slot.with(|library| Ok(library.prepare_update(changes.paths)))?;
    let prepared = job.run()?;
    slot.with_mut(|library| library.apply_update(prepared))
}

//! Rehearse's desktop shell: a Tauri v2 window around the web UI in `ui/`, over
//! the core library `rehearse`. The shell parses the command line, opens the
//! one window, manages the library as state and exposes the commands in
//! [`commands`]; everything Rehearse knows lives in the core.
//!
//! ```text
//! rehearse-app [--notes DIR]... [--data DIR]
//! ```

mod assets;
mod commands;
mod error;
mod live;
mod state;

use std::path::{Path, PathBuf};

use clap::Parser;
use rehearse::LibraryConfig;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

use crate::state::LibrarySlot;

// What crosses IPC besides the core's own types, public for
// `tests/ipc_types.rs`, which generates the UI's TypeScript from them.
pub use crate::assets::response as asset_response;
pub use crate::error::IpcError;
pub use crate::live::LIBRARY_UPDATED;
pub use crate::state::LibraryOverview;

include!("command_names.rs");

macro_rules! handlers {
    ($($name:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

/// Read, search and practise your interview notes.
#[derive(Debug, Parser)]
#[command(name = "rehearse-app", version)]
struct Args {
    /// A folder of markdown notes; repeat for several. Default: the folders
    /// chosen in the app's settings, else the bundled notes.
    #[arg(long = "notes", value_name = "DIR")]
    notes: Vec<PathBuf>,

    /// Where the index and your data live. Default: $REHEARSE_DATA_DIR, else
    /// the OS app-data folder.
    #[arg(long = "data", visible_alias = "data-dir", value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

impl Args {
    fn library_config(self) -> LibraryConfig {
        let data_dir = self
            .data_dir
            .unwrap_or_else(LibraryConfig::default_data_dir);
        if self.notes.is_empty() {
            LibraryConfig::with_saved_folders(data_dir)
        } else {
            LibraryConfig::new(self.notes, data_dir)
        }
    }
}

pub fn run() {
    let config = Args::parse().library_config();
    #[cfg(target_os = "linux")]
    avoid_dmabuf_renderer_without_gpu();
    let webview_dir = config.data_dir.join("webview");
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(LibrarySlot::new(config))
        .register_asynchronous_uri_scheme_protocol(assets::SCHEME, |context, request, responder| {
            let app = context.app_handle().clone();
            let url = request.uri().to_string();
            // Off the main thread: reading a large image must not stall the window.
            tauri::async_runtime::spawn_blocking(move || {
                let slot = app.state::<LibrarySlot>();
                let response = slot
                    .with(|library| Ok(assets::response(library, &url)))
                    .unwrap_or_else(|_| assets::not_open());
                responder.respond(response);
            });
        })
        .invoke_handler(with_command_names!(handlers))
        .setup(move |app| {
            open_main_window(app, &webview_dir)?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Rehearse could not start its window: {error}");
        std::process::exit(1);
    }
}

/// WebKitGTK shares rendered frames with the window through DMA-BUF, which
/// needs a GPU. Without one (a VM, a remote session, Xvfb) it falls back to a
/// software path that made every repaint here ~8x slower (search results took
/// ~150 ms to appear instead of ~25 ms). So when the machine has no GPU render
/// node, use WebKit's older shared-memory path, unless the user chose already.
#[cfg(target_os = "linux")]
fn avoid_dmabuf_renderer_without_gpu() {
    const VARIABLE: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    let has_render_node = std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    if !has_render_node && std::env::var_os(VARIABLE).is_none() {
        // SAFETY: called first thing in `run`, before Tauri, GTK or any other
        // thread exists that could read the environment concurrently.
        unsafe { std::env::set_var(VARIABLE, "1") };
    }
}

/// The one window. Its web storage (theme, font size, recent notes) lives in
/// the data dir, so a fresh `--data-dir` starts with fresh preferences too.
fn open_main_window(app: &tauri::App, webview_dir: &Path) -> tauri::Result<()> {
    WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
        .title("Rehearse")
        .inner_size(1280.0, 840.0)
        .min_inner_size(760.0, 520.0)
        .data_directory(webview_dir.to_path_buf())
        // The page never leaves the app: external links go to the system
        // browser through the opener plugin, so any other navigation is refused.
        .on_navigation(|url| url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost"))
        .disable_drag_drop_handler()
        .build()?;
    Ok(())
}

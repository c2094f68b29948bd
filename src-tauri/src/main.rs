//! The `rehearse-app` binary: parses the command line and hands over to the shell.

// Without this a release build on Windows opens a console beside the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    rehearse_app::run();
}

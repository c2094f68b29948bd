//! The error that crosses IPC: `{code, message}`, built from the core's error so
//! the web UI can branch on `code` and show `message` as it is.

use serde::Serialize;

/// What a failed command rejects with: `code` to branch on, `message` to show.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct IpcError {
    /// One of the core's `Error::code()`s or the shell's own (see
    /// `tests/ipc_types.rs`, which lists them all for the UI).
    #[ts(type = "IpcErrorCode")]
    pub code: &'static str,
    pub message: String,
}

impl IpcError {
    /// A command was called before `open_library` finished (the UI waits for
    /// it, so this only happens if the UI misbehaves).
    pub fn not_ready() -> Self {
        IpcError {
            code: "not_ready",
            message: "The library is still opening; try again in a moment.".into(),
        }
    }
}

impl IpcError {
    /// The blocking task that opens the library panicked or was cancelled.
    pub fn crashed(cause: &dyn std::fmt::Display) -> Self {
        IpcError {
            code: "crashed",
            message: format!(
                "Opening the library stopped unexpectedly ({cause}). Restart Rehearse; if it happens again, run `rehearse index` in a terminal to see the cause."
            ),
        }
    }
}

impl From<rehearse::Error> for IpcError {
    fn from(error: rehearse::Error) -> Self {
        IpcError {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_cross_ipc_as_code_and_sentence() {
        let error = IpcError::from(rehearse::Error::UnknownId("go.md#x".into()));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "unknown_id",
                "message": "No card or note has the id `go.md#x`."
            }),
            "the UI reads exactly these two fields"
        );
    }
}

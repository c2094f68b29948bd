// The shapes that cross IPC: generated from the Rust types into
// `generated/ipc.ts` (see src-tauri/tests/ipc_types.rs), never written by hand.

export type * from './generated/ipc';

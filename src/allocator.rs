//! The allocator of every program built on the core: mimalloc. Opening a
//! library allocates and frees hundreds of thousands of small strings and
//! Tantivy's indexing as many buffers; glibc's allocator spent a quarter of
//! `rehearse search`'s time on them, and merged its free lists at exit.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

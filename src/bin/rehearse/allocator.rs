//! The command line's allocator: mimalloc. Each command opens a library,
//! allocating and freeing hundreds of thousands of small strings, and
//! Tantivy's indexing as many buffers: glibc's allocator spent a quarter of
//! `rehearse search`'s time on them and on merging its free lists at exit.
//! The app keeps glibc's: it lives long, and mimalloc held 48 MiB more of
//! it resident on the corpora for no gain a user would see.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

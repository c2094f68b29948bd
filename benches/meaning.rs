//! What search by meaning costs, measured with the real model
//! (models/all-minilm-l6-v2, fetched by scripts/setup): loading it, embedding
//! a query and the bundled notes, the memory it takes, a search by words beside
//! the same search with meaning fused in, and brute-force cosine over 100,000
//! passages. Run with `cargo bench --bench meaning`.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rehearse::meaning::{DIMENSIONS, Embedder, SectionVectors, Vector};
use rehearse::{Library, LibraryConfig, SearchRequest};
use timing::{median, ms};

mod timing;

/// Queries as people type them: plain words and ideas in their own words.
const QUERIES: [&str; 8] = [
    "goroutine",
    "sync.WaitGroup",
    "database sharding",
    "race condition",
    "split one big database across several machines",
    "a lighter alternative to virtual machines",
    "stop forged requests from another site",
    "give up on a call that takes too long",
];

fn main() {
    let model = Embedder::default_dir().expect("the model is installed: run scripts/setup");
    let rss_before = rss_mib();
    let started = Instant::now();
    let embedder = Embedder::load(&model).expect("the model loads");
    println!(
        "model load: {:.0} ms, +{} MiB resident; weights {:.1} MB on disk",
        ms(started.elapsed()),
        rss_mib().saturating_sub(rss_before),
        std::fs::metadata(model.join("model.safetensors"))
            .map(|m| m.len())
            .unwrap_or(0) as f64
            / 1e6
    );
    let sentence = "How does the Go scheduler handle a goroutine blocking on a channel?";
    embedder.embed_one(sentence).expect("warm-up");
    let one = median(RUNS, || {
        std::hint::black_box(embedder.embed_one(sentence).expect("embeds"));
    });
    println!(
        "one short query embedded: {:.1} ms (median of {RUNS})",
        ms(one)
    );
    drop(embedder);

    let data = tempfile::tempdir().expect("a temporary folder");
    let config = LibraryConfig::new(
        vec![LibraryConfig::bundled_notes_dir()],
        data.path().to_path_buf(),
    );
    let library = Library::open(config.clone()).expect("the bundled notes open");
    let rss_open = rss_mib();
    let started = Instant::now();
    let built = library
        .enable_meaning(&mut |_, _| {}, &AtomicBool::new(false))
        .expect("the model loads");
    println!(
        "bundled notes, first start: {} sections, {} passages embedded in {:.1} s ({:.1} ms a section); +{} MiB resident with the model and vectors",
        built.embedded,
        built.passages,
        started.elapsed().as_secs_f64(),
        ms(started.elapsed()) / built.embedded.max(1) as f64,
        rss_mib().saturating_sub(rss_open)
    );
    drop(library);
    let library = Library::open(config).expect("the bundled notes open again");
    let started = Instant::now();
    let again = library
        .enable_meaning(&mut |_, _| {}, &AtomicBool::new(false))
        .expect("the model loads");
    println!(
        "bundled notes, second start: model + vectors ready in {:.0} ms ({} embedded, {} reused)",
        ms(started.elapsed()),
        again.embedded,
        again.reused
    );

    println!("\n| query | words (ms) | words + meaning (ms) | ratio |\n|---|---:|---:|---:|");
    for query in QUERIES {
        let request = SearchRequest::new(query);
        let words = median(RUNS, || drop(library.search(&request).expect("searches")));
        let hybrid = median(RUNS, || {
            drop(library.search_hybrid(&request).expect("searches"))
        });
        println!(
            "| {query} | {:.2} | {:.2} | {:.1}× |",
            ms(words),
            ms(hybrid),
            hybrid.as_secs_f64() / words.as_secs_f64()
        );
    }

    brute_force_over_100k_passages();
}

/// 25,000 sections of four passages each, random unit vectors written in the
/// file format `SectionVectors` documents (rows of bytes with a scale each),
/// then read back and searched.
fn brute_force_over_100k_passages() {
    const SECTIONS: usize = 25_000;
    const PASSAGES: usize = 4;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut random = xorshift(0x2545_f491_4f6c_dd1d);
    let mut file = Vec::new();
    file.extend_from_slice(b"RHVECS02");
    file.extend_from_slice(&[0; 32]);
    for n in [DIMENSIONS, SECTIONS, SECTIONS * PASSAGES] {
        file.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for section in 0..SECTIONS {
        let id = format!("note-{}.md#section-{section}", section / 100);
        file.extend_from_slice(&(id.len() as u32).to_le_bytes());
        file.extend_from_slice(id.as_bytes());
        file.extend_from_slice(&[0; 32]);
        file.extend_from_slice(&(PASSAGES as u32).to_le_bytes());
        for passage in 0..PASSAGES {
            file.extend_from_slice(&((section * PASSAGES + passage) as u32).to_le_bytes());
            file.extend_from_slice(&[0xff; 8]);
        }
    }
    for _ in 0..SECTIONS * PASSAGES {
        let values = unit(&mut random).0;
        let scale = values.iter().fold(0.0f32, |m, v| m.max(v.abs())) / 127.0;
        file.extend_from_slice(&scale.to_le_bytes());
        file.extend(values.iter().map(|v| (v / scale).round() as i8 as u8));
    }
    let checksum = blake3::hash(&file);
    file.extend_from_slice(checksum.as_bytes());
    std::fs::write(dir.path().join("sections.vectors"), &file).expect("the file is written");

    let started = Instant::now();
    let vectors = SectionVectors::open(dir.path());
    let open = started.elapsed();
    assert_eq!(vectors.rows(), SECTIONS * PASSAGES, "the file reads back");
    let query = unit(&mut random);
    let search = median(RUNS, || {
        drop(std::hint::black_box(vectors.search(&query, 20)))
    });
    println!(
        "\n100,000 passages in 25,000 sections: file {:.0} MB, open {:.0} ms, search (top 20) {:.1} ms",
        file.len() as f64 / 1e6,
        ms(open),
        ms(search)
    );
}

const RUNS: usize = 21;

fn xorshift(mut seed: u64) -> impl FnMut() -> f32 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }
}

fn unit(random: &mut impl FnMut() -> f32) -> Vector {
    let mut values = [0.0; DIMENSIONS];
    values.iter_mut().for_each(|v| *v = random());
    Vector::normalized(values)
}

fn rss_mib() -> u64 {
    let status = std::fs::read_to_string(Path::new("/proc/self/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024)
}

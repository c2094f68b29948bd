//! The sentence-embedding model (offline), section vectors, similarity.
//!
//! Rehearse finds a section by what it means as well as by its words: a small
//! sentence-embedding model, [all-MiniLM-L6-v2] (384 dimensions, Apache-2.0,
//! see `docs/model-licence.md`), turns a query and every section into
//! [`Vector`]s, and the sections whose vectors point the same way as the
//! query's are the ones that mean the same thing. Everything runs on the CPU
//! from files on disk; nothing here touches the network.
//!
//! - [`Embedder`] loads the model and turns text into unit-length vectors.
//! - [`SectionVectors`] is the vector index of sections, kept on disk and keyed
//!   by each section's content hash, so an unchanged section is embedded once.
//!
//! # Where the model is found
//!
//! [`Embedder::default_dir`] looks first at `REHEARSE_MODEL_DIR`, then in an
//! installed package's resource folder (`/usr/lib/Rehearse/model/`), then, for
//! a cargo build, at `models/all-minilm-l6-v2/` in the source tree, where
//! `scripts/setup` puts it; the whole order is in `src/resources.rs`.
//!
//! The folder holds `model.safetensors`, `tokenizer.json` and `config.json`.
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use rehearse::meaning::{Embedder, SectionText, SectionVectors};
//!
//! let embedder = Embedder::load(&Embedder::default_dir().expect("the model is installed"))?;
//! let mut vectors = SectionVectors::open("/tmp/rehearse/vectors".as_ref());
//! let sections = [SectionText {
//!     id: "notes.md#sharding",
//!     title: "Explain the concept of sharding",
//!     text: "Sharding partitions data across machines…",
//! }];
//! vectors.sync(&embedder, &sections, &mut |_, _| {}, &AtomicBool::new(false))?;
//! let query = embedder.embed_one("split one big database across several machines")?;
//! for hit in vectors.search(&query, 5) {
//!     println!("{:.2}  {}", hit.score, hit.id);
//! }
//! # Ok::<(), rehearse::Error>(())
//! ```
//!
//! [all-MiniLM-L6-v2]: https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2

mod model;
mod vectors;

pub use model::{Embedder, Passage};
pub use vectors::{SectionHit, SectionText, SectionVectors, SyncReport};

/// How many numbers the model gives for one text.
pub const DIMENSIONS: usize = 384;

/// What the model makes of one text: a direction in 384 dimensions, of length 1,
/// so the dot product of two vectors is their cosine similarity.
#[derive(Clone, PartialEq)]
pub struct Vector(pub [f32; DIMENSIONS]);

impl Vector {
    /// Scales `values` to unit length. All zeros (which the model does not
    /// produce, but a damaged file could) stays all zeros and so matches nothing.
    pub fn normalized(mut values: [f32; DIMENSIONS]) -> Vector {
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 && norm.is_finite() {
            values.iter_mut().for_each(|v| *v /= norm);
        } else {
            values = [0.0; DIMENSIONS];
        }
        Vector(values)
    }

    /// Cosine similarity: 1 for the same meaning, around 0 for unrelated texts.
    pub fn similarity(&self, other: &Vector) -> f32 {
        dot(&self.0, &other.0)
    }

    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }
}

impl std::fmt::Debug for Vector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vector[{:.4}, {:.4}, …]", self.0[0], self.0[1])
    }
}

/// Eight independent sums so the compiler keeps them in SIMD lanes; a single
/// running sum is a dependency chain it may not reorder.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_blocks, a_rest) = a.as_chunks::<8>();
    let (b_blocks, b_rest) = b.as_chunks::<8>();
    for (x, y) in a_blocks.iter().zip(b_blocks) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    let rest: f32 = a_rest.iter().zip(b_rest).map(|(x, y)| x * y).sum();
    lanes.iter().sum::<f32>() + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_normalized_vector_has_unit_length_and_is_its_own_best_match() {
        let mut values = [0.0; DIMENSIONS];
        values
            .iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = i as f32 - 100.0);
        let vector = Vector::normalized(values);
        assert!((vector.similarity(&vector) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn an_all_zero_vector_stays_zero_instead_of_becoming_nan() {
        let vector = Vector::normalized([0.0; DIMENSIONS]);
        assert_eq!(vector.similarity(&vector), 0.0);
    }

    #[test]
    fn dot_matches_the_plain_sum_for_lengths_that_are_not_multiples_of_eight() {
        let a: Vec<f32> = (0..13).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..13).map(|i| 1.0 - i as f32 * 0.1).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4);
    }
}

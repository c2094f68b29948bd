//! Loading all-MiniLM-L6-v2 with candle and turning text into [`Vector`]s:
//! tokenize, run BERT, mean-pool over the real tokens, L2-normalise — what the
//! sentence-transformers library does for this model.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

use super::{DIMENSIONS, Vector};
use crate::{Error, Result};

const WEIGHTS: &str = "model.safetensors";
const TOKENIZER: &str = "tokenizer.json";
const CONFIG: &str = "config.json";

/// The model was trained on inputs of at most 256 word pieces; past that it
/// sees positions it never learned, so longer text is cut (and sections are
/// embedded in chunks, see [`Embedder::passages`]).
const MAX_TOKENS: usize = 256;

/// Word pieces of a section's body per chunk. Small chunks rank better: the
/// model averages over its tokens, and in a long chunk the one line a
/// paraphrase points at is drowned by the others. On 20 paraphrase queries over
/// the bundled notes, chunks of 64 put 17 of 20 targets in the top 3 (MRR 0.74)
/// and kept the sharding card there; 128–200 did no better overall and lost it.
const CHUNK_TOKENS: usize = 64;

/// Word pieces shared by neighbouring windows of a long line; a line this
/// short that ends a chunk also starts the next, so an idea that straddles a
/// boundary is whole in at least one chunk.
const CHUNK_OVERLAP: usize = 12;

/// Texts run through the model together, padded to the longest of them.
/// Measured on 2 cores (see `measurements_of_the_model` in tests/meaning.rs).
const BATCH: usize = 8;

/// Bumped whenever what is embedded for a section changes (chunk sizes, what
/// goes into a passage), so vectors made the old way are not mixed with new ones.
const PASSAGE_SCHEME: u32 = 1;

/// Texts whose vectors [`Embedder::embed_recalled`] keeps, per generation (two
/// generations are kept): an answer being written and revealed again, or a
/// reference revealed again, is a few hundred texts; 4,096 of them hold about
/// 6 MB of vectors.
const RECALLED: usize = 4096;

/// all-MiniLM-L6-v2 on the CPU, ready to embed text. Loading takes about a
/// tenth of a second (the weights are memory-mapped); one instance can be
/// shared between threads.
pub struct Embedder {
    model: BertModel,
    /// Truncates at [`MAX_TOKENS`], never pads: the packaged `tokenizer.json`
    /// pads every input to 128 tokens, which makes every cosine ≈ 0.85 when
    /// the padding is pooled and costs 4× the time when it is not.
    tokenizer: Tokenizer,
    /// The same without truncation, to cut long sections into chunks.
    chunker: Tokenizer,
    pad_id: u32,
    fingerprint: [u8; 32],
    dir: PathBuf,
    /// Vectors of texts embedded lately through [`Embedder::embed_recalled`].
    recalled: Mutex<Recalled>,
}

/// The vectors of recent texts, in two generations: when the current one is
/// full it becomes the previous one, so what was used lately stays without
/// the bookkeeping of a least-recently-used list.
#[derive(Default)]
struct Recalled {
    current: HashMap<String, Vector>,
    previous: HashMap<String, Vector>,
}

impl Recalled {
    fn get(&mut self, text: &str) -> Option<Vector> {
        if let Some(vector) = self.current.get(text) {
            return Some(vector.clone());
        }
        let vector = self.previous.remove(text)?;
        self.insert(text.to_string(), vector.clone());
        Some(vector)
    }

    fn insert(&mut self, text: String, vector: Vector) {
        if self.current.len() >= RECALLED {
            self.previous = std::mem::take(&mut self.current);
        }
        self.current.insert(text, vector);
    }
}

/// One piece of a section that gets its own vector: the title, or a chunk of
/// the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// What is given to the model.
    pub text: String,
    /// Where the chunk lies in the section's text, in bytes; `None` for the title.
    pub range: Option<Range<usize>>,
}

impl Embedder {
    /// Loads the model from `dir` (see the module docs for what it holds).
    /// Missing or damaged files are an [`Error::Model`] naming the folder.
    pub fn load(dir: &Path) -> Result<Embedder> {
        let failed = |message: String| Error::Model {
            path: dir.to_path_buf(),
            message,
        };
        for name in [WEIGHTS, TOKENIZER, CONFIG] {
            if !dir.join(name).is_file() {
                return Err(failed(format!(
                    "{name} is missing (run scripts/setup, or set REHEARSE_MODEL_DIR to the folder that holds it)"
                )));
            }
        }
        let read =
            |name: &str| std::fs::read(dir.join(name)).map_err(|e| Error::io(dir.join(name), e));
        let config_bytes = read(CONFIG)?;
        let config: Config = serde_json::from_slice(&config_bytes)
            .map_err(|e| failed(format!("{CONFIG} is not a BERT configuration: {e}")))?;
        if config.hidden_size != DIMENSIONS {
            return Err(failed(format!(
                "{CONFIG} describes a model of {} dimensions; Rehearse uses all-MiniLM-L6-v2 ({DIMENSIONS})",
                config.hidden_size
            )));
        }

        let tokenizer_bytes = read(TOKENIZER)?;
        let mut chunker = Tokenizer::from_bytes(&tokenizer_bytes)
            .map_err(|e| failed(format!("{TOKENIZER} could not be read: {e}")))?;
        chunker.with_padding(None);
        chunker
            .with_truncation(None)
            .map_err(|e| failed(format!("{TOKENIZER}: {e}")))?;
        let mut tokenizer = chunker.clone();
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| failed(format!("{TOKENIZER}: {e}")))?;
        let pad_id = tokenizer.token_to_id("[PAD]").unwrap_or(0);

        let weights = dir.join(WEIGHTS);
        let fingerprint = fingerprint(&config_bytes, &tokenizer_bytes, &weights)?;
        // SAFETY: the file is mapped read-only; Rehearse never writes it, and
        // scripts/setup replaces it by rename, which leaves a mapping intact.
        let vars =
            unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &Device::Cpu) }
                .map_err(|e| failed(format!("{WEIGHTS} could not be read: {e}")))?;
        let model = BertModel::load(vars, &config).map_err(|e| {
            failed(format!(
                "{WEIGHTS} does not hold the weights {CONFIG} describes: {e}"
            ))
        })?;
        Ok(Embedder {
            model,
            tokenizer,
            chunker,
            pad_id,
            fingerprint,
            dir: dir.to_path_buf(),
            recalled: Mutex::default(),
        })
    }

    /// Where the model is, when it is anywhere; see the module docs for the order.
    pub fn default_dir() -> Option<PathBuf> {
        crate::resources::MODEL.find()
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Identifies the model files and how sections are cut into passages:
    /// vectors made under another fingerprint are not comparable.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// Runs `work` (embedding a library's sections, minutes to hours) on
    /// threads of the lowest priority: candle spreads its matrix products
    /// over the rayon pool it is called from, and in the default pool they
    /// took both cores from the window, whose keystrokes then waited for a
    /// frame or two. A query's embedding, outside `work`, keeps the default.
    pub fn in_background<T: Send>(work: impl FnOnce() -> T + Send) -> T {
        static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
        let pool = POOL.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("rehearse-embed-{i}"))
                .start_handler(|_| crate::system::lowest_priority())
                .build()
                .ok()
        });
        match pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    /// One unit-length vector per text, in order. Empty text gets a vector
    /// too (of the empty sentence); text past 256 word pieces is cut there.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vector>> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| self.failed(format!("tokenizing failed: {e}")))?;
        // Batches of similar lengths waste little on padding.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| encodings[i].len());
        let mut vectors: Vec<Option<Vector>> = vec![None; texts.len()];
        for batch in order.chunks(BATCH) {
            let ids: Vec<&[u32]> = batch.iter().map(|&i| encodings[i].get_ids()).collect();
            for (&i, vector) in batch.iter().zip(self.run(&ids)?) {
                vectors[i] = Some(vector);
            }
        }
        Ok(vectors.into_iter().flatten().collect())
    }

    /// [`Embedder::embed`], running the model only for texts it has not seen
    /// lately: an answer revealed again after an edit has most of its
    /// sentences unchanged, and a reference revealed again all of them.
    /// Section vectors go through [`Embedder::embed`]: each is embedded once.
    pub fn embed_recalled(&self, texts: &[&str]) -> Result<Vec<Vector>> {
        let lock = || self.recalled.lock().unwrap_or_else(PoisonError::into_inner);
        let mut vectors: Vec<Option<Vector>> = {
            let mut recalled = lock();
            texts.iter().map(|text| recalled.get(text)).collect()
        };
        let mut seen = HashSet::new();
        let missing: Vec<&str> = texts
            .iter()
            .zip(&vectors)
            .filter(|(text, vector)| vector.is_none() && seen.insert(**text))
            .map(|(text, _)| *text)
            .collect();
        if missing.is_empty() {
            return Ok(vectors.into_iter().flatten().collect());
        }
        let fresh: HashMap<&str, Vector> =
            missing.iter().copied().zip(self.embed(&missing)?).collect();
        let mut recalled = lock();
        for (text, vector) in texts.iter().zip(&mut vectors) {
            if vector.is_none() {
                let made = fresh[text].clone();
                recalled.insert(text.to_string(), made.clone());
                *vector = Some(made);
            }
        }
        Ok(vectors.into_iter().flatten().collect())
    }

    /// [`Embedder::embed`] for a single text, such as a query.
    pub fn embed_one(&self, text: &str) -> Result<Vector> {
        let mut vectors = self.embed(&[text])?;
        Ok(vectors.remove(0))
    }

    /// What gets a vector for a section: its title, then its body in chunks of
    /// whole lines of about 64 word pieces (a line longer than that is cut
    /// into overlapping windows of whole words). A chunk is embedded as it is:
    /// putting the title in front of each made paraphrases rank worse (MRR
    /// 0.65 against 0.72 on the bundled notes), as the title then dominates
    /// every chunk. An empty body gives the title alone.
    pub fn passages(&self, title: &str, text: &str) -> Result<Vec<Passage>> {
        let mut passages = vec![Passage {
            text: title.trim().to_string(),
            range: None,
        }];
        for range in self.chunk_ranges(text)? {
            passages.push(Passage {
                text: text[range.clone()].to_string(),
                range: Some(range),
            });
        }
        Ok(passages)
    }

    /// Byte ranges of `text`, each at most about [`CHUNK_TOKENS`] word pieces,
    /// never splitting a word.
    fn chunk_ranges(&self, text: &str) -> Result<Vec<Range<usize>>> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(Vec::new());
        }
        let encoding = self
            .chunker
            .encode(text, false)
            .map_err(|e| self.failed(format!("tokenizing failed: {e}")))?;
        let offsets = encoding.get_offsets();
        let (chunk_tokens, overlap) = (CHUNK_TOKENS, CHUNK_OVERLAP);
        if offsets.len() <= chunk_tokens {
            let start = text.len() - text.trim_start().len();
            let whole = start..start + trimmed.len();
            return Ok(vec![whole]);
        }
        // Whole lines where they fit (an answer's bullet is one idea); a line
        // too long for a chunk is cut into windows of its own.
        let mut pieces: Vec<(Range<usize>, usize)> = Vec::new();
        for line in line_ranges(text) {
            let first = offsets.partition_point(|o| o.0 < line.start);
            let last = offsets.partition_point(|o| o.0 < line.end);
            match last - first {
                0 => {}
                n if n <= chunk_tokens => pieces.push((line, n)),
                _ => pieces.extend(
                    windows(text, offsets, first..last, chunk_tokens, overlap)
                        .into_iter()
                        .map(|r| (r, chunk_tokens)),
                ),
            }
        }
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            let mut j = i;
            let mut tokens = 0;
            while j < pieces.len() && (j == i || tokens + pieces[j].1 <= chunk_tokens) {
                tokens += pieces[j].1;
                j += 1;
            }
            ranges.push(pieces[i].0.start..pieces[j - 1].0.end);
            if j == pieces.len() {
                break;
            }
            // The last line is repeated at the start of the next chunk when
            // it is short, so a thought that runs over two lines stays whole.
            i = if j - i > 1 && pieces[j - 1].1 <= overlap {
                j - 1
            } else {
                j
            };
        }
        Ok(ranges)
    }

    /// Runs the model on token sequences padded to the longest, pools each over
    /// its own tokens (the attention mask), and normalises.
    fn run(&self, sequences: &[&[u32]]) -> Result<Vec<Vector>> {
        let length = sequences.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(sequences.len() * length);
        let mut mask = Vec::with_capacity(sequences.len() * length);
        for sequence in sequences {
            ids.extend_from_slice(sequence);
            ids.extend(std::iter::repeat_n(self.pad_id, length - sequence.len()));
            mask.extend(std::iter::repeat_n(1u32, sequence.len()));
            mask.extend(std::iter::repeat_n(0u32, length - sequence.len()));
        }
        let pooled = (|| {
            let shape = (sequences.len(), length);
            let ids = Tensor::from_vec(ids, shape, &Device::Cpu)?;
            let mask = Tensor::from_vec(mask, shape, &Device::Cpu)?;
            let types = ids.zeros_like()?;
            let hidden = self.model.forward(&ids, &types, Some(&mask))?;
            let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
            summed.broadcast_div(&weights.sum(1)?)?.to_vec2::<f32>()
        })()
        .map_err(|e: candle_core::Error| self.failed(format!("the model failed: {e}")))?;
        pooled
            .into_iter()
            .map(|row| {
                let values: [f32; DIMENSIONS] = row
                    .try_into()
                    .map_err(|_| self.failed("the model gave a vector of the wrong size".into()))?;
                Ok(Vector::normalized(values))
            })
            .collect()
    }

    fn failed(&self, message: String) -> Error {
        Error::Model {
            path: self.dir.clone(),
            message,
        }
    }
}

/// Windows of `size` tokens (of `tokens`) overlapping by `overlap`, as byte
/// ranges of `text` widened to whole words.
fn windows(
    text: &str,
    offsets: &[(usize, usize)],
    tokens: Range<usize>,
    size: usize,
    overlap: usize,
) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut first = tokens.start;
    loop {
        let last = (first + size).min(tokens.end);
        ranges.push(word_start(text, offsets[first].0)..word_end(text, offsets[last - 1].1));
        if last == tokens.end {
            return ranges;
        }
        first = last - overlap;
    }
}

/// The byte ranges of the lines of `text` that hold more than whitespace,
/// without their surrounding whitespace.
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let at = start;
        start += line.len();
        let trimmed = line.trim_start();
        let from = at + line.len() - trimmed.len();
        let trimmed = trimmed.trim_end();
        (!trimmed.is_empty()).then_some(from..from + trimmed.len())
    })
}

/// Back to the whitespace before `at`, so a chunk starts at a word.
fn word_start(text: &str, at: usize) -> usize {
    text[..at].rfind(char::is_whitespace).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    })
}

/// On to the whitespace after `at`, so a chunk ends at a word.
fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i)
}

/// Cheap and sure enough: the small files whole, and of the 45 MB of weights
/// their size, their header (every tensor's name, shape and offset) and a
/// sample of every mebibyte. A different model or a different way of cutting
/// passages gives a different fingerprint.
fn fingerprint(config: &[u8], tokenizer: &[u8], weights: &Path) -> Result<[u8; 32]> {
    use std::io::{Read, Seek, SeekFrom};
    let mut hasher = blake3::Hasher::new();
    hasher.update(&PASSAGE_SCHEME.to_le_bytes());
    hasher.update(config);
    hasher.update(tokenizer);
    let mut file = std::fs::File::open(weights).map_err(|e| Error::io(weights, e))?;
    let size = file.metadata().map_err(|e| Error::io(weights, e))?.len();
    hasher.update(&size.to_le_bytes());
    let mut sample = vec![0u8; 64 * 1024];
    let mut offset = 0;
    while offset < size {
        let read = file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| file.read(&mut sample))
            .map_err(|e| Error::io(weights, e))?;
        hasher.update(&sample[..read]);
        offset += 1024 * 1024;
    }
    Ok(*hasher.finalize().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_edges_move_to_whitespace_so_words_stay_whole() {
        let text = "alpha beta gamma";
        assert_eq!(
            word_start(text, 8),
            6,
            "inside `beta` goes back to its start"
        );
        assert_eq!(word_end(text, 8), 10, "inside `beta` goes on to its end");
        assert_eq!(word_start(text, 2), 0);
        assert_eq!(word_end(text, 13), text.len());
    }

    #[test]
    fn chunk_edges_respect_multibyte_whitespace() {
        let text = "a\u{3000}bc";
        assert_eq!(word_start(text, 5), 4);
    }
}

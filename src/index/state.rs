//! What the index holds besides Tantivy's files: the version (blake3) of
//! every note indexed and the notes' modules. A small header, read at every
//! open, says how many notes and an order-free digest of their versions, so
//! an unchanged library is recognised by one comparison with the catalog;
//! the versions themselves sit in an append-only journal read only when the
//! index is updated. An update appends what it changed (the whole state in
//! JSON was 8 MB at 50,000 notes, rewritten on every save); the journal is
//! rewritten whole once it is mostly stale. The header is written last and
//! names the journal's length and checksum: bytes after it (a write cut
//! short) are not read, and a journal that disagrees with the header
//! (checksum, count or digest) is not trusted — the index is then rebuilt.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::binary::{Reader, put_str, put_strs};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

const HEADER_FILE: &str = "rehearse-index.json";
const JOURNAL_FILE: &str = "rehearse-index.journal";

const SET: u8 = 1;
const GONE: u8 = 2;
const MODULES: u8 = 3;

/// The header: read on every open, written after every commit.
#[derive(Default, Clone, Serialize, Deserialize)]
pub(super) struct Header {
    pub schema_version: u32,
    pub stemmer: String,
    /// The boot the index was last written in (see `directory.rs`).
    #[serde(default)]
    pub boot: Option<String>,
    pub notes: usize,
    /// [`Digest`] of the notes' versions, in hex.
    pub digest: String,
    /// Whether the modules of the notes indexed are recorded.
    pub modules: bool,
    journal_bytes: u64,
    journal_records: usize,
    /// CRC-32 of those bytes: a damaged journal is not believed.
    #[serde(default)]
    journal_crc: u32,
}

/// An order-free digest of a set of (note id, version) pairs: the wrapping
/// sum of each pair's value, so one pair can be taken out and another put
/// in without the rest. A version is a blake3 in hex already; its first 128
/// bits are mixed with a 64-bit FNV-1a of the id (a cryptographic hash of
/// each pair cost 40 ms of a search's open at 50,000 notes). The digest
/// tells an unchanged library from one that changed by accident, not from
/// an adversary.
#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Digest(u128);

impl Digest {
    fn of(id: &str, hash: &str) -> u128 {
        let fnv = |bytes: &[u8], mut h: u64| {
            for &b in bytes {
                h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
            h
        };
        let name = fnv(id.as_bytes(), 0xcbf2_9ce4_8422_2325);
        let version = hash
            .get(..32)
            .and_then(|hex| u128::from_str_radix(hex, 16).ok())
            .unwrap_or_else(|| u128::from(fnv(hash.as_bytes(), name)));
        let spread = u128::from(name).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        version ^ spread
    }

    pub fn add(&mut self, id: &str, hash: &str) {
        self.0 = self.0.wrapping_add(Self::of(id, hash));
    }

    fn remove(&mut self, id: &str, hash: &str) {
        self.0 = self.0.wrapping_sub(Self::of(id, hash));
    }

    fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// The versions and modules, as the journal holds them.
#[derive(Default)]
pub(super) struct Versions {
    pub notes: FxHashMap<String, String>,
    pub modules: Option<Vec<String>>,
}

pub(super) struct State {
    dir: PathBuf,
    pub header: Header,
    /// Read from the journal when first needed.
    versions: Option<Versions>,
}

impl State {
    pub fn new(dir: &Path, schema_version: u32, stemmer: &str) -> State {
        State {
            dir: dir.to_path_buf(),
            header: Header {
                schema_version,
                stemmer: stemmer.to_string(),
                digest: Digest::default().hex(),
                ..Header::default()
            },
            versions: Some(Versions::default()),
        }
    }

    pub fn read(dir: &Path) -> Result<State, String> {
        let text = std::fs::read_to_string(dir.join(HEADER_FILE)).map_err(|e| e.to_string())?;
        let header: Header = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok(State {
            dir: dir.to_path_buf(),
            header,
            versions: None,
        })
    }

    /// Whether the index holds exactly the notes whose versions are `digest`.
    pub fn holds(&self, notes: usize, digest: Digest) -> bool {
        self.header.notes == notes && self.header.digest == digest.hex()
    }

    /// The versions, read from the journal the first time; `None` when the
    /// journal disagrees with the header (the index must be rebuilt).
    pub fn versions(&mut self) -> Option<&Versions> {
        if self.versions.is_none() {
            let versions = self.read_journal()?;
            self.versions = Some(versions);
        }
        self.versions.as_ref()
    }

    pub fn read_journal(&self) -> Option<Versions> {
        let mut versions = Versions::default();
        if self.header.journal_bytes == 0 {
            return (self.header.notes == 0).then_some(versions);
        }
        let bytes = std::fs::read(self.dir.join(JOURNAL_FILE)).ok()?;
        let bytes = bytes.get(..self.header.journal_bytes as usize)?;
        if crc32fast::hash(bytes) != self.header.journal_crc {
            return None;
        }
        let mut r = Reader::new(bytes);
        while !r.bytes.is_empty() {
            match r.u8()? {
                SET => {
                    let id = r.str()?;
                    let hash = r.str()?;
                    versions.notes.insert(id.to_string(), hash.to_string());
                }
                GONE => {
                    versions.notes.remove(r.str()?);
                }
                MODULES => {
                    let n = r.u32()?;
                    let mut modules = Vec::with_capacity(n.min(r.bytes.len() / 4));
                    for _ in 0..n {
                        modules.push(r.str()?.to_string());
                    }
                    versions.modules = Some(modules);
                }
                _ => return None,
            }
        }
        let mut digest = Digest::default();
        for (id, hash) in &versions.notes {
            digest.add(id, hash);
        }
        (self.holds(versions.notes.len(), digest)
            && versions.modules.is_some() == self.header.modules)
            .then_some(versions)
    }

    /// Records a commit: the notes set to new versions, those removed, and
    /// the modules when they changed. Appends to the journal, or rewrites it
    /// when mostly stale, then writes the header.
    pub fn record(
        &mut self,
        set: &[(&str, &str)],
        removed: &[&str],
        modules: Option<&[String]>,
        boot: Option<String>,
    ) -> std::io::Result<()> {
        let (mut versions, mut digest) = match self.versions.take().or_else(|| self.read_journal())
        {
            Some(versions) => (
                versions,
                Digest(u128::from_str_radix(&self.header.digest, 16).unwrap_or(0)),
            ),
            // A journal not to be trusted: from here on it holds this commit
            // alone, and the notes missing from it are indexed again.
            None => {
                self.header.journal_bytes = 0;
                (Versions::default(), Digest::default())
            }
        };
        let mut out = Vec::new();
        for id in removed {
            if let Some(old) = versions.notes.remove(*id) {
                digest.remove(id, &old);
                out.push(GONE);
                put_str(&mut out, id);
                self.header.journal_records += 1;
            }
        }
        for (id, hash) in set {
            if let Some(old) = versions.notes.insert(id.to_string(), hash.to_string()) {
                digest.remove(id, &old);
            }
            digest.add(id, hash);
            out.push(SET);
            put_str(&mut out, id);
            put_str(&mut out, hash);
            self.header.journal_records += 1;
        }
        if let Some(modules) = modules {
            put_modules(&mut out, modules);
            versions.modules = Some(modules.to_vec());
            self.header.journal_records += 1;
        }
        let path = self.dir.join(JOURNAL_FILE);
        if self.header.journal_records > 2 * versions.notes.len() + 64
            || self.header.journal_bytes == 0
        {
            let mut whole = Vec::new();
            let mut records = 0;
            for (id, hash) in &versions.notes {
                whole.push(SET);
                put_str(&mut whole, id);
                put_str(&mut whole, hash);
                records += 1;
            }
            if let Some(modules) = &versions.modules {
                put_modules(&mut whole, modules);
                records += 1;
            }
            let temporary = self
                .dir
                .join(format!("{JOURNAL_FILE}.{}.tmp", std::process::id()));
            std::fs::write(&temporary, &whole)?;
            std::fs::rename(&temporary, &path)?;
            self.header.journal_bytes = whole.len() as u64;
            self.header.journal_records = records;
            self.header.journal_crc = crc32fast::hash(&whole);
        } else {
            let mut file = OpenOptions::new().write(true).open(&path)?;
            // A tail the header does not name was cut short: written over.
            file.set_len(self.header.journal_bytes)?;
            append(&mut file, self.header.journal_bytes, &out)?;
            self.header.journal_bytes += out.len() as u64;
            let mut crc = crc32fast::Hasher::new_with_initial(self.header.journal_crc);
            crc.update(&out);
            self.header.journal_crc = crc.finalize();
        }
        self.header.notes = versions.notes.len();
        self.header.digest = digest.hex();
        self.header.modules = versions.modules.is_some();
        self.header.boot = boot;
        self.versions = Some(versions);
        self.write_header()
    }

    pub fn write_header(&self) -> std::io::Result<()> {
        let path = self.dir.join(HEADER_FILE);
        let temporary = self
            .dir
            .join(format!("{HEADER_FILE}.{}.tmp", std::process::id()));
        let text = serde_json::to_string(&self.header).expect("the index header serializes");
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, &path)
    }
}

fn append(file: &mut File, at: u64, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(at))?;
    file.write_all(bytes)
}

fn put_modules(out: &mut Vec<u8>, modules: &[String]) {
    out.push(MODULES);
    put_strs(out, modules);
}

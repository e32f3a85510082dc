//! Reading entries out of an EPUB's zip container, safely and forgivingly.
//!
//! Safety: entries are only ever read into memory, one at a time, through a size cap, and the
//! bytes read over the whole book are capped too; so a zip bomb or an absurd entry is refused
//! with bounded memory, and since nothing is written under an entry's own name (images are
//! stored under their content hash), names like `../x` or `/etc/x` cannot place files
//! anywhere. Symbolic-link entries are refused.
//!
//! Forgiveness: hrefs are matched exactly, then percent-decoded, then case-insensitively, as
//! reading systems do. A zip whose central directory is missing or damaged is salvaged by
//! walking its local headers until the damage.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use zip::ZipArchive;

/// Largest single entry we read (a chapter or an image).
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// Most bytes read from one book, all entries together.
pub const MAX_TOTAL_BYTES: u64 = 1 << 30;
/// Expansion ratio beyond which a large entry is taken for a zip bomb.
const MAX_RATIO: u64 = 200;
const MAX_ENTRIES: usize = 50_000;

#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    #[error("no such file in the EPUB")]
    Missing,
    #[error("refused: {size} bytes uncompressed is more than the {MAX_ENTRY_BYTES}-byte limit")]
    TooLarge { size: u64 },
    #[error("refused: expands {ratio}× ({size} bytes) — looks like a zip bomb")]
    Bomb { size: u64, ratio: u64 },
    #[error("refused: the book has already used its {MAX_TOTAL_BYTES}-byte read allowance")]
    BudgetSpent,
    #[error("refused: a symbolic link")]
    Symlink,
    #[error("cannot be read: {0}")]
    Corrupt(String),
}

enum Store {
    Zip(ZipArchive<File>),
    /// Entries recovered from a damaged zip, read eagerly (within the same limits).
    Salvaged(HashMap<String, Vec<u8>>),
}

pub struct Archive {
    store: Store,
    names: Vec<String>,
    exact: HashSet<String>,
    by_lower: HashMap<String, String>,
    read_so_far: u64,
    /// Set when the zip had to be salvaged: the reason, for a warning.
    pub salvaged: Option<String>,
}

impl Archive {
    pub fn open(path: &Path) -> Result<Archive, String> {
        let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        match ZipArchive::new(file) {
            Ok(zip) => {
                if zip.len() > MAX_ENTRIES {
                    return Err(format!(
                        "the zip holds {} entries, more than the {MAX_ENTRIES} an EPUB could need",
                        zip.len()
                    ));
                }
                let names = zip.file_names().map(str::to_owned).collect();
                Ok(Archive::new(Store::Zip(zip), names, None))
            }
            Err(e) => {
                let reason = e.to_string();
                let entries = salvage(path)?;
                if entries.is_empty() {
                    return Err(format!("not a zip file ({reason})"));
                }
                let names = entries.keys().cloned().collect();
                Ok(Archive::new(Store::Salvaged(entries), names, Some(reason)))
            }
        }
    }

    fn new(store: Store, names: Vec<String>, salvaged: Option<String>) -> Archive {
        let by_lower = names
            .iter()
            .map(|n| (n.to_lowercase(), n.clone()))
            .collect();
        Archive {
            store,
            exact: names.iter().cloned().collect(),
            names,
            by_lower,
            read_so_far: 0,
            salvaged,
        }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The entry an href (already resolved to a full path) names: exact, percent-decoded,
    /// then ignoring case. The second value says a forgiving match was needed.
    pub fn find(&self, path: &str) -> Option<(String, bool)> {
        if self.exact.contains(path) {
            return Some((path.to_owned(), false));
        }
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        if decoded != path && self.exact.contains(&decoded) {
            return Some((decoded, false));
        }
        for candidate in [path, decoded.as_str()] {
            if let Some(name) = self.by_lower.get(&candidate.to_lowercase()) {
                return Some((name.clone(), true));
            }
        }
        None
    }

    /// Reads one entry (by its exact name) within the limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, EntryError> {
        let budget = MAX_TOTAL_BYTES.saturating_sub(self.read_so_far);
        if budget == 0 {
            return Err(EntryError::BudgetSpent);
        }
        let bytes = match &mut self.store {
            Store::Salvaged(map) => map.get(name).cloned().ok_or(EntryError::Missing)?,
            Store::Zip(zip) => {
                let entry = zip.by_name(name).map_err(|e| match e {
                    zip::result::ZipError::FileNotFound => EntryError::Missing,
                    other => EntryError::Corrupt(other.to_string()),
                })?;
                if entry.is_symlink() {
                    return Err(EntryError::Symlink);
                }
                check_size(entry.size(), entry.compressed_size())?;
                read_capped(entry, budget)?
            }
        };
        self.read_so_far += bytes.len() as u64;
        Ok(bytes)
    }
}

fn check_size(size: u64, compressed: u64) -> Result<(), EntryError> {
    if size > MAX_ENTRY_BYTES {
        return Err(EntryError::TooLarge { size });
    }
    let ratio = size / compressed.max(1);
    if size > (8 << 20) && ratio > MAX_RATIO {
        return Err(EntryError::Bomb { size, ratio });
    }
    Ok(())
}

/// Reads at most the entry cap (and the remaining budget), whatever the header claimed.
fn read_capped(entry: impl Read, budget: u64) -> Result<Vec<u8>, EntryError> {
    let cap = MAX_ENTRY_BYTES.min(budget);
    let mut bytes = Vec::new();
    entry
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| EntryError::Corrupt(e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(if cap < MAX_ENTRY_BYTES {
            EntryError::BudgetSpent
        } else {
            EntryError::TooLarge {
                size: bytes.len() as u64,
            }
        });
    }
    Ok(bytes)
}

/// Walks the local file headers of a zip whose central directory cannot be read, keeping
/// every entry that reads cleanly until the first damage.
fn salvage(path: &Path) -> Result<HashMap<String, Vec<u8>>, String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut reader = BufReader::new(file);
    let mut entries = HashMap::new();
    let mut total = 0u64;
    while entries.len() < MAX_ENTRIES {
        let entry = match zip::read::read_zipfile_from_stream(&mut reader) {
            Ok(Some(entry)) => entry,
            Ok(None) | Err(_) => break,
        };
        if entry.is_dir() || entry.is_symlink() {
            continue;
        }
        let name = entry.name().to_owned();
        if check_size(entry.size(), entry.compressed_size()).is_err() {
            break;
        }
        match read_capped(entry, MAX_TOTAL_BYTES - total) {
            Ok(bytes) => {
                total += bytes.len() as u64;
                entries.insert(name, bytes);
            }
            Err(_) => break,
        }
    }
    Ok(entries)
}

/// Resolves an href found in `base` (an entry path) to an entry path: relative to the
/// base's folder, `.` and `..` applied, never climbing above the root; a leading `/` means
/// the root. The fragment and query are dropped.
pub fn resolve(base: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = Vec::new();
    if !href.starts_with('/') {
        parts.extend(
            base.rsplit_once('/')
                .map(|(dir, _)| dir)
                .unwrap_or("")
                .split('/'),
        );
    }
    for segment in href.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("/")
}

/// The fragment of an href, percent-decoded.
pub fn fragment(href: &str) -> Option<String> {
    let (_, frag) = href.split_once('#')?;
    (!frag.is_empty()).then(|| {
        percent_encoding::percent_decode_str(frag)
            .decode_utf8_lossy()
            .into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_inside_the_archive() {
        assert_eq!(
            resolve("OEBPS/content.opf", "text/ch1.xhtml"),
            "OEBPS/text/ch1.xhtml"
        );
        assert_eq!(
            resolve("OEBPS/text/ch1.xhtml", "../images/a.png#x"),
            "OEBPS/images/a.png"
        );
        assert_eq!(resolve("content.opf", "ch1.xhtml"), "ch1.xhtml");
        assert_eq!(
            resolve("OEBPS/a.xhtml", "../../../etc/passwd"),
            "etc/passwd"
        );
        assert_eq!(resolve("OEBPS/a.xhtml", "/abs/x.png"), "abs/x.png");
        assert_eq!(resolve("OEBPS/a.xhtml", "./b.xhtml"), "OEBPS/b.xhtml");
    }

    #[test]
    fn fragments_are_decoded() {
        assert_eq!(fragment("a.xhtml#ch%201").as_deref(), Some("ch 1"));
        assert_eq!(fragment("a.xhtml"), None);
        assert_eq!(fragment("a.xhtml#"), None);
    }

    #[test]
    fn bombs_are_refused_before_reading() {
        assert!(matches!(
            check_size(100 << 20, 1 << 20),
            Err(EntryError::TooLarge { .. })
        ));
        assert!(matches!(
            check_size(60 << 20, 1 << 10),
            Err(EntryError::Bomb { .. })
        ));
        assert!(check_size(60 << 20, 30 << 20).is_ok());
        assert!(check_size(1 << 20, 10).is_ok());
    }

    #[test]
    fn lying_headers_are_capped_while_reading() {
        let zeros = std::io::repeat(0).take(MAX_ENTRY_BYTES + 10);
        assert!(matches!(
            read_capped(zeros, MAX_TOTAL_BYTES),
            Err(EntryError::TooLarge { .. })
        ));
        let small = std::io::repeat(0).take(100);
        assert!(matches!(
            read_capped(small, 50),
            Err(EntryError::BudgetSpent)
        ));
    }
}

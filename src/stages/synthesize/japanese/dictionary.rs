//! The Japanese dictionary: MeCab sources in, a compiled vibrato dictionary out, built once.
//!
//! `make assets` installs IPADIC's sources (the lexicon `*.csv`, `matrix.def`, `char.def`,
//! `unk.def`) into `models/ja/ipadic/`; any MeCab source dictionary in the same layout works the
//! same way. Compiling them takes a few seconds (IPADIC: about 4 s, 48 MB), so the first use saves the result beside
//! them (`models/ja/ipadic.vibrato`, written under a temporary name and renamed into place) and
//! later uses only read that. When the models directory cannot be written, the compiled
//! dictionary is kept in memory for this run and the log says so once.
//!
//! The compiled file starts with a header naming what it was built from: the format version,
//! vibrato's version and each source file's name and size. A full content hash would cost
//! about half a second on every load, which is most of the load itself, and the sources are
//! checksummed when installed; a size is enough to notice a replaced dictionary. A header
//! that does not match, or a file vibrato cannot read, means a rebuild, never an error.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use vibrato::{Dictionary, SystemDictionaryBuilder};

use crate::workdir::fsutil::AtomicFile;

/// The directory, under `models/ja/`, that `make assets` installs the sources into.
pub const SOURCES_DIR: &str = "ipadic";

/// Bump when the header or the way the dictionary is built changes.
const FORMAT: u32 = 1;
/// The first line of a compiled file.
const MAGIC: &str = "bookvoice japanese dictionary";
/// The files besides the lexicon a MeCab source dictionary must have.
const DEFINITIONS: [&str; 3] = ["matrix.def", "char.def", "unk.def"];

/// Set once the log has said that a compiled dictionary could not be saved.
static UNSAVED_LOGGED: AtomicBool = AtomicBool::new(false);

/// Where one dictionary's sources and compiled form live.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub sources: PathBuf,
    pub compiled: PathBuf,
}

impl Location {
    /// `dir` is either `models/ja` (holding `ipadic/`, `ipadic.vibrato` or both) or a MeCab
    /// source dictionary itself, whose compiled form then sits beside it as `<dir>.vibrato`.
    pub fn of(dir: &Path) -> Location {
        if dir.join("matrix.def").is_file() {
            let mut compiled = dir.as_os_str().to_owned();
            compiled.push(".vibrato");
            return Location {
                sources: dir.to_path_buf(),
                compiled: PathBuf::from(compiled),
            };
        }
        Location {
            sources: dir.join(SOURCES_DIR),
            compiled: dir.join(format!("{SOURCES_DIR}.vibrato")),
        }
    }

    /// Whether there is something to load: sources or a compiled dictionary.
    #[cfg(test)]
    pub fn exists(&self) -> bool {
        self.sources.join("matrix.def").is_file() || self.compiled.is_file()
    }
}

/// The source files, the lexicon in name order and then the definitions, with their sizes.
fn source_files(sources: &Path) -> anyhow::Result<Vec<(PathBuf, u64)>> {
    let entries = std::fs::read_dir(sources).with_context(|| {
        format!(
            "cannot list the dictionary sources in {}",
            sources.display()
        )
    })?;
    let mut lexicon = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", sources.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "csv") {
            lexicon.push(path);
        }
    }
    if lexicon.is_empty() {
        bail!("no lexicon (*.csv) in {}", sources.display());
    }
    lexicon.sort();
    lexicon.extend(DEFINITIONS.iter().map(|n| sources.join(n)));
    lexicon
        .into_iter()
        .map(|path| {
            let len = std::fs::metadata(&path)
                .with_context(|| format!("cannot read {}", path.display()))?
                .len();
            Ok((path, len))
        })
        .collect()
}

/// The header a compiled dictionary built from `files` carries.
fn header(files: &[(PathBuf, u64)]) -> String {
    let mut out = format!("{MAGIC}\nformat {FORMAT}, vibrato 0.5\n");
    for (path, len) in files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        out.push_str(&format!("{name} {len}\n"));
    }
    out.push('\n');
    out
}

/// Reads a compiled dictionary whose header is `expected` (any header when the sources are
/// gone), or `None` when it was built from something else.
fn read_compiled(path: &Path, expected: Option<&str>) -> anyhow::Result<Option<Dictionary>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut found = String::new();
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 || (found.is_empty() && line.trim_end() != MAGIC) {
            bail!("{} is not a compiled bookvoice dictionary", path.display());
        }
        found.push_str(&line);
        if line == "\n" {
            break;
        }
    }
    if expected.is_some_and(|e| e != found) {
        return Ok(None);
    }
    let dict =
        Dictionary::read(reader).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(dict))
}

/// Compiles the sources.
fn build(sources: &Path, files: &[(PathBuf, u64)]) -> anyhow::Result<Dictionary> {
    let (lexicon, definitions) = files.split_at(files.len() - DEFINITIONS.len());
    let mut csv = Vec::with_capacity(lexicon.iter().map(|(_, n)| *n as usize + 1).sum());
    for (path, _) in lexicon {
        File::open(path)
            .and_then(|mut f| f.read_to_end(&mut csv))
            .with_context(|| format!("cannot read {}", path.display()))?;
        if !csv.ends_with(b"\n") {
            csv.push(b'\n');
        }
    }
    let open = |i: usize| {
        let path = &definitions[i].0;
        File::open(path)
            .map(BufReader::new)
            .with_context(|| format!("cannot open {}", path.display()))
    };
    SystemDictionaryBuilder::from_readers(csv.as_slice(), open(0)?, open(1)?, open(2)?)
        .with_context(|| format!("cannot compile the dictionary in {}", sources.display()))
}

/// Saves a compiled dictionary with its header, atomically.
fn save(path: &Path, header: &str, dict: &Dictionary) -> anyhow::Result<()> {
    let file = AtomicFile::create(path)?;
    let mut writer = file.writer()?;
    writer
        .write_all(header.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    dict.write(&mut writer)
        .with_context(|| format!("cannot write {}", path.display()))?;
    writer
        .flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    drop(writer);
    file.commit()?;
    Ok(())
}

/// The dictionary at `location`: the compiled one when it matches the sources, else compiled
/// from them now (and saved when possible).
pub fn load(location: &Location) -> anyhow::Result<Dictionary> {
    let have_sources = location.sources.join("matrix.def").is_file();
    if !have_sources && !location.compiled.is_file() {
        bail!(
            "no Japanese dictionary: neither {} nor {} exists. Run `make assets`",
            location.sources.display(),
            location.compiled.display()
        );
    }
    let files = if have_sources {
        Some(source_files(&location.sources)?)
    } else {
        None
    };
    let expected = files.as_deref().map(header);
    if location.compiled.is_file() {
        let started = Instant::now();
        match read_compiled(&location.compiled, expected.as_deref()) {
            Ok(Some(dict)) => {
                tracing::debug!(
                    "loaded the Japanese dictionary {} in {:.2} s",
                    location.compiled.display(),
                    started.elapsed().as_secs_f64()
                );
                return Ok(dict);
            }
            Ok(None) => tracing::info!(
                "the Japanese dictionary sources in {} changed since {} was built",
                location.sources.display(),
                location.compiled.display()
            ),
            Err(e) if files.is_some() => tracing::info!("{e:#}; building it again"),
            Err(e) => return Err(e),
        }
    }
    let (Some(files), Some(header)) = (files, expected) else {
        bail!(
            "no Japanese dictionary sources in {}",
            location.sources.display()
        );
    };

    tracing::info!(
        "building the Japanese dictionary once (about 5 s) from {}",
        location.sources.display()
    );
    let started = Instant::now();
    let dict = build(&location.sources, &files)?;
    tracing::info!(
        "built the Japanese dictionary in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = save(&location.compiled, &header, &dict)
        && !UNSAVED_LOGGED.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(
            "cannot save the compiled Japanese dictionary ({e:#}); keeping it in memory, \
             so it is built again on every run"
        );
    }
    Ok(dict)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A MeCab source dictionary of three words, enough to compile and tokenize.
    pub fn tiny_sources(dir: &Path) {
        let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
        write(
            "words.csv",
            "東京,1,1,100,名詞,固有名詞,地域,一般,*,*,東京,トウキョウ,トーキョー\n\
             へ,2,2,100,助詞,格助詞,一般,*,*,*,へ,ヘ,エ\n",
        );
        write(
            "matrix.def",
            "3 3\n0 0 0\n0 1 0\n0 2 0\n1 0 0\n1 1 0\n1 2 0\n2 0 0\n2 1 0\n2 2 0\n",
        );
        write(
            "char.def",
            "DEFAULT 0 1 0\nSPACE 0 1 0\nKANJI 0 0 2\nHIRAGANA 0 1 2\n\
             0x0020 SPACE\n0x3041..0x309F HIRAGANA\n0x4E00..0x9FFF KANJI\n",
        );
        write(
            "unk.def",
            "DEFAULT,0,0,1000,記号,一般,*,*,*,*,*\nSPACE,0,0,1000,記号,空白,*,*,*,*,*\n\
             KANJI,0,0,1000,名詞,一般,*,*,*,*,*\nHIRAGANA,0,0,1000,名詞,一般,*,*,*,*,*\n",
        );
    }

    fn words(dict: Dictionary, text: &str) -> Vec<String> {
        let tokenizer = vibrato::Tokenizer::new(dict);
        let mut worker = tokenizer.new_worker();
        worker.reset_sentence(text);
        worker.tokenize();
        worker
            .token_iter()
            .map(|t| t.surface().to_string())
            .collect()
    }

    #[test]
    fn compiled_once_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let sources = dir.path().join(SOURCES_DIR);
        std::fs::create_dir(&sources).unwrap();
        tiny_sources(&sources);
        let location = Location::of(dir.path());
        assert_eq!(location.compiled, dir.path().join("ipadic.vibrato"));

        let dict = load(&location).unwrap();
        assert!(location.compiled.is_file());
        assert_eq!(words(dict, "東京へ"), ["東京", "へ"]);

        // Read back, not rebuilt: the sources can go.
        let built = std::fs::metadata(&location.compiled)
            .unwrap()
            .modified()
            .unwrap();
        let again = load(&location).unwrap();
        assert_eq!(
            std::fs::metadata(&location.compiled)
                .unwrap()
                .modified()
                .unwrap(),
            built
        );
        assert_eq!(words(again, "東京へ"), ["東京", "へ"]);
        std::fs::remove_dir_all(&sources).unwrap();
        assert!(load(&location).is_ok());
    }

    #[test]
    fn changed_sources_are_compiled_again() {
        let dir = tempfile::tempdir().unwrap();
        tiny_sources(dir.path());
        // A source dictionary given directly compiles beside itself.
        let location = Location::of(dir.path());
        assert_eq!(location.sources, dir.path());
        load(&location).unwrap();
        let mut csv = std::fs::read_to_string(dir.path().join("words.csv")).unwrap();
        csv.push_str("京都,1,1,100,名詞,固有名詞,地域,一般,*,*,京都,キョウト,キョート\n");
        std::fs::write(dir.path().join("words.csv"), csv).unwrap();
        assert_eq!(words(load(&location).unwrap(), "京都へ"), ["京都", "へ"]);
    }

    #[test]
    fn a_damaged_compiled_file_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(SOURCES_DIR)).unwrap();
        tiny_sources(&dir.path().join(SOURCES_DIR));
        let location = Location::of(dir.path());
        std::fs::write(&location.compiled, "garbage").unwrap();
        assert_eq!(words(load(&location).unwrap(), "東京"), ["東京"]);
    }

    #[test]
    fn missing_dictionary_says_what_to_run() {
        let dir = tempfile::tempdir().unwrap();
        let Err(err) = load(&Location::of(dir.path())) else {
            panic!("loaded a dictionary from an empty directory");
        };
        let err = err.to_string();
        assert!(
            err.contains("make assets") && err.contains("ipadic"),
            "{err}"
        );
    }
}

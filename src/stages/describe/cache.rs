//! Descriptions kept in the work directory, one file per (image, model, prompt), so each is
//! asked for once per book and every rerun reuses it.
//!
//! The file's name is the hash of its key, which is everything the answer depends on: the
//! image's content hash, the model's name and the full prompt (which carries the prompt
//! version, the book's language and the caption). A new model or a reworded prompt therefore
//! simply misses, and the old answers stay until the work directory is removed. Only good
//! answers are stored; a failure leaves nothing, so the next run asks again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::stages::extract::book::ImageId;
use crate::workdir::fingerprint::Fingerprint;
use crate::workdir::fsutil::write_file;

/// What a description depends on.
#[derive(Debug, Clone, Serialize)]
pub struct Key<'a> {
    pub image: &'a ImageId,
    pub model: &'a str,
    pub prompt: &'a str,
    pub prompt_version: u32,
}

/// A stored description.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub image: ImageId,
    pub model: String,
    pub prompt: String,
    /// The cleaned description, as it is spoken.
    pub text: String,
    /// The model's answer before cleaning, for anyone wondering what was cut.
    pub answer: String,
    /// How long the request took.
    pub seconds: f64,
}

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}.json", Fingerprint::of(key).hash))
    }

    /// The stored description for this key; a missing or unreadable file is a miss.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.image == *key.image && entry.model == key.model && entry.prompt == key.prompt)
            .then_some(entry)
    }

    pub fn put(&self, key: &Key, entry: &Entry) -> anyhow::Result<()> {
        let json = serde_json::to_vec_pretty(entry)?;
        write_file(&self.path(key), &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_only_on_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let image = ImageId("aa".into());
        let key = Key {
            image: &image,
            model: "m",
            prompt: "p",
            prompt_version: 1,
        };
        assert!(cache.get(&key).is_none());
        let entry = Entry {
            image: image.clone(),
            model: "m".into(),
            prompt: "p".into(),
            text: "A cat.".into(),
            answer: "**A cat.**".into(),
            seconds: 1.5,
        };
        cache.put(&key, &entry).unwrap();
        assert_eq!(cache.get(&key).unwrap().text, "A cat.");
        let other_model = Key {
            model: "n",
            ..key.clone()
        };
        assert!(cache.get(&other_model).is_none());
        let other_prompt = Key {
            prompt_version: 2,
            ..key
        };
        assert!(cache.get(&other_prompt).is_none());
    }
}

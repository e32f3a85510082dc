//! The work directory: where every intermediate result lives, and how files get there.
//!
//! For now this holds the file-system helpers every writer shares; the per-book layout and
//! fingerprints join it with the pipeline stages that need them.

pub mod fsutil;

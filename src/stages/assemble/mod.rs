//! The assemble stage: chunk audio joined into listenable files.
//!
//! `wav.rs` joins chunks without clicks (for `say`); `chapter.rs` builds a chapter's WAV from
//! stored chunks with structural pauses, mastered by `master.rs` and `limiter.rs`, and records
//! where each chunk is heard for its captions (`cues.rs`); `ffmpeg.rs`
//! runs the encoders that make the formats players take: `m4b.rs` (one chaptered audiobook),
//! `mp3.rs` (a file per chapter, and the book in one file with chapter frames) and `opus.rs`.

pub mod chapter;
pub mod cues;
pub mod ffmpeg;
pub mod limiter;
pub mod m4b;
pub mod master;
pub mod mp3;
pub mod opus;
pub mod truepeak;
pub mod wav;

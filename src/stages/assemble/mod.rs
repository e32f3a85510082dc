//! The assemble stage: chunk audio joined into listenable files.
//!
//! `wav.rs` joins chunks without clicks (for `say`); `chapter.rs` builds a chapter's WAV from
//! stored chunks with structural pauses and loudness normalization; `m4b.rs` encodes the
//! chapters into one chaptered audiobook with ffmpeg.

pub mod chapter;
pub mod m4b;
pub mod wav;

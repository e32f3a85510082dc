//! The assemble stage: chunk audio joined into listenable files.
//!
//! `wav.rs` joins chunks without clicks and with pauses that follow the text's structure.

pub mod wav;

//! The pipeline stages, one module each, in the order a book flows through them.
//!
//! extract (EPUB → chapters and images), describe (images → spoken descriptions), script
//! (chapters + descriptions → narration text), synthesize (text → checked audio) and assemble
//! (audio → files).

pub mod assemble;
pub mod describe;
pub mod extract;
pub mod script;
pub mod synthesize;

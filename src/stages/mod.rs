//! The pipeline stages, one module each, in the order a book flows through them.
//!
//! The stages that exist so far: extract (EPUB → chapters and images), synthesize (text →
//! checked audio) and assemble (audio → files). Describe and script arrive with their issues.

pub mod assemble;
pub mod extract;
pub mod synthesize;

//! The pipeline stages, one module each, in the order a book flows through them.
//!
//! Only the stages that exist so far are here: synthesize (text → checked audio) and assemble
//! (audio → files). Extract, describe and script arrive with their issues.

pub mod assemble;
pub mod synthesize;

//! Integration tests: the real binary, run in fresh directories.

mod util;

mod cli;
mod engine;
mod errors;
mod extract;
mod fallback;
mod fixture;

//! Integration tests: the real binary, run in fresh directories.

mod util;

mod bench;
mod cli;
mod convert;
mod describe;
mod engine;
mod errors;
mod extract;
mod fallback;
mod fixture;
mod gpus;
mod languages;
mod library;
mod merge;
mod script;
mod structure;
mod vision_access;
mod vision_server;

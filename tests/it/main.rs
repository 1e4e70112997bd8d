//! The integration tests, linked as one binary (one link instead of one per file; measured in the
//! commit that made it). `cargo test --test it merge` runs the tests of tests/it/merge.rs.

#[path = "../common/mod.rs"]
mod common;

mod annotate;
mod bombs;
mod clerk;
mod cli;
mod cli_errors;
mod cli_snapshots;
mod config_city;
mod expected;
mod faults;
mod fuzz_bodies;
mod history;
mod inputs;
mod lang;
mod layout;
mod merge;
mod monday;
mod printing;
mod readme;
mod roundtrip;
mod rules_table;
mod slim;
mod snapshots;
mod templates;
mod workbook;

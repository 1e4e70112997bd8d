//! Arbitrary text and numbers through every value parser and vocabulary check
//! (`pgcheck_fuzz::values`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pgcheck_fuzz::values(data));

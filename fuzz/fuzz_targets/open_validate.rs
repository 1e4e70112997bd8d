//! Arbitrary bytes through the whole of `validate` (`pgcheck_fuzz::open_validate`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pgcheck_fuzz::open_validate(data));

//! The fuzz targets' bodies (`fuzz/src/lib.rs`, outside this package's build) run here on seed
//! inputs: a change to pgcheck's API that the fuzz crate does not follow fails `cargo test`, and
//! every hostile fixture, the fuzzer's own findings (`fuzz_*`) included, goes through the whole
//! `open_validate` target (both grids, both printers) once more.

#[path = "../../fuzz/src/lib.rs"]
mod bodies;

use crate::common;

#[test]
fn open_validate_on_every_hostile_fixture() {
    let dir = common::root().join("fixtures/hostile");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_some_and(|e| e != "md") {
            bodies::open_validate(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    assert!(n >= 30, "{n} hostile fixtures");
}

#[test]
fn open_validate_on_a_good_and_a_bad_file() {
    for f in ["fixtures/a2/clean-泽州县.lo.xls", "fixtures/a2/a2-01.xlsx"] {
        bodies::open_validate(&std::fs::read(common::root().join(f)).unwrap());
    }
}

#[test]
fn values_on_the_seed_strings_and_numbers() {
    let seeds: Vec<&str> = bodies::VALUE_SEEDS.lines().collect();
    assert!(seeds.len() >= 20, "{seeds:?}");
    for s in seeds {
        bodies::values(s.as_bytes());
    }
    for f in [45580.0, -0.0, f64::NAN, f64::INFINITY, 1e300, 2024.1] {
        bodies::values(&f64::to_le_bytes(f));
    }
}

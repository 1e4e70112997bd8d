//! Absurd sizes are read sparsely or refused before memory grows, quickly and with a message.

use crate::common;
use common::bombs;
use pgcheck::read::{open, OpenError};

#[test]
fn far_corner_cells_are_read_sparsely() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("far.xlsx");
    bombs::far_corner_xlsx(&p);
    let wb = open(&p).expect("read sparsely");
    assert_eq!(wb.sheets[0].cell_count(), 2);
    // validate finds no template and says so (S02), without walking a million rows.
    let o = common::pgcheck(&["validate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("S02"));
}

#[test]
fn a_zip_member_inflating_past_the_limit_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bomb.xlsx");
    bombs::zip_bomb_xlsx(&p, pgcheck::read::MAX_MEMBER_BYTES + (1 << 20));
    assert!(
        std::fs::metadata(&p).unwrap().len() < 8 << 20,
        "the bomb itself is small"
    );
    let r = open(&p);
    assert!(matches!(r, Err(OpenError::TooLarge(_))), "{r:?}");
    let o = common::pgcheck(&["validate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("S01") && out.contains("bomb.xlsx") && out.contains("过大"),
        "{out}"
    );
}

/// Found by `cargo fuzz run open_validate` (fuzz/): a .xls whose directory sector chain loops.
/// calamine follows the loop until memory runs out; pgcheck refuses it first.
#[test]
fn fuzz_regression_cfb_sector_chain_that_loops() {
    let p = common::root().join("fixtures/hostile/fuzz_cfb_cyclic_chain.xls");
    let r = open(&p);
    assert!(
        matches!(r, Err(OpenError::Corrupt(ref m)) if m.contains("loops")),
        "{r:?}"
    );
}

/// The third finding: a DIMENSIONS record whose last row precedes its first. calamine's u32
/// arithmetic wraps and it reserves petabytes, which aborts the process (no panic to catch).
#[test]
fn fuzz_regression_xls_dimensions_that_wrap() {
    // The fourth finding is its sibling: cells far apart in a sheet that only the BOUNDSHEET
    // offset leads to, so calamine's dense range would take gigabytes.
    for name in ["fuzz_xls_dimensions_wrap.xls", "fuzz_xls_far_cells.xls"] {
        let r = open(&common::root().join("fixtures/hostile").join(name));
        assert!(matches!(r, Err(OpenError::TooLarge(_))), "{name}: {r:?}");
    }
    let p = common::root().join("fixtures/hostile/fuzz_xls_dimensions_wrap.xls");
    // And through the binary: a clear S01, exit 1, no abort.
    let o = common::pgcheck(&["validate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("S01"));
}

//! Writes the two hostile workbooks of tests/it/bombs.rs at full size, for measuring peak memory:
//! `cargo run --release --example make_bombs -- DIR` then
//! `/usr/bin/time -v target/release/pgcheck validate DIR/far_corner.xlsx` (and `zip_bomb.xlsx`).

#[path = "../tests/common/bombs.rs"]
mod bombs;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: make_bombs DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    bombs::far_corner_xlsx(&dir.join("far_corner.xlsx"));
    // Inflates to 3 GiB.
    bombs::zip_bomb_xlsx(&dir.join("zip_bomb.xlsx"), 3 << 30);
    println!(
        "wrote {}/far_corner.xlsx and {}/zip_bomb.xlsx",
        dir.display(),
        dir.display()
    );
}

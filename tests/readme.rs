//! The README's rule table is the catalogue (`pgcheck rules --format markdown`), not a copy that
//! drifts.

#[test]
fn readme_rule_table_is_the_catalogue() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = pgcheck::rules::markdown();
    assert!(
        readme.contains(table.trim_end()),
        "README's rule table differs from the catalogue: paste `pgcheck rules --format markdown`"
    );
}

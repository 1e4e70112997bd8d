#!/bin/sh
# Reproduces the README's Performance table:
#   scripts/bench.sh [VALIDATE_FILES [MERGE_FILES [RUNS]]]      (defaults 3000 1000 5)
# Builds the release binary and the examples, generates the data under $PGCHECK_BENCH_DATA
# (default /tmp/pgcheck-bench; reused when already there: VALIDATE_FILES small county workbooks
# and as many gen_counties ones, MERGE_FILES for the merge, one 100,000-row 附件3) and prints a
# Markdown table: pgcheck against calamine reading the same files on one thread and on every
# core. Measure on a quiet machine: the runs alternate, but other load still skews the ratios.
set -eu
V=${1:-3000}
M=${2:-1000}
RUNS=${3:-5}
DATA=${PGCHECK_BENCH_DATA:-/tmp/pgcheck-bench}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin pgcheck --example gen_counties --example gen_big_a3 --example bench
EX=target/release/examples
gen() { # DIR N [--small]
    if [ "$(ls "$1" 2>/dev/null | grep -c '\.xlsx$')" != "$2" ]; then
        rm -rf "$1"
        "$EX/gen_counties" "$@"
    fi
}
gen "$DATA/small" "$V" --small
gen "$DATA/validate" "$V"
gen "$DATA/merge" "$M"
[ -f "$DATA/big_a3.xlsx" ] || "$EX/gen_big_a3" "$DATA/big_a3.xlsx" 100000
"$EX/bench" table --pgcheck target/release/pgcheck --data "$DATA" --runs "$RUNS"

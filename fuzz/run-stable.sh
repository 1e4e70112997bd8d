#!/bin/sh
# Coverage-guided fuzzing with the stable toolchain, without cargo-fuzz or nightly:
#
#     fuzz/run-stable.sh open_validate 600     # target (open_validate or values), seconds
#
# Builds the target as cargo-fuzz does (libFuzzer's coverage passes, debug assertions, overflow
# checks) but without AddressSanitizer, which needs nightly. `--target` keeps these flags off
# build scripts and proc macros, which would not link with them. Inputs that fail go to
# artifacts/TARGET/; replay one with `target/cov/<host>/release/TARGET FILE`.
set -eu
cd "$(dirname "$0")"
target=${1:?"which target: open_validate or values"}
seconds=${2:-300}
host=$(rustc -vV | sed -n 's/^host: //p')
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
    cargo build --release --target "$host" --target-dir target/cov --bin "$target"
[ -d "corpus/$target" ] || ./seed.sh
mkdir -p "artifacts/$target"
exec "target/cov/$host/release/$target" "corpus/$target" -max_total_time="$seconds" \
    -rss_limit_mb=3072 -timeout=10 -artifact_prefix="artifacts/$target/" -print_final_stats=1

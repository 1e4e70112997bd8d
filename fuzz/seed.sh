#!/usr/bin/env bash
# Fills the fuzz corpora from the project's fixtures (not committed: fuzz/corpus is ignored).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/open_validate corpus/values
find ../fixtures -type f \( -iname '*.xlsx' -o -iname '*.xls' -o -iname '*.ods' -o -iname '*.xlsm' -o -iname '*.xlsb' -o -iname '*.doc' \) \
  -size -2M -exec cp -n {} corpus/open_validate/ \;
i=0
while IFS= read -r s; do
  printf '%s' "$s" > "corpus/values/seed$i"; i=$((i+1))
done < seeds/values.txt
echo "corpus: $(ls corpus/open_validate | wc -l) workbooks, $(ls corpus/values | wc -l) strings"

#!/usr/bin/env bash
# Fills the fuzz corpora from the project's fixtures (not committed: fuzz/corpus is ignored).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/open_validate corpus/values
find ../fixtures -type f \( -iname '*.xlsx' -o -iname '*.xls' -o -iname '*.ods' -o -iname '*.xlsm' -o -iname '*.xlsb' -o -iname '*.doc' \) \
  -size -2M -exec cp -n {} corpus/open_validate/ \;
i=0
for s in '2024.10' '2024.1' '2024年7月31日' '2024 年 月 日' '2024-07' '202407' '20240731' '45580' \
         '5-1、主体施工1/3以下' '七、基本建成' '主体完工' '王建军 13903563218' '李明 0356-2285683' \
         '× × ×' 'xx县xx街' '202X.XX' '12户' '3.5万元' '１２' '泽州县住建局' '晋城经济技术开发区' \
         '经核实该投诉人反映的问题不属于棚改征收，属于道路改造类征收' '来信来访来电' '是' '否'; do
  printf '%s' "$s" > "corpus/values/seed$i"; i=$((i+1))
done
echo "corpus: $(ls corpus/open_validate | wc -l) workbooks, $(ls corpus/values | wc -l) strings"

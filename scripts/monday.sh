#!/bin/sh
# The city's Monday job (SPEC 9-11, issue 14): consolidate the week's inbox into the archive.
#
#     scripts/monday.sh INBOX ARCHIVE [YYYY-MM-DD]
#
# INBOX     the folder the counties' files were received into
# ARCHIVE   the folder of past weeks: ARCHIVE/<date>/ holds each week's
#             <city>-<date>.xlsx       the consolidated workbook (with 本周变化, 约谈预警)
#             <city>-<date>.json       merge's JSON report
#             退回/                    marked-up copies of the files left out, to send back
# date      the report date (default: today)
#
# The newest earlier week in ARCHIVE is given to merge as --previous. Prints what to do next
# and exits with merge's code (0 all merged, 1 a unit missing or left out, 2 could not run).
# pgcheck is taken from $PGCHECK, else from PATH; the city's name from $PGCHECK_CITY (晋城市).
set -u
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "用法：$0 收件文件夹 归档文件夹 [报告日期 YYYY-MM-DD]" >&2
  exit 2
fi
inbox=$1 archive=$2 day=${3:-$(date +%F)}
pgcheck=${PGCHECK:-pgcheck}
city=${PGCHECK_CITY:-晋城市}
[ -d "$inbox" ] || { echo "收件文件夹不存在：$inbox" >&2; exit 2; }
week="$archive/$day"
mkdir -p "$week" || exit 2

# Last week's workbook: the newest dated folder before this one holding a consolidated workbook.
previous=$(ls -d "$archive"/????-??-?? 2>/dev/null | sort -r | while IFS= read -r d; do
  [ "$(basename "$d")" \< "$day" ] || continue
  for f in "$d"/*.xlsx; do
    [ -f "$f" ] && echo "$f" && exit 0
  done
done)

out="$week/$city-$day.xlsx"
report="$week/$city-$day.json"
set -- merge "$inbox" -o "$out" --as-of "$day" --annotate-dir "$week/退回" --format json
[ -n "$previous" ] && set -- "$@" --previous "$previous"
"$pgcheck" "$@" >"$report"
code=$?
if [ $code -ge 2 ]; then
  echo "汇总失败（退出码 $code），见上面的提示；归档未更新。" >&2
  rm -f "$report"
  exit $code
fi

echo "本周汇总表：$out"
echo "JSON 报告：  $report"
if [ -n "$previous" ]; then
  echo "对比上周：  $previous（见“本周变化”工作表）"
else
  echo "归档中没有更早的汇总表：本周不做对比。"
fi
# Units to call: status left_out / partial / missing in the JSON report.
todo=$(awk -F'"' '/"unit": /{u=$4} /"status": "(left_out|partial|missing)"/{print "  " u "：" ($4=="missing" ? "未报送" : ($4=="partial" ? "部分汇总" : "未通过校验"))}' "$report")
if [ -n "$todo" ]; then
  echo "请联系以下单位："
  echo "$todo"
else
  echo "七个单位均已汇总。"
fi
warnings=$(grep -c '"rule": "H0' "$report")
[ "$warnings" -gt 0 ] && echo "与上周对比有 $warnings 条警告（H01-H05：倒退、减少、项目不见、问题重开），见汇总表“问题清单”。"
if ls "$week/退回/"*.xlsx >/dev/null 2>&1; then
  echo "请把以下标注文件退回对应单位修改后重报："
  for f in "$week/退回/"*.xlsx; do echo "  $f"; done
fi
exit $code

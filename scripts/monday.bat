@echo off
rem The city's Monday job on Windows (SPEC 9-11, issue 14); the same steps as monday.sh.
rem
rem     monday.bat 收件文件夹 归档文件夹 [报告日期 YYYY-MM-DD]
rem
rem Writes 归档文件夹\<日期>\<城市>-<日期>.xlsx, <城市>-<日期>.json and 退回\ (marked-up copies of
rem the files left out), with --previous the newest earlier week in the archive; prints what to
rem do next and exits with merge's code (0 all merged, 1 a unit missing or left out, 2 failed).
rem pgcheck.exe from %PGCHECK% (else PATH); the city's name from %PGCHECK_CITY% (晋城市).
rem This file is UTF-8: chcp 65001 first so that cmd reads its Chinese text.
chcp 65001 >nul
setlocal EnableExtensions EnableDelayedExpansion
if "%~2"=="" (
  echo 用法：monday.bat 收件文件夹 归档文件夹 [报告日期 YYYY-MM-DD]
  exit /b 2
)
set "INBOX=%~1"
set "ARCHIVE=%~2"
set "DAY=%~3"
if "%DAY%"=="" for /f %%d in ('powershell -NoProfile -Command "Get-Date -Format yyyy-MM-dd"') do set "DAY=%%d"
if "%PGCHECK%"=="" set "PGCHECK=pgcheck"
if "%PGCHECK_CITY%"=="" set "PGCHECK_CITY=晋城市"
if not exist "%INBOX%\" (
  echo 收件文件夹不存在：%INBOX%
  exit /b 2
)
set "WEEK=%ARCHIVE%\%DAY%"
if not exist "%WEEK%\" mkdir "%WEEK%" || exit /b 2

rem Last week's workbook: the newest dated folder before this one that holds an .xlsx.
set "PREVIOUS="
for /f "delims=" %%d in ('dir /b /ad /o-n "%ARCHIVE%" 2^>nul') do (
  if not defined PREVIOUS if "%%d" LSS "%DAY%" (
    for %%f in ("%ARCHIVE%\%%d\*.xlsx") do if not defined PREVIOUS set "PREVIOUS=%%~ff"
  )
)

set "OUT=%WEEK%\%PGCHECK_CITY%-%DAY%.xlsx"
set "REPORT=%WEEK%\%PGCHECK_CITY%-%DAY%.json"
if defined PREVIOUS (
  "%PGCHECK%" merge "%INBOX%" -o "%OUT%" --as-of %DAY% --annotate-dir "%WEEK%\退回" --format json --previous "%PREVIOUS%" > "%REPORT%"
) else (
  "%PGCHECK%" merge "%INBOX%" -o "%OUT%" --as-of %DAY% --annotate-dir "%WEEK%\退回" --format json > "%REPORT%"
)
set "CODE=%ERRORLEVEL%"
if %CODE% GEQ 2 (
  echo 汇总失败（退出码 %CODE%），见上面的提示；归档未更新。
  del "%REPORT%" 2>nul
  exit /b %CODE%
)

echo 本周汇总表：%OUT%
echo JSON 报告：  %REPORT%
if defined PREVIOUS (
  echo 对比上周：  %PREVIOUS%（见“本周变化”工作表）
) else (
  echo 归档中没有更早的汇总表：本周不做对比。
)
rem Units to call and files to send back, read from the JSON report.
powershell -NoProfile -Command ^
  "[Console]::OutputEncoding = [Text.Encoding]::UTF8;" ^
  "$r = Get-Content -Raw -Encoding UTF8 -LiteralPath '%REPORT%' | ConvertFrom-Json;" ^
  "$w = @{ left_out = '未通过校验'; partial = '部分汇总'; missing = '未报送' };" ^
  "$todo = @($r.units | Where-Object { $_.status -ne 'merged' });" ^
  "if ($todo.Count) { '请联系以下单位：'; $todo | ForEach-Object { '  ' + $_.unit + '：' + $w[$_.status] } } else { '七个单位均已汇总。' };" ^
  "$h = @($r.files | ForEach-Object { $_.diagnostics } | Where-Object { $_.rule -like 'H0*' }).Count;" ^
  "if ($h) { '与上周对比有 ' + $h + ' 条警告（H01-H05），见汇总表“问题清单”。' }"
if exist "%WEEK%\退回\*.xlsx" (
  echo 请把以下标注文件退回对应单位修改后重报：
  for %%f in ("%WEEK%\退回\*.xlsx") do echo   %%~ff
)
exit /b %CODE%

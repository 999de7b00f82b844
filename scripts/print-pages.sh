#!/usr/bin/env bash
# The README's two printed pages (docs/handover-page.png, docs/report-page.png):
# a demo desk of 200 cases with an organisation in its policy, its last signed
# handover and this quarter's report printed by headless Chromium to PDF, the
# first page of each made a 1000-pixel-wide PNG and optimised.
#
#   apt-get install chromium poppler-utils fonts-noto-cjk pngquant optipng
#   scripts/print-pages.sh
#
# The desk and the pages are left in target/print-pages/.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in chromium pdftoppm pngquant optipng; do
    command -v "$tool" >/dev/null || {
        echo "$tool is needed: apt-get install chromium poppler-utils fonts-noto-cjk pngquant optipng" >&2
        exit 1
    }
done
cargo build --quiet
bin="$PWD/target/debug/casedesk"
out="$PWD/target/print-pages"
rm -rf "$out" && mkdir -p "$out"
export CASEDESK_DB="$out/desk.db" CASEDESK_POLICY="$out/none.toml"
"$bin" demo --cases 200 >/dev/null
cat >"$out/organisation.toml" <<'TOML'
[organisation]
name = "江南市第一人民医院 患者服务中心"
phone = "0571-8765 4321"
TOML
CASEDESK_PIN=123456 "$bin" policy apply "$out/organisation.toml" --as 系统管理员 >/dev/null
# The newest handover signed by both.
signed=$("$bin" handover list --json | python3 -c \
    'import json,sys; print(next(h["id"] for h in json.load(sys.stdin) if h.get("incoming_signed_at")))')
"$bin" handover print "$signed" --format html --out "$out/handover.html"
"$bin" report --period quarter --format html --out "$out/report.html"
for page in handover report; do
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$out/$page.pdf" "$out/$page.html" 2>/dev/null
    pdftoppm -f 1 -l 1 -scale-to-x 1000 -scale-to-y -1 -png "$out/$page.pdf" "$out/$page"
    pngquant --quality 60-85 --speed 1 --force --output "docs/$page-page.png" "$out/$page-1.png"
    optipng -quiet -o2 "docs/$page-page.png"
done
ls -l docs/handover-page.png docs/report-page.png

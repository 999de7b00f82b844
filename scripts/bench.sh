#!/usr/bin/env bash
# Every performance figure of the README, at 10,000, 100,000 and 1,000,000 cases:
#   demo        creating the demo desk (`casedesk demo`), its size in bytes per case
#   commands    `case new`, `case show`, `case list --search` and the year's
#               report as whole commands (hyperfine, warm), and a plain sqlite3
#               commit to the same file beside them
#   startup     start to the signed-in queue warm and cold, resident memory
#               (`cargo bench --bench startup`)
#   desk        keypress → frame, search cold, saving a case and a step, the
#               year's report (`cargo bench --bench desk`)
#   service     through the desk service: case new, a step on a signed-in
#               connection, sign-in, keypress → frame, 50 idle screens' CPU
#               (`cargo bench --bench service`)
#   import      exporting it to CSV and importing that into an empty desk (last:
#               its gigabytes of writing leave the desk cold for a while)
#
#   scripts/bench.sh                 # all three sizes (about 12 minutes)
#   SIZES="10000" scripts/bench.sh   # one size
#
# Desks are kept in target/bench-desks/ and made again only when missing.
# Figures go to the terminal and to target/bench-desks/figures-N.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-10000 100000 1000000}"
command -v hyperfine >/dev/null || {
    echo "hyperfine is needed: apt-get install hyperfine (or cargo install hyperfine)" >&2
    exit 1
}
cargo build --release --quiet
bin="$PWD/target/release/casedesk"
dir="$PWD/target/bench-desks"
mkdir -p "$dir"
# The built-in policy and calendar, whatever this machine's user has configured.
export CASEDESK_POLICY="$dir/none.toml" CASEDESK_CALENDAR="$dir/none-cal.toml"
export CASEDESK_LANG=en

for n in $SIZES; do
    out="$dir/figures-$n.txt"
    : >"$out"
    say() { echo "$*" | tee -a "$out"; }
    say "== $n cases ($(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB) =="
    db="$dir/demo-$n.db"
    if [ ! -e "$db" ]; then
        start=$(date +%s.%N)
        CASEDESK_DB="$db" "$bin" demo --cases "$n" >/dev/null
        say "demo: $(echo "$(date +%s.%N) - $start" | bc) s"
        sync # the new desk on disk before anything else is timed
    else
        say "demo: (desk kept from an earlier run; remove $db to time it)"
    fi
    bytes=$(stat -c %s "$db")
    say "size: $bytes bytes, $((bytes / n)) bytes per case"

    number=$(sqlite3 "$db" "SELECT number FROM cases ORDER BY id DESC LIMIT 1")
    say "busiest caller (intake_caller below): $(sqlite3 "$db" "SELECT COUNT(*) FROM cases WHERE caller_key GLOB '1[0-9]*' GROUP BY caller_key ORDER BY COUNT(*) DESC LIMIT 1") cases"
    export CASEDESK_DB="$db" CASEDESK_PIN=1234
    hyperfine --warmup 3 --runs 40 --style basic --export-markdown "$dir/commands-$n.md" \
        --export-csv "$dir/commands-$n.csv" \
        -n "case new" "$bin case new --as 张小明 --channel phone --kind complaint --summary 挂号排队太久 --name 周测试 --phone 13800001111" \
        -n "case show" "$bin case show $number" \
        -n "case list --search 态度" "$bin case list --search 态度" \
        -n "case list --search 护" "$bin case list --search 护" \
        -n "year report" "$bin report --period year --format json" 2>&1 | tee -a "$out"
    # hyperfine prints means; the median is in its CSV (command,mean,stddev,median,…).
    # case new again, 200 times: its mean and slowest runs over more intakes.
    # Beside it, the floor of any safe write to this file: a plain sqlite3
    # committing one unchanged row with synchronous=FULL (the log made, synced,
    # checkpointed and removed, as for every command that writes alone).
    hyperfine --warmup 3 --runs 200 --style basic --export-csv "$dir/case-new-$n.csv" \
        --export-json "$dir/case-new-$n.json" \
        -n "case new (200 runs)" "$bin case new --as 张小明 --channel phone --kind complaint --summary 挂号排队太久 --name 周测试 --phone 13800001111" \
        -n "sqlite3 commit (200 runs)" "sqlite3 $db 'PRAGMA synchronous=FULL; UPDATE case_counters SET last = last'" 2>&1 | tee -a "$out"
    awk -F, 'FNR > 1 { printf "  %s: median %.1f ms, mean %.1f, min %.1f, max %.1f\n", $1, $4 * 1000, $2 * 1000, $7 * 1000, $8 * 1000 }' \
        "$dir/commands-$n.csv" "$dir/case-new-$n.csv" | tee -a "$out"
    # The 95th percentile and the runs of 100 ms or more, from every run's time.
    python3 - "$dir/case-new-$n.json" <<'EOF' | tee -a "$out"
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    t = sorted(r["times"])
    slow = [round(x * 1000) for x in t if x >= 0.1]
    print(f"  {r['command']}: p95 {t[int(len(t) * 0.95)] * 1000:.1f} ms, runs of 100 ms or more: {slow or 'none'}")
EOF
    unset CASEDESK_DB CASEDESK_PIN

    CASEDESK_BENCH_CASES="$n" cargo bench --quiet --bench startup 2>&1 | tee -a "$out"
    CASEDESK_BENCH_CASES="$n" cargo bench --quiet --bench desk 2>&1 | tee -a "$out"
    CASEDESK_BENCH_CASES="$n" cargo bench --quiet --bench service 2>&1 | tee -a "$out"

    # Last: the import writes gigabytes, which leaves the desk
    # cold for a while (the first commands after it read the desk back from disk).
    csv="$dir/export-$n.csv"
    CASEDESK_DB="$db" "$bin" export --format csv --out "$csv" >/dev/null
    rm -rf "$dir/import-$n" && mkdir -p "$dir/import-$n"
    CASEDESK_DB="$dir/import-$n/desk.db" CASEDESK_NEW_PIN=123456 "$bin" init --admin 管理员 >/dev/null
    # A CSV file gives no roles: the demo's supervisors, who review second
    # rounds, are added first; --create-staff adds the clerks the cases name.
    for sup in 陈建国 赵丽华; do
        CASEDESK_DB="$dir/import-$n/desk.db" CASEDESK_PIN=123456 CASEDESK_NEW_PIN=123456 \
            "$bin" staff add --as 管理员 --name "$sup" --role supervisor >/dev/null
    done
    start=$(date +%s.%N)
    CASEDESK_DB="$dir/import-$n/desk.db" CASEDESK_PIN=123456 "$bin" import "$csv" --as 管理员 --masked-ok --create-staff >/dev/null
    say "import of $(($(wc -l <"$csv") - 1)) CSV rows: $(echo "$(date +%s.%N) - $start" | bc) s"
    rm -rf "$dir/import-$n" "$csv"
    # An fsync waits behind the import's gigabytes still being written back.
    sync
done

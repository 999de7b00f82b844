#!/usr/bin/env bash
# The long robustness checks, in release mode, printing their figures:
#   load        4 clerks' terminals + 2 readers on one desk file for 60 s
#               (commands per second, latencies; no busy error, no lost update)
#   crash       200 kill -9 of writers at random moments, 200 inside the
#               transaction of `case new`, an import of a 20,000-case demo's
#               export killed inside its transaction, and a 20,000-case demo
#               killed part-way (casedesk check passes afterwards)
#   input_fuzz  5,000 cases per property: time parser, import of random and
#               corrupted files (all or nothing)
#   domain_props, store_props
#               5,000 random command sequences each: the case's invariants in
#               memory; refused commands leave the stored desk as it was
#
#   scripts/long-checks.sh
#
# Any of CASEDESK_LOAD_SECS, CASEDESK_KILLS, CASEDESK_DEMO_CASES and
# PROPTEST_CASES set in the environment overrides the long default.
# A test marked #[ignore = "BUG: …"] names a known product bug (tests/full_disk.rs
# has two); `cargo test --release -- --ignored` shows them, with the
# architecture test that waits for the restructuring of issue 15.
set -euo pipefail

cd "$(dirname "$0")/.."

export CASEDESK_LOAD_SECS="${CASEDESK_LOAD_SECS:-60}"
export CASEDESK_KILLS="${CASEDESK_KILLS:-200}"
export CASEDESK_DEMO_CASES="${CASEDESK_DEMO_CASES:-20000}"
export PROPTEST_CASES="${PROPTEST_CASES:-5000}"

log="$(mktemp "${TMPDIR:-/tmp}/casedesk-long-checks.XXXXXX")"
trap 'rm -f "$log"' EXIT

echo "long checks: CASEDESK_LOAD_SECS=$CASEDESK_LOAD_SECS CASEDESK_KILLS=$CASEDESK_KILLS" \
    "CASEDESK_DEMO_CASES=$CASEDESK_DEMO_CASES PROPTEST_CASES=$PROPTEST_CASES"
start=$SECONDS
cargo test --release --test load --test crash --test input_fuzz --test domain_props --test store_props -- --nocapture 2>&1 | tee "$log"
# Every screen at every size from 1x1 to 300x100 (a sample of sizes in the ordinary run).
CASEDESK_ALL_SIZES=1 cargo test --release --test tui no_panic_at_any_size 2>&1 | tee -a "$log"

echo
echo "== figures ($((SECONDS - start)) s in all) =="
grep -E '^ *Running|^(load|crash):|^test result:' "$log" || true

#!/usr/bin/env bash
# Runs one harness for a bounded time from a scratch copy of its seed corpus. libFuzzer exits
# non-zero on a crash, a sanitizer report, a leak, or an input slower than -timeout (a hang); the
# input is then kept in the scratch folder and named in the output.
#   run_fuzzer.sh HARNESS SEEDS WORK SECONDS
set -euo pipefail
harness=$1 seeds=$2 work=$3 seconds=$4
rm -rf "$work" && mkdir -p "$work/corpus" "$work/findings"
cp -r "$seeds"/. "$work/corpus/"
cd "$work/findings"
exec "$harness" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=70000 \
  -print_final_stats=1 "$work/corpus"

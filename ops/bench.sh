#!/usr/bin/env bash
# The benchmarks in one table: each figure of mwp beside the limit it is compared with,
# measured in the same run on this machine, and their ratio. Builds in release mode and starts what
# it needs on 127.0.0.1 (its own Redis with the append-only file, CurveZMQ on everywhere). These
# machines are shared and noisy: the ingest row is a median of several runs, and ratios matter more
# than absolute figures. docs/performance.md keeps the latest table.
#   ops/bench.sh [EVENTS] [INGEST_EVENTS] [INGEST_RUNS]   (defaults 1000000, 100000, 5)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"
operands_only 3 "$@"
events=${1:-1000000}
ingest_events=${2:-100000}
ingest_runs=${3:-5}
whole_number EVENTS "$events"
whole_number INGEST_EVENTS "$ingest_events"
whole_number INGEST_RUNS "$ingest_runs"

ensure_packages
ensure_bench_packages
build "$MWP_ROOT/build-release" Release >/dev/null

rows=$(mktemp /tmp/mwp-bench-rows.XXXXXX)
trap 'rm -f "$rows" "$rows.cpu"' EXIT
MWP_BENCH_ROWS=$rows "$MWP_ROOT/ops/bench-ingest.sh" "$ingest_events" "$ingest_runs" >&2
# What replication costs: ingest with WAIT 1 beside without, and a failover's pause.
"$MWP_ROOT/build-release/tools/bench/mwp-bench-failover" --build "$MWP_ROOT/build-release" \
  --dir "$MWP_ROOT/var/bench-failover" --events "$ingest_events" --runs "$ingest_runs" \
  --redis-server "$(command -v redis-server)" --rows "$rows" >&2

"$MWP_ROOT/build-release/tools/bench/mwp-bench-system" --build "$MWP_ROOT/build-release" \
  --dir "$MWP_ROOT/var/bench" --events "$events" --redis-server "$(command -v redis-server)" \
  > "$rows.system"
{
  echo "mwp benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo
  head -2 "$rows.system"
  cat "$rows"
  tail -n +3 "$rows.system"
  echo
  echo "Where the ingest's microseconds go: each process's CPU time (user + system) per event"
  echo
  cat "$rows.cpu"
} | tee "$MWP_ROOT/var/bench/table.md"
rm -f "$rows.system"

#!/usr/bin/env bash
# Bus ingest rate beside a bare hiredis program running the same script, and raw XADD: same
# machine, same run, same Redis settings as ops/run.sh (append-only file, fsync every second) and
# CurveZMQ on, as ops/run.sh runs it. Prints both and their ratio; with MWP_BENCH_ROWS=FILE also
# appends the table row ops/bench.sh prints. docs/performance.md keeps the latest table.
#   ops/bench-ingest.sh [EVENTS] [RUNS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"
operands_only 2 "$@"
events=${1:-100000}
runs=${2:-5}
whole_number EVENTS "$events"
whole_number RUNS "$runs"

ensure_packages
ensure_bench_packages
build "$MWP_ROOT/build-release" Release >/dev/null 2>&1

port=$(free_port)
dir=$(mktemp -d /tmp/mwp-bench.XXXXXX)
bus_pid= nats_pid=
cleanup() {
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  [ -n "$nats_pid" ] && kill "$nats_pid" 2>/dev/null
  wait 2>/dev/null; stop_redis "$port"; rm -rf "$dir"
}
trap cleanup EXIT
start_redis "$port" "$dir" --appendonly yes --appendfsync everysec

ingest="tcp://127.0.0.1:$(free_port)"
mwpctl="$MWP_ROOT/build-release/tools/mwpctl/mwpctl"
for name in bus operator; do "$mwpctl" keygen curve "$name" "$dir" >/dev/null; done
echo "operator $(awk '/^public/ {print $2}' "$dir/operator.pub")" > "$dir/clients"
MWP_REDIS_PORT=$port MWP_BUS_INGEST_BIND=$ingest MWP_BUS_PUBLISH_BIND="tcp://127.0.0.1:$(free_port)" \
  MWP_BUS_ADMIN_PORT=0 MWP_KEY_FILE="$dir/bus.key" MWP_CURVE_CLIENTS="$dir/clients" \
  "$MWP_ROOT/build-release/services/bus/mwp-bus" 2>"$dir/bus.log" &
bus_pid=$!
sleep 0.5

echo "== mwp bus: $runs runs of $events events, pipelined publisher, CURVE on =="
MWP_BUS_INGEST=$ingest MWP_KEY_FILE="$dir/operator.key" MWP_BUS_SERVER_KEY_FILE="$dir/bus.pub" \
  "$MWP_ROOT/build-release/tools/bench/mwp-bench-ingest" \
  "$MWP_ROOT/tests/fixtures/every_kind.ndjson" --events "$events" --runs "$runs" | tee "$dir/mwp.txt"

# The fair limit: the same ingest script from a bare hiredis program, batches of 256.
echo "== bare hiredis, the bus's ingest script pipelined in batches of 256: $runs runs of $events =="
MWP_REDIS_PORT=$port "$MWP_ROOT/build-release/tools/bench/mwp-bench-raw-ingest" \
  "$MWP_ROOT/tests/fixtures/every_kind.ndjson" --events "$events" --runs "$runs" | tee "$dir/script.txt"

# The peer: NATS JetStream, file storage, de-duplicated by Nats-Msg-Id, async publish with acks.
nats_port=$(free_port)
nats-server -js -sd "$dir/nats" -p "$nats_port" -a 127.0.0.1 2>"$dir/nats.log" &
nats_pid=$!
sleep 0.5
echo "== NATS JetStream (nats-server $(nats-server --version | awk '{print $NF}'), file storage, Nats-Msg-Id de-duplication: $runs runs of $events =="
MWP_NATS_PORT=$nats_port "$MWP_ROOT/build-release/tools/bench/mwp-bench-nats" \
  "$MWP_ROOT/tests/fixtures/every_kind.ndjson" --events "$events" --runs "$runs" | tee "$dir/nats.txt"

# The storage alone: XADD of a payload the size of a stored event (~400 bytes), pipelined 256 deep.
payload=$(head -c 400 /dev/zero | tr '\0' 'x')
echo "== redis-benchmark XADD, $runs runs of $events, -P 256 =="
for r in $(seq "$runs"); do
  redis-benchmark -p "$port" -n "$events" -P 256 -q XADD "bench:raw" '*' e "$payload" 2>/dev/null \
    | tr '\r' '\n' | grep -E 'requests per second' | tail -1 | sed -e 's/^.*: \([0-9.]* requests\)/\1/' -e "s/^/run $r: /"
done | tee "$dir/raw.txt"

mwp=$(awk '/^median/ {print $2}' "$dir/mwp.txt")
script=$(awk '/^median/ {print $2}' "$dir/script.txt")
nats=$(awk '/^median/ {print $2}' "$dir/nats.txt")
raw=$(awk '{for (i=1;i<=NF;i++) if ($i ~ /^[0-9.]+$/ && $(i+1) == "requests") print $i}' "$dir/raw.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
echo "== medians: mwp $mwp events/s; bare script $script/s (mwp ÷ script $(ratio "$mwp" "$script"), goal ≥ 0.80); NATS JetStream $nats/s (mwp ÷ NATS $(ratio "$mwp" "$nats"), goal > 1); raw XADD $raw/s (mwp ÷ XADD $(ratio "$mwp" "$raw")) =="
if [ -n "${MWP_BENCH_ROWS:-}" ]; then
  echo "| bus ingest: events acknowledged (durable, de-duplicated, sequenced), CURVE on, median of $runs × $events | $mwp/s | $script/s bare hiredis, same script, batches of 256 | $(ratio "$mwp" "$script") | ≥ 0.80 |" >> "$MWP_BENCH_ROWS"
  echo "| the same ingest | $mwp/s | $nats/s NATS JetStream, file storage, Nats-Msg-Id de-duplication, async acks | $(ratio "$mwp" "$nats") | > 1 (faster) |" >> "$MWP_BENCH_ROWS"
fi

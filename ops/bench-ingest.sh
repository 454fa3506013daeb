#!/usr/bin/env bash
# Bus ingest beside its limits, in one run on this machine: the bare hiredis program running the
# bus's store, NATS JetStream (Debian's, file storage) and raw XADD; mwp with Redis's append-only
# file synced at each write (appendfsync always) and every second (everysec); a duplicates row
# (10 % re-sent, a few eventIds reused with other content), mwp's sender sending one frame a message
# instead of batches of 64 (docs/ingest.md, "Several events in one message"), one row of each with 4,096 frames in
# flight instead of 1,024, five runs of each in turn (paired), and one event at a time (p50/p99 of
# the wait for an answer). CurveZMQ on, as ops/run.sh runs the bus; one row with it off, to show
# what it costs, and one of JetStream over TLS: its other rows have no encryption. For every row
# the CPU time each process spent, per event (/proc/<pid>/stat), so the table says where the
# microseconds go.
# With MWP_BENCH_ROWS=FILE appends the rows ops/bench.sh prints, and the CPU table to FILE.cpu.
# docs/performance.md keeps the latest table. MWP_BENCH_BUS=BINARY measures that mwp-bus instead of
# the build's (a copy of an earlier build's, say: before and after in turn, in one shell session);
# MWP_REDIS_MODULE= (empty) starts Redis without the log's module, so both call the Function.
#   ops/bench-ingest.sh [EVENTS] [RUNS]   (defaults 100000, 5; one at a time: EVENTS / 20)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"
operands_only 2 "$@"
events=${1:-100000}
runs=${2:-5}
whole_number EVENTS "$events"
whole_number RUNS "$runs"
single=$((events / 20 > 0 ? events / 20 : 1))
deep_window=4096  # frames in flight in one row of each; the others keep the programs' default, 1024
pairs=5           # runs of mwp and of JetStream in turn, one pair after the other

ensure_packages
ensure_bench_packages
build "$MWP_ROOT/build-release" Release >/dev/null 2>&1
# Redis with the log's module from this build (the bus and the bare program then call
# MWP.STORE_BATCH); MWP_REDIS_MODULE= (empty) measures them on the Function instead.
export MWP_REDIS_MODULE=${MWP_REDIS_MODULE-$MWP_ROOT/build-release/services/bus/log_module/mwp_log.so}

port=$(free_port)
dir=$(mktemp -d /tmp/mwp-bench.XXXXXX)
bus_pid= plain_pid= nats_pid=
cleanup() {
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
  [ -n "$plain_pid" ] && kill "$plain_pid" 2>/dev/null
  [ -n "$nats_pid" ] && kill "$nats_pid" 2>/dev/null
  wait 2>/dev/null; stop_redis "$port"; rm -rf "$dir"
}
trap cleanup EXIT
start_redis "$port" "$dir" --include "$MWP_ROOT/ops/redis/durability.conf"
redis_pid=$(cat "$dir/redis.pid")
policy=$(redis-cli -p "$port" config get appendfsync | tail -1)  # the default, ops/run.sh's

ingest="tcp://127.0.0.1:$(free_port)"
tools=$MWP_ROOT/build-release/tools
fixture=$MWP_ROOT/tests/fixtures/every_kind.ndjson
for name in bus operator; do "$tools/mwpctl/mwpctl" keygen curve "$name" "$dir" >/dev/null; done
echo "operator $(awk '/^public/ {print $2}' "$dir/operator.pub")" > "$dir/clients"
MWP_REDIS_PORT=$port MWP_BUS_INGEST_BIND=$ingest MWP_BUS_PUBLISH_BIND="tcp://127.0.0.1:$(free_port)" \
  MWP_BUS_ADMIN_PORT=0 MWP_KEY_FILE="$dir/bus.key" MWP_CURVE_CLIENTS="$dir/clients" \
  "${MWP_BENCH_BUS:-$MWP_ROOT/build-release/services/bus/mwp-bus}" 2>"$dir/bus.log" &
bus_pid=$!
sleep 0.5

fsync() { redis-cli -p "$port" config set appendfsync "$1" >/dev/null; }
# Each row of Redis's starts on an empty store and a freshly rewritten append-only file: the
# rewrites Redis makes as the file grows (a fork, then copy-on-write in the parent) then fall alike
# on every row instead of on whichever comes later.
fresh_store() {
  redis-cli -p "$port" flushall >/dev/null
  redis-cli -p "$port" bgrewriteaof >/dev/null
  while redis-cli -p "$port" info persistence | grep -q '^aof_rewrite_in_progress:1'; do sleep 0.1; done
}
# mwp ROW OPTIONS…: the bus's ingest, its output in $dir/ROW.txt ($row_runs runs if set, else $runs).
mwp() {
  local row=$1; shift
  MWP_BUS_INGEST=$ingest MWP_KEY_FILE="$dir/operator.key" MWP_BUS_SERVER_KEY_FILE="$dir/bus.pub" \
    "$tools/bench/mwp-bench-ingest" "$fixture" --runs "${row_runs:-$runs}" \
    --cpu-of "redis-server=$redis_pid,mwp-bus=$bus_pid" "$@" | tee "$dir/$row.txt"
}
nats() {
  local row=$1; shift
  MWP_NATS_PORT=$nats_port "$tools/bench/mwp-bench-nats" "$fixture" --runs "${row_runs:-$runs}" \
    --cpu-of "nats-server=$nats_pid" "$@" | tee "$dir/$row.txt"
}
# rate ROW: the row's median events/s ("failed" when it has none); ratio A B: A ÷ B to 2 places.
rate() { awk '/^median/ {r = $2} END {print r == "" ? "failed" : r}' "$dir/$1.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a/b; else print "–"}'; }

for p in always everysec; do
  fsync "$p"
  echo "== mwp bus, appendfsync $p: $runs runs of $events events, pipelined publisher, CURVE on =="
  fresh_store
  mwp "mwp-$p" --events "$events"
  # The fair limit: the bus's store from a bare hiredis program, batches of 256.
  echo "== bare hiredis, the bus's store in batches of 256, appendfsync $p: $runs runs of $events =="
  fresh_store
  MWP_REDIS_PORT=$port "$tools/bench/mwp-bench-raw-ingest" "$fixture" --events "$events" \
    --runs "$runs" --cpu-of "redis-server=$redis_pid" | tee "$dir/bare-$p.txt"
done
fsync "$policy"
# What CurveZMQ costs: the same bus and publisher without keys (a bus without MWP_KEY_FILE takes
# plain connections), as JetStream's row runs without TLS. Not how mwp runs: for comparison only.
plain_ingest="tcp://127.0.0.1:$(free_port)"
MWP_REDIS_PORT=$port MWP_BUS_INGEST_BIND=$plain_ingest MWP_BUS_PUBLISH_BIND="tcp://127.0.0.1:$(free_port)" \
  MWP_BUS_ADMIN_PORT=0 "${MWP_BENCH_BUS:-$MWP_ROOT/build-release/services/bus/mwp-bus}" 2>"$dir/plain-bus.log" &
plain_pid=$!
sleep 0.5
echo "== mwp bus, appendfsync $policy, CURVE off (for comparison): $runs runs of $events =="
fresh_store
MWP_BUS_INGEST=$plain_ingest "$tools/bench/mwp-bench-ingest" "$fixture" --runs "$runs" --events "$events" \
  --cpu-of "redis-server=$redis_pid,mwp-bus=$plain_pid" | tee "$dir/mwp-plain.txt"
kill "$plain_pid"; wait "$plain_pid" 2>/dev/null || true; plain_pid=
# What the batches bring: the same sender, each frame a message of its own (as before batches, and
# as the Python example sends), so CurveZMQ seals every event on its own.
echo "== mwp bus, appendfsync $policy, one frame a message: $runs runs of $events =="
fresh_store
mwp mwp-unbatched --events "$events" --frames-per-message 1
echo "== mwp bus, appendfsync $policy, one event at a time: $runs runs of $single =="
fresh_store
mwp mwp-single --events "$single" --one-at-a-time
# A sender keeping more in flight: the bus's batches then overlap more of their way through the
# threads (docs/ingest.md, "In flight"). The same window for JetStream below: nats.go's own default
# for asynchronous publishing is 4,000 acknowledgements pending.
echo "== mwp bus, appendfsync $policy, $deep_window frames in flight: $runs runs of $events =="
fresh_store
mwp mwp-deep --events "$events" --window "$deep_window"
# Last of the bus's rows: a bus that fails it is not asked anything more.
echo "== mwp bus, appendfsync $policy, 10 % re-sent and a few eventIds reused with other content =="
fresh_store
mwp mwp-duplicates --events "$events" --duplicates || say "the bus failed the duplicates row"

# The peer: NATS JetStream as Debian ships it (file storage, its files synced every 2 minutes),
# de-duplicated by Nats-Msg-Id, async publish with acks.
nats_port=$(free_port)
nats-server -js -sd "$dir/nats" -p "$nats_port" -a 127.0.0.1 2>"$dir/nats.log" &
nats_pid=$!
sleep 0.5
nats_version=$(nats-server --version | awk '{print $NF}')
echo "== NATS JetStream $nats_version, file storage, Nats-Msg-Id de-duplication: $runs runs of $events =="
nats nats --events "$events"
echo "== NATS JetStream, 10 % re-sent and a few eventIds reused with other content =="
nats nats-duplicates --events "$events" --duplicates || say "JetStream failed the duplicates row"
echo "== NATS JetStream, $deep_window messages in flight: $runs runs of $events =="
nats nats-deep --events "$events" --window "$deep_window"
echo "== NATS JetStream, one message at a time: $runs runs of $single =="
nats nats-single --events "$single" --one-at-a-time
# Paired: one run of mwp, then one of JetStream, in turn. A machine whose speed drifts over the
# minutes between the rows above weighs on both alike here; the median of the pairs' ratios.
echo "== paired: mwp (appendfsync $policy) and JetStream in turn, $pairs pairs of $events =="
for i in $(seq "$pairs"); do
  fresh_store
  row_runs=1 mwp "pair-mwp-$i" --events "$events" >/dev/null || true
  row_runs=1 nats "pair-nats-$i" --events "$events" >/dev/null || true
  echo "pair $i: mwp $(rate "pair-mwp-$i")/s, JetStream $(rate "pair-nats-$i")/s: $(ratio "$(rate "pair-mwp-$i")" "$(rate "pair-nats-$i")")"
done | tee "$dir/paired.txt"
# JetStream over TLS, as the bus runs CurveZMQ: encrypted both ways, like for like (a self-signed
# certificate, not verified by the sending program).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=127.0.0.1 -keyout "$dir/nats-tls.key" -out "$dir/nats-tls.crt" 2>/dev/null
kill "$nats_pid"; wait "$nats_pid" 2>/dev/null || true
nats_port=$(free_port)
nats-server -js -sd "$dir/nats-tls" -p "$nats_port" -a 127.0.0.1 \
  --tls --tlscert "$dir/nats-tls.crt" --tlskey "$dir/nats-tls.key" 2>"$dir/nats-tls.log" &
nats_pid=$!
sleep 0.5
echo "== NATS JetStream $nats_version over TLS, file storage, Nats-Msg-Id de-duplication: $runs runs of $events =="
MWP_NATS_TLS=1 nats nats-tls --events "$events" || say "JetStream over TLS failed"

# The storage alone: XADD of a payload the size of a stored event (~400 bytes), pipelined 256 deep.
payload=$(head -c 400 /dev/zero | tr '\0' 'x')
fresh_store
echo "== redis-benchmark XADD, appendfsync $policy: $runs runs of $events, -P 256 =="
for r in $(seq "$runs"); do
  redis-benchmark -p "$port" -n "$events" -P 256 -q XADD "bench:raw" '*' e "$payload" 2>/dev/null \
    | tr '\r' '\n' | grep -E 'requests per second' | tail -1 | sed -e 's/^.*: \([0-9.]* requests\)/\1/' -e "s/^/run $r: /"
done | tee "$dir/raw.txt"

# cpu ROW NAME: the median µs/event of one process in a row ("–" when it was not watched).
cpu() { awk -v n="$2" '/^cpu / {for (i = 3; i <= NF; i++) {split($i, kv, "="); if (kv[1] == n) v = kv[2]}} END {print v == "" ? "–" : v}' "$dir/$1.txt"; }
cpu_sum() { awk '/^cpu / {n = 1; for (i = 3; i <= NF; i++) {split($i, kv, "="); s += kv[2]}} END {if (n) printf "%.1f", s; else print "–"}' "$dir/$1.txt"; }
per_second() { local r; r=$(rate "$1"); [ "$r" = failed ] && echo failed || echo "$r/s"; }
latency() { awk -v p="$2" '/^latency/ {for (i = 3; i <= NF; i++) {split($i, kv, "="); if (kv[1] == p) print kv[2]}}' "$dir/$1.txt"; }
answers() { grep -m1 '^answers:' "$dir/$1.txt" | sed 's/^answers: //' | grep . || echo '(no answers: the run failed)'; }
# The median of numbers, one a line ("–" when any is not a number: a run failed).
median_of() { sort -n | awk '{a[NR] = $1; if ($1 !~ /^[0-9.]+$/) bad = 1} END {print (NR == 0 || bad) ? "–" : a[int((NR + 1) / 2)]}'; }
paired=$(awk -F': ' '{print $NF}' "$dir/paired.txt" | median_of)
paired_mwp=$(for i in $(seq "$pairs"); do rate "pair-mwp-$i"; done | median_of)
paired_nats=$(for i in $(seq "$pairs"); do rate "pair-nats-$i"; done | median_of)
raw=$(awk '{for (i=1;i<=NF;i++) if ($i ~ /^[0-9.]+$/ && $(i+1) == "requests") print $i}' "$dir/raw.txt" | median_of)
raw=${raw%%.*}

{
  echo "| row, median of $runs runs (load average $(cut -d' ' -f1-3 /proc/loadavg)) | events/s | redis-server µs/event | mwp-bus | nats-server | the sending program | sum | two cores' µs per event at that rate |"
  echo "|---|---|---|---|---|---|---|---|"
  for row in mwp-always mwp-everysec mwp-plain mwp-unbatched mwp-deep bare-always bare-everysec mwp-duplicates nats nats-deep nats-duplicates nats-tls; do
    sender=mwp-bench-ingest
    case $row in bare-*) sender=mwp-bench-raw-ingest ;; nats*) sender=mwp-bench-nats ;; esac
    echo "| $row | $(rate "$row") | $(cpu "$row" redis-server) | $(cpu "$row" mwp-bus) | $(cpu "$row" nats-server) | $(cpu "$row" "$sender") | $(cpu_sum "$row") | $(awk -v r="$(rate "$row")" 'BEGIN {if (r + 0 > 0) printf "%.1f", 2e6 / r; else print "–"}') |"
  done
} > "$dir/cpu.md"
echo "== CPU per event, each process over the timed runs =="
cat "$dir/cpu.md"

always=$(rate mwp-always) everysec=$(rate mwp-everysec) nats_rate=$(rate nats)
mwp_default=$(rate "mwp-$policy") bare=$(rate "bare-$policy")
echo "== medians: mwp $mwp_default events/s ($policy); bare $bare/s (mwp ÷ bare $(ratio "$mwp_default" "$bare"), goal ≥ 0.80); NATS JetStream $nats_rate/s (mwp ÷ NATS $(ratio "$mwp_default" "$nats_rate"), goal ≥ 1; with CURVE off $(ratio "$(rate mwp-plain)" "$nats_rate"); one frame a message $(ratio "$(rate mwp-unbatched)" "$nats_rate"); ÷ JetStream over TLS $(ratio "$mwp_default" "$(rate nats-tls)"); both with $deep_window in flight $(rate mwp-deep) ÷ $(rate nats-deep) = $(ratio "$(rate mwp-deep)" "$(rate nats-deep)"); paired $paired_mwp ÷ $paired_nats, the pairs' median $paired); always ÷ everysec $(ratio "$always" "$everysec"); raw XADD $raw/s; one at a time p99 $(latency mwp-single p99) µs (goal ≤ 1000) =="
if [ -n "${MWP_BENCH_ROWS:-}" ]; then
  {
    echo "| bus ingest: events acknowledged (de-duplicated, sequenced, appendfsync $policy), CURVE on, median of $runs × $events | $mwp_default/s | $bare/s bare hiredis, the bus's store, batches of 256 | $(ratio "$mwp_default" "$bare") | ≥ 0.80 |"
    echo "| the same ingest | $mwp_default/s | $nats_rate/s NATS JetStream $nats_version as Debian ships it (file storage synced every 2 min), Nats-Msg-Id de-duplication, async acks | $(ratio "$mwp_default" "$nats_rate") | ≥ 1 (faster) |"
    echo "| the same ingest with CURVE off (for comparison: JetStream's row has no encryption) | $(per_second mwp-plain) | $nats_rate/s NATS JetStream | $(ratio "$(rate mwp-plain)" "$nats_rate") | (what CurveZMQ costs) |"
    echo "| the same ingest, each frame a message of its own (no batches) | $(per_second mwp-unbatched) | $nats_rate/s NATS JetStream | $(ratio "$(rate mwp-unbatched)" "$nats_rate") | (what the batches bring) |"
    echo "| the same ingest, both encrypted | $mwp_default/s | $(per_second nats-tls) NATS JetStream over TLS | $(ratio "$mwp_default" "$(rate nats-tls)") | (like for like) |"
    echo "| the same ingest, paired: one run of each in turn, $pairs pairs of $events (medians) | $paired_mwp/s | $paired_nats/s NATS JetStream | $paired | ≥ 1 (the median of the pairs' ratios) |"
    echo "| the same ingest, $deep_window in flight instead of 1024 (both) | $(per_second mwp-deep) | $(per_second nats-deep) NATS JetStream | $(ratio "$(rate mwp-deep)" "$(rate nats-deep)") | (a deeper window) |"
    echo "| bus ingest, appendfsync always ÷ everysec | $always/s | $everysec/s | $(ratio "$always" "$everysec") | (what the fsync at each write costs) |"
    echo "| duplicates: 10 % re-sent, a few eventIds reused with other content — $(answers mwp-duplicates) | $(per_second mwp-duplicates) | $(per_second nats-duplicates) JetStream: $(answers nats-duplicates) | $(ratio "$(rate mwp-duplicates)" "$(rate nats-duplicates)") | every reuse refused |"
    echo "| acknowledgement one event at a time, p50 / p99 ($runs × $single) | $(latency mwp-single p50) / $(latency mwp-single p99) µs | $(latency nats-single p50) / $(latency nats-single p99) µs NATS JetStream | – | p99 ≤ 1000 µs |"
  } >> "$MWP_BENCH_ROWS"
  cp "$dir/cpu.md" "$MWP_BENCH_ROWS.cpu"
fi

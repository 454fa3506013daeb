#!/usr/bin/env bash
# The fault-injection run: a whole mwp (Redis with its append-only file, the bus, the six
# services, CurveZMQ on) takes a seeded stream of the simulated year — a tenth of it sent twice,
# some out of order — while every service is killed (kill -9) twice, the bus twice and Redis once,
# one service is stopped with SIGSTOP for 30 s and one starts only after half the stream. Then every
# acknowledged event must be in the log once and taken once by the services, and each service's
# state must equal a clean replay of the log into a fresh mwp. Prints the figures; exits 1 if any
# is not 0. Data and logs in var/chaos/.
#   ops/chaos.sh [EVENTS [SEED]] [mwp-chaos options…]   (defaults: 100000, 2019; a few minutes)
# The options are mwp-chaos's, passed to it and named by it when bad (exit 64): --events N,
# --seed S, --rate EVENTS_PER_S (1500), --pause-seconds S (30), --dir DIR (var/chaos), and
#   --ha               Redis as ops/run.sh --ha runs it (a primary and a replica for the log and for
#                      the state, three Sentinels); the faults are failovers: kill -9 of the log's
#                      primary, later of the state's, and SIGSTOP of the log's primary (6 s: longer
#                      than the Sentinels' 2 s, shorter than min-replicas-max-lag's 10 s), after
#                      which it comes back as a replica
#   --ack-replicas 0   with --ha: the bus acknowledges without waiting for a replica; the run
#                      reports how many acknowledged events that lost
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"
given=()
for name in EVENTS SEED; do
  [ $# -gt 0 ] && [[ $1 != -* ]] || break
  whole_number "$name" "$1"
  given+=("--${name,,}" "$1")
  shift
done

pause=30
for word in "$@"; do [ "$word" = --ha ] && pause=6; done

ensure_packages
build "$MWP_ROOT/build" RelWithDebInfo >/dev/null
# Later options win: the words given replace these defaults.
exec "$MWP_ROOT/build/tools/chaos/mwp-chaos" --build "$MWP_ROOT/build" --dir "$MWP_ROOT/var/chaos" \
  --events 100000 --seed 2019 --rate 1500 --pause-seconds "$pause" \
  --redis-server "$(command -v redis-server)" "${given[@]}" "$@"

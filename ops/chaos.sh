#!/usr/bin/env bash
# The fault-injection run of issue 7: a whole mwp (Redis with its append-only file, the bus, the six
# services, CurveZMQ on) takes a seeded stream of the simulated year — a tenth of it sent twice,
# some out of order — while every service is killed (kill -9) twice, the bus twice and Redis once,
# one service is stopped with SIGSTOP for 30 s and one starts only after half the stream. Then every
# acknowledged event must be in the log once and taken once by the services, and each service's
# state must equal a clean replay of the log into a fresh mwp. Prints the figures; exits 1 if any
# is not 0. Data and logs in var/chaos/.
#   ops/chaos.sh [EVENTS] [SEED]        (defaults: 100000, 2019; takes a few minutes)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
events=${1:-100000}
seed=${2:-2019}

ensure_packages
build "$MWP_ROOT/build" RelWithDebInfo >/dev/null
exec "$MWP_ROOT/build/tools/chaos/mwp-chaos" --build "$MWP_ROOT/build" --dir "$MWP_ROOT/var/chaos" \
  --events "$events" --seed "$seed" --rate 1500 --pause-seconds 30 \
  --redis-server "$(command -v redis-server)"

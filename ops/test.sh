#!/usr/bin/env bash
# The whole test suite, from a fresh Debian bookworm machine: installs what is missing, builds,
# starts a private Redis on a free port, runs every test under CTest, stops Redis.
#   ops/test.sh [ctest options…]     e.g. ops/test.sh -R Bus
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$MWP_ROOT/ops/build.sh" "$MWP_ROOT/build"
ensure_openapi_linter
cmake -S "$MWP_ROOT" -B "$MWP_ROOT/build" >/dev/null  # finds the linter just installed

port=$(free_port)
dir=$(mktemp -d /tmp/mwp-test-redis.XXXXXX)
trap 'stop_redis "$port"; rm -rf "$dir"' EXIT
start_redis "$port" "$dir" --appendonly yes
say "test Redis on 127.0.0.1:$port"

export MWP_TEST_REDIS_PORT=$port
(cd "$MWP_ROOT/build" && ctest --output-on-failure --timeout 300 "$@")

# The fuzzing harnesses, 30 s each from their seed corpus (unless ctest options chose other tests).
if [ $# -eq 0 ]; then
  build_fuzzers
  (cd "$MWP_ROOT/build-fuzz" && ctest --output-on-failure -R '^Fuzz_')
fi

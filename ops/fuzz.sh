#!/usr/bin/env bash
# Runs the libFuzzer harnesses (ASan + UBSan) longer than the test suite does, each from its seed
# corpus; findings are kept in build-fuzz/fuzz/corpus-<name>/findings/.
#   ops/fuzz.sh [SECONDS_EACH]     (default 300)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"
operands_only 1 "$@"
seconds=${1:-300}
whole_number SECONDS_EACH "$seconds"
ensure_packages
build_clang_checks -DMWP_FUZZ_SECONDS="$seconds"
port=$(free_port)
dir=$(mktemp -d /tmp/mwp-fuzz-redis.XXXXXX)
trap 'stop_redis "$port"; rm -rf "$dir"' EXIT
start_redis "$port" "$dir"
export MWP_TEST_REDIS_PORT=$port
cd "$MWP_ROOT/build-fuzz" && ctest --output-on-failure -R '^Fuzz_' --timeout $((seconds + 300))

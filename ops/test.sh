#!/usr/bin/env bash
# The whole test suite, from a fresh Debian bookworm machine: installs what is missing, builds,
# starts a private Redis on a free port (with the ACL users of ops/redis/users.acl.in, their
# passwords made afresh), runs every test under CTest, stops Redis.
#   ops/test.sh [ctest options…]     e.g. ops/test.sh -R Bus (ctest names a bad one; exit 64)
# With no options it also builds the fuzzers and the unit tests with clang under ASan and UBSan,
# runs those unit tests, and the fuzzers 30 s each.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"

"$MWP_ROOT/ops/build.sh" "$MWP_ROOT/build"
ensure_openapi_linter
cmake -S "$MWP_ROOT" -B "$MWP_ROOT/build" >/dev/null  # finds the linter just installed

port=$(free_port)
dir=$(mktemp -d /tmp/mwp-test-redis.XXXXXX)
trap 'stop_redis "$port"; rm -rf "$dir"' EXIT
# The users of ops/redis/users.acl.in, as in production: each test logs in as the part it plays.
export MWP_REDIS_SECRETS=$dir/secrets
write_redis_secrets "$MWP_REDIS_SECRETS"
start_redis "$port" "$dir/data" --include "$MWP_ROOT/ops/redis/durability.conf"
say "test Redis on 127.0.0.1:$port, with its ACL users"

export MWP_TEST_REDIS_PORT=$port MWP_TEST_REDIS_SECRETS=$MWP_REDIS_SECRETS
(cd "$MWP_ROOT/build" && ctest --output-on-failure --timeout 300 "$@")

# Unless ctest options chose other tests: the unit tests again as clang builds them, and the
# fuzzing harnesses, 30 s each from their seed corpus.
if [ $# -eq 0 ]; then
  build_clang_checks
  say "the unit tests, built by clang under ASan and UBSan"
  "$MWP_ROOT/build-fuzz/tests/mwp_unit_tests" --gtest_brief=1
  (cd "$MWP_ROOT/build-fuzz" && ctest --output-on-failure -R '^Fuzz_')
fi

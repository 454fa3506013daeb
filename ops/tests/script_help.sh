#!/usr/bin/env bash
# Every script of ops/ answers --help and -h with its usage and exit 0, and names a bad word and
# exits 64 before it installs, builds or starts anything.
#   script_help.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/ops/lib.sh"
answer_help "$@"
operands_only 0 "$@"
failures=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }

# expect CODE FIRST_STDERR_LINE SCRIPT WORDS…: the exit code and the first line on stderr.
expect() {
  local code=$1 message=$2 script=$3; shift 3
  local err rc
  err=$(timeout 20 "$root/$script" "$@" 2>&1 >/dev/null | head -1)
  timeout 20 "$root/$script" "$@" >/dev/null 2>&1; rc=$?
  [ "$rc" -eq "$code" ] || fail "$script $*: exit $rc, expected $code"
  [ "$err" = "$message" ] || fail "$script $*: said \"$err\", expected \"$message\""
}

scripts=(ops/run.sh ops/test.sh ops/build.sh ops/chaos.sh ops/bench.sh ops/bench-ingest.sh
  ops/fuzz.sh ops/redis/secrets.sh ops/tests/dashboard_queries.sh ops/tests/nginx_tls.sh
  ops/tests/script_help.sh ops/tests/redis_durability.sh)
for script in "${scripts[@]}"; do
  for help in --help -h; do
    out=$(timeout 20 "$root/$script" "$help" 2>/dev/null); rc=$?
    [ "$rc" -eq 0 ] || fail "$script $help: exit $rc"
    grep -Eq "^  ($script|$(basename "$script"))( |$)" <<<"$out" ||
      fail "$script $help: no usage line in: $out"
  done
done

expect 64 'ops/run.sh: --bogus: unknown option' ops/run.sh --bogus
expect 64 'ops/run.sh: --demo-workers: not a whole number: "20k"' ops/run.sh --demo-workers 20k
expect 64 'ops/run.sh: --demo-workers: needs a value (N)' ops/run.sh --demo-workers
expect 64 'ops/bench.sh: EVENTS: not a whole number: "20k"' ops/bench.sh 20k
expect 64 'ops/bench.sh: --events: unknown option' ops/bench.sh --events 20000
expect 64 'ops/bench-ingest.sh: "9": unexpected argument' ops/bench-ingest.sh 100 5 9
expect 64 'ops/fuzz.sh: SECONDS_EACH: not a whole number: "5m"' ops/fuzz.sh 5m
expect 64 'ops/build.sh: CMAKE_BUILD_TYPE: not Debug, Release, RelWithDebInfo or MinSizeRel: "Fast"' \
  ops/build.sh build Fast
expect 64 'ops/chaos.sh: EVENTS: not a whole number: "20k"' ops/chaos.sh 20k
expect 64 'ops/tests/nginx_tls.sh: BUILD_DIR: missing' ops/tests/nginx_tls.sh
expect 64 'ops/redis/secrets.sh: needs the folder to write into (DIR)' ops/redis/secrets.sh

[ "$failures" -eq 0 ] && echo "every ops script answers --help and names a bad word"
exit $((failures > 0))

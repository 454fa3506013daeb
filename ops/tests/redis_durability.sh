#!/usr/bin/env bash
# Every Redis of mwp keeps its append-only file as ops/redis/durability.conf says: the scripts,
# the tools and the tests include that file; the deployment files, which cannot include a file of
# this repository, must name the same settings. Prints each place that says otherwise.
#   redis_durability.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/ops/lib.sh"
answer_help "$@"
operands_only 0 "$@"
failures=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }

conf=$root/ops/redis/durability.conf
appendonly=$(awk '$1 == "appendonly" {print $2}' "$conf")
appendfsync=$(awk '$1 == "appendfsync" {print $2}' "$conf")
[ "$appendonly" = yes ] || fail "$conf: appendonly is \"$appendonly\", not yes"
[ -n "$appendfsync" ] || fail "$conf: no appendfsync"

# Those that include the file, and set neither setting themselves.
for file in ops/run.sh ops/test.sh ops/bench-ingest.sh tests/support/test_env.cpp \
  tools/system/local_system.cpp tools/system/redis_group.cpp; do
  grep -q 'durability' "$root/$file" || fail "$file does not include ops/redis/durability.conf"
  grep -Eq -- '"?--append(only|fsync)' "$root/$file" && fail "$file sets the append-only file itself"
done

# docker-compose: each redis-server's command, ["--appendonly", "yes", "--appendfsync", "…"].
compose=$root/docker/docker-compose.yml
servers=$(grep -c '^ *command: \["--appendonly"' "$compose")
[ "$servers" -gt 0 ] || fail "docker/docker-compose.yml: no Redis server's command found"
same=$(grep -c "^ *command: \[\"--appendonly\", \"$appendonly\", \"--appendfsync\", \"$appendfsync\"" "$compose")
[ "$same" -eq "$servers" ] ||
  fail "docker/docker-compose.yml: $((servers - same)) of $servers Redis servers not on appendfsync $appendfsync"

# Kubernetes: the one StatefulSet template every Redis group is made from.
k8s=$root/ops/k8s/redis-group/redis-group.yaml
grep -q -- "--appendonly $appendonly --appendfsync $appendfsync" "$k8s" ||
  fail "ops/k8s/redis-group/redis-group.yaml: not --appendonly $appendonly --appendfsync $appendfsync"

[ "$failures" -eq 0 ] && echo "every Redis of mwp: appendonly $appendonly, appendfsync $appendfsync"
exit $((failures > 0))

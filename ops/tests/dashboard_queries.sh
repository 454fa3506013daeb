#!/usr/bin/env bash
# Every query of every Grafana dashboard, run against a real Prometheus that scrapes the real bus,
# services and gateway after a small demo: each must parse and return data.
#   dashboard_queries.sh BUILD_DIR        (needs MWP_TEST_REDIS_PORT, prometheus, node)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/ops/lib.sh"
answer_help "$@"
operands_only 1 "$@"
[ $# -eq 1 ] || usage_error "BUILD_DIR: missing"
build=$1
: "${MWP_TEST_REDIS_PORT:?run through ops/test.sh}"
work=$(mktemp -d /tmp/mwp-dashboards.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

admin_redis_cli -p "$MWP_TEST_REDIS_PORT" flushall >/dev/null
export MWP_REDIS_PORT=$MWP_TEST_REDIS_PORT MWP_INDICATOR_REFRESH_MS=500
[ -z "$MWP_REDIS_SECRETS" ] || export_redis_logins  # each process as its own Redis user
export MWP_BUS_INGEST="tcp://127.0.0.1:$(free_port)" MWP_BUS_PUBLISH="tcp://127.0.0.1:$(free_port)"
bus_admin=$(free_port)
MWP_BUS_INGEST_BIND=$MWP_BUS_INGEST MWP_BUS_PUBLISH_BIND=$MWP_BUS_PUBLISH MWP_BUS_ADMIN_PORT=$bus_admin \
  "$build/services/bus/mwp-bus" 2>"$work/bus.log" &
pids+=($!)
targets="      - targets: [\"127.0.0.1:$bus_admin\"]\n        labels: {component: bus}\n"
services_job=""
for s in employment housing education health rights outreach; do
  upper=$(echo "$s" | tr a-z A-Z)
  query="tcp://127.0.0.1:$(free_port)"; admin=$(free_port)
  export "MWP_${upper}_QUERY=$query"
  env "MWP_${upper}_QUERY_BIND=$query" "MWP_${upper}_ADMIN_PORT=$admin" "$build/services/$s/mwp-$s" 2>"$work/$s.log" &
  pids+=($!)
  services_job+="      - targets: [\"127.0.0.1:$admin\"]\n        labels: {component: $s}\n"
done
key=$("$build/tools/mwpctl/mwpctl" keygen api test-integrator integrator 2>"$work/api-keys")
gw=$(free_port); gw_admin=$(free_port)
MWP_API_KEYS_FILE="$work/api-keys" MWP_GATEWAY_PORT=$gw MWP_GATEWAY_ADMIN_PORT=$gw_admin \
  "$build/gateway/mwp-gateway" 2>"$work/gateway.log" &
pids+=($!)

cp "$root/ops/prometheus/rules.yml" "$root/ops/prometheus/alerts.yml" "$work/"
printf "global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: [rules.yml, alerts.yml]\nscrape_configs:\n  - job_name: mwp-bus\n    static_configs:\n$targets  - job_name: mwp-gateway\n    static_configs:\n      - targets: [\"127.0.0.1:$gw_admin\"]\n        labels: {component: gateway}\n  - job_name: mwp-services\n    static_configs:\n$services_job" > "$work/prometheus.yml"
prom=$(free_port)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom" 2>"$work/prometheus.log" &
pids+=($!)

sleep 1
"$build/tools/mwpctl/mwpctl" simulate --workers 300 2>&1 | tail -1
for _ in $(seq 20); do curl -fsS -H "Authorization: Bearer $key" "http://127.0.0.1:$gw/v1/measures/1" >/dev/null && break; sleep 0.3; done
sleep 12  # several scrapes, so that rates have two samples

status=0
node "$root/ops/tests/dashboard_queries.mjs" "http://127.0.0.1:$prom" "$root/ops/grafana/dashboards"/*.json || status=1

# Privacy: after the demo, no log line and no /metrics output holds anything shaped like a
# resident ID (six digits of area, a birth date, three digits and a check character).
id='[1-6][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]'
for port in $bus_admin $gw_admin $(grep -oE '127.0.0.1:[0-9]+' "$work/prometheus.yml" | cut -d: -f2); do
  curl -fsS "http://127.0.0.1:$port/metrics" >> "$work/metrics.txt" 2>/dev/null || true
done
leaks=$(grep -hEo "(^|[^0-9])$id([^0-9]|\$)" "$work"/*.log "$work/metrics.txt" | head -3 || true)
if [ -n "$leaks" ]; then
  echo "FAIL privacy: something shaped like a resident ID in the logs or /metrics:"; echo "$leaks"; status=1
else
  echo "privacy: $(cat "$work"/*.log | wc -l) log lines and $(wc -l < "$work/metrics.txt") metric lines, no resident ID"
fi
exit $status

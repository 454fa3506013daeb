#!/usr/bin/env bash
# The main job, from a fresh Debian bookworm machine: installs what is missing, builds, starts
# Redis (append-only file on, data under var/), the bus and every service built so far, publishes
# the sample events through the real bus, and runs until Ctrl-C or SIGTERM, then stops them all.
#   ops/run.sh [--demo-workers N] [--ha]
#     --demo-workers N   N workers in the simulated year (default 20000; 0: no demo)
#     --ha               Redis as a primary, a replica and three Sentinels on this machine, every
#                        part finding the primary through them, the bus acknowledging what the
#                        replica has (for trying out failover: see the README)
# Ports (defaults): MWP_REDIS_PORT 6380, MWP_BUS_INGEST_PORT 7101, MWP_BUS_PUBLISH_PORT 7102,
# MWP_BUS_ADMIN_PORT 9101, MWP_GATEWAY_PORT 8080, MWP_GATEWAY_ADMIN_PORT 9200; services 720N/920N.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"

demo_workers=20000
example=""
ha=""
while [ $# -gt 0 ]; do
  case $1 in
    --demo-workers)
      [ $# -ge 2 ] || usage_error "--demo-workers: needs a value (N)"
      whole_number --demo-workers "$2"
      demo_workers=$2; shift 2 ;;
    --ha) ha=1; shift ;;
    -*) usage_error "$1: unknown option" ;;
    *) usage_error "\"$1\": unexpected argument" ;;
  esac
done

"$MWP_ROOT/ops/build.sh" "$MWP_ROOT/build"

var="$MWP_ROOT/var"
mkdir -p "$var/redis" "$var/log"
export MWP_REDIS_PORT=${MWP_REDIS_PORT:-6380}
export MWP_BUS_INGEST_BIND="tcp://127.0.0.1:${MWP_BUS_INGEST_PORT:-7101}"
export MWP_BUS_PUBLISH_BIND="tcp://127.0.0.1:${MWP_BUS_PUBLISH_PORT:-7102}"
export MWP_BUS_ADMIN_PORT=${MWP_BUS_ADMIN_PORT:-9101}
export MWP_BUS_INGEST=$MWP_BUS_INGEST_BIND MWP_BUS_PUBLISH=$MWP_BUS_PUBLISH_BIND
# Services built so far, with their query and admin ports (defaults in each service's main.cpp):
#   employment 7201/9201, housing 7202/9202, education 7203/9203, health 7204/9204,
#   rights 7205/9205, outreach 7206/9206
MWP_SERVICES="employment housing education health rights outreach"

pids=()
stop_all() {
  trap - INT TERM EXIT
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for port in "${redis_ports[@]}"; do  # saves nothing: the AOF has it all
    admin_redis_cli -p "$port" shutdown >/dev/null 2>&1 || true
  done
  for pidfile in "$var"/sentinel-*/sentinel.pid; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  done
  say "stopped"
}
trap stop_all INT TERM EXIT

# Redis's users, one per part (ops/redis/users.acl.in), their passwords made once into
# var/redis-secrets (0600 files, kept across runs): every process logs in as its own user, from its
# password file, at whichever Redis it reaches; a connection without a user is refused.
export MWP_REDIS_SECRETS="$var/redis-secrets"
write_redis_secrets "$MWP_REDIS_SECRETS"
export_redis_logins

# The append-only file as ops/redis/durability.conf keeps it; what an acknowledgement then means,
# and what can be lost when, is in the README ("Guarantees").
durability=(--include "$MWP_ROOT/ops/redis/durability.conf")
redis_ports=("$MWP_REDIS_PORT")
if [ -z "$ha" ]; then
  start_redis "$MWP_REDIS_PORT" "$var/redis" "${durability[@]}"
  say "Redis on 127.0.0.1:$MWP_REDIS_PORT, data in var/redis"
else
  # A primary stops taking writes when its replica is more than 10 s behind or gone
  # (min-replicas-to-write), so nothing is acknowledged that only one machine has. Both have the
  # setting: after a failover the replica is the primary.
  replica_port=$((MWP_REDIS_PORT + 1))
  start_redis "$MWP_REDIS_PORT" "$var/redis" "${durability[@]}" \
    --min-replicas-to-write 1 --min-replicas-max-lag 10
  start_redis "$replica_port" "$var/redis-replica" "${durability[@]}" \
    --replicaof 127.0.0.1 "$MWP_REDIS_PORT" --min-replicas-to-write 1 --min-replicas-max-lag 10
  redis_ports+=("$replica_port")
  sentinels=""
  for i in 0 1 2; do
    port=$((26380 + i))
    mkdir -p "$var/sentinel-$i" && chmod 700 "$var/sentinel-$i"  # Sentinel rewrites its conf 0644
    # The Sentinels log in to the primary and the replica as the sentinel user, and answer only
    # those who give their own password (requirepass; sentinel-pass among themselves).
    (umask 077 && printf '%s\n' "port $port" "bind 127.0.0.1" "dir $var/sentinel-$i" \
      "sentinel monitor mwp 127.0.0.1 $MWP_REDIS_PORT 2" "sentinel down-after-milliseconds mwp 5000" \
      "sentinel failover-timeout mwp 30000" "sentinel auth-user mwp sentinel" \
      "sentinel auth-pass mwp $(tr -d '\n' < "$MWP_REDIS_SECRETS/sentinel.password")" \
      "requirepass $(tr -d '\n' < "$MWP_REDIS_SECRETS/sentinels.password")" \
      "sentinel sentinel-pass $(tr -d '\n' < "$MWP_REDIS_SECRETS/sentinels.password")" \
      > "$var/sentinel-$i/sentinel.conf")
    redis-server "$var/sentinel-$i/sentinel.conf" --sentinel --daemonize yes \
      --logfile "$var/sentinel-$i/sentinel.log" --pidfile "$var/sentinel-$i/sentinel.pid" >/dev/null
    sentinels+="${sentinels:+,}127.0.0.1:$port"
  done
  export MWP_REDIS_SENTINELS=$sentinels MWP_REDIS_PRIMARY=mwp \
    MWP_REDIS_SENTINEL_PASSWORD_FILE=$MWP_REDIS_SECRETS/sentinels.password
  say "Redis primary on 127.0.0.1:$MWP_REDIS_PORT, replica on $replica_port, Sentinels on $sentinels"
fi

# CurveZMQ on every socket, with keys made once and kept in var/keys: the bus's, the services' (one
# pair they share: user id mwpService), the gateway's, the operator's and a department's (hrss). Only
# listed keys may connect; a department's key may only send that department's events, and only mwp's
# own parts may follow the fan-out or ask the services.
mwpctl="$MWP_ROOT/build/tools/mwpctl/mwpctl"
keys="$var/keys"
mkdir -p "$keys" && chmod 700 "$keys"
for name in bus hrss mwpService gateway operator; do
  [ -f "$keys/$name.key" ] || "$mwpctl" keygen curve "$name" "$keys" >/dev/null
done
for name in hrss mwpService gateway operator; do
  echo "$name $(awk '/^public/ {print $2}' "$keys/$name.pub")"
done > "$keys/clients"
export MWP_BUS_SERVER_KEY_FILE="$keys/bus.pub" MWP_CURVE_CLIENTS="$keys/clients"

MWP_KEY_FILE="$keys/bus.key" "$MWP_ROOT/build/services/bus/mwp-bus" 2>>"$var/log/bus.log" &
pids+=($!)
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$MWP_BUS_ADMIN_PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$MWP_BUS_ADMIN_PORT/readyz" >/dev/null || { say "the bus did not become ready; see var/log/bus.log"; exit 1; }

# 最低工资规定: belowMinimumWage is off until the areas' monthly minimum wages are set. The demo
# sets one figure (2,100 yuan, 四川省's first tier) in every area; a deployment sets each area's tier.
if [ -z "${MWP_MINIMUM_WAGE:-}" ]; then
  MWP_MINIMUM_WAGE=$(printf '%s=2100,' 510703 510704 510705 510722 510723 510725 510726 510727 510781 \
    MYGX MYJK MYKJ MYXH MYKXC)
  export MWP_MINIMUM_WAGE=${MWP_MINIMUM_WAGE%,}
fi

# The services: each follows every partition (one instance each on one machine).
start_service() {
  local name=$1
  MWP_KEY_FILE="$keys/mwpService.key" "$MWP_ROOT/build/services/$name/mwp-$name" 2>>"$var/log/$name.log" &
  pids+=($!)
}
for service in $MWP_SERVICES; do start_service "$service"; done

# Demo API keys, one per role, made afresh each run; the gateway keeps only their hashes.
export MWP_GATEWAY_PORT=${MWP_GATEWAY_PORT:-8080} MWP_GATEWAY_ADMIN_PORT=${MWP_GATEWAY_ADMIN_PORT:-9200}
export MWP_API_KEYS_FILE="$var/api-keys"
: > "$MWP_API_KEYS_FILE"
demo_keys=""
for role in admin integrator caseworker health auditor; do
  key=$("$MWP_ROOT/build/tools/mwpctl/mwpctl" keygen api "demo-$role" "$role" 2>>"$MWP_API_KEYS_FILE")
  demo_keys+="MWP_DEMO_KEY_$(echo "$role" | tr a-z A-Z)=$key"$'\n'
done
key=$("$MWP_ROOT/build/tools/mwpctl/mwpctl" keygen api demo-hrss department hrss 2>>"$MWP_API_KEYS_FILE")
demo_keys+="MWP_DEMO_KEY_DEPARTMENT_HRSS=$key"$'\n'
# The secret integrators' workerRefs are made with: kept across runs, so their references hold.
export MWP_GATEWAY_REF_SECRET_FILE="$keys/worker-ref.secret"
[ -s "$MWP_GATEWAY_REF_SECRET_FILE" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$MWP_GATEWAY_REF_SECRET_FILE")
MWP_KEY_FILE="$keys/gateway.key" MWP_SERVICES_SERVER_KEY_FILE="$keys/mwpService.pub" \
  "$MWP_ROOT/build/gateway/mwp-gateway" 2>>"$var/log/gateway.log" &
pids+=($!)

# Prometheus, scraping every process, with the recording rules and alerts of ops/prometheus/.
export MWP_PROMETHEUS_PORT=${MWP_PROMETHEUS_PORT:-9090}
mkdir -p "$var/prometheus"
prometheus --config.file="$MWP_ROOT/ops/prometheus/prometheus.yml" --storage.tsdb.path="$var/prometheus" \
  --web.listen-address="127.0.0.1:$MWP_PROMETHEUS_PORT" 2>>"$var/log/prometheus.log" &
pids+=($!)

cat > "$var/run.env" <<ENV
MWP_BUS_INGEST=$MWP_BUS_INGEST
MWP_KEY_FILE=$keys/hrss.key
MWP_BUS_SERVER_KEY_FILE=$keys/bus.pub
MWP_BUS_PUBLISH=$MWP_BUS_PUBLISH
MWP_REDIS_PORT=$MWP_REDIS_PORT
MWP_REDIS_SENTINELS=${MWP_REDIS_SENTINELS:-}
MWP_REDIS_PRIMARY=${MWP_REDIS_PRIMARY:-mwp}
MWP_REDIS_SENTINEL_PASSWORD_FILE=${MWP_REDIS_SENTINEL_PASSWORD_FILE:-}
MWP_REDIS_USER=operator
MWP_REDIS_PASSWORD_FILE=$MWP_REDIS_SECRETS/operator.password
MWP_BUS_METRICS_URL=http://127.0.0.1:$MWP_BUS_ADMIN_PORT/metrics
MWP_GATEWAY_URL=http://127.0.0.1:$MWP_GATEWAY_PORT
MWP_PROMETHEUS_URL=http://127.0.0.1:$MWP_PROMETHEUS_PORT
MWP_GATEWAY_METRICS_URL=http://127.0.0.1:$MWP_GATEWAY_ADMIN_PORT/metrics
${demo_keys}$(for service in $MWP_SERVICES; do
  upper=$(echo "$service" | tr a-z A-Z)
  case $service in employment) n=1;; housing) n=2;; education) n=3;; health) n=4;; rights) n=5;; outreach) n=6;; esac
  echo "MWP_${upper}_QUERY=tcp://127.0.0.1:720$n"
  echo "MWP_${upper}_METRICS_URL=http://127.0.0.1:920$n/metrics"
done)
ENV

for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$MWP_GATEWAY_PORT/v1/openapi.json" >/dev/null 2>&1 && break; sleep 0.1; done

if [ "$demo_workers" -gt 0 ]; then
  say "loading the demo: a simulated year of Mianyang with $demo_workers workers, through the bus"
  MWP_KEY_FILE="$keys/operator.key" "$mwpctl" simulate --workers "$demo_workers"
  say "waiting for the services to apply it"
  for _ in $(seq 600); do
    lag=0
    for n in 1 2 3 4 5 6; do
      l=$(curl -fsS "http://127.0.0.1:920$n/metrics" 2>/dev/null | awk '/^mwp_service_lag_events/ {s += $2} END {print s + 0}')
      lag=$((lag + ${l%.*}))
    done
    [ "$lag" -eq 0 ] && break
    sleep 0.5
  done
  sleep 6  # one refresh of the measure gauges (every 5 s)
  (set -a; . "$var/run.env"; "$mwpctl" measures) || true
  say "measure 20, wage payment at the source: open warnings city-wide, by rule (Grafana: 工资支付监控)"
  curl -fsS "http://127.0.0.1:9205/metrics" | grep '^mwp_measure_value' | grep 'area="all"' |
    grep -E 'indicator="(warnings_open_|government_projects_red_open)' | sed 's/^/  /' >&2 || true
  # One worker of the demo, for the example below (an administrator's key sees full IDs).
  example=$(set -a; . "$var/run.env"; curl -fsS -H "Authorization: Bearer $MWP_DEMO_KEY_ADMIN" \
    "$MWP_GATEWAY_URL/v1/workers?page_size=1" | grep -oE '"workerId":"[0-9X]{18}"' | head -1 | cut -d'"' -f4) || true
fi

cat >&2 <<MSG
mwp is running. Logs in var/log/, settings and demo API keys for scripts in var/run.env.
  gateway:   http://127.0.0.1:$MWP_GATEWAY_PORT   demo keys, one per role:
$(grep '^MWP_DEMO_KEY_' "$var/run.env" | sed 's/^/             /')
  the API:   curl -H "Authorization: Bearer \$MWP_DEMO_KEY_INTEGRATOR" http://127.0.0.1:$MWP_GATEWAY_PORT/v1/workers/${example:-<workerId>}
             (set -a; . var/run.env) first; the API is described at /v1/openapi.json
  publish:   build/tools/mwpctl/mwpctl publish events.ndjson   (with var/run.env: the hrss key)
  the log:   build/tools/mwpctl/mwpctl tail
  Prometheus: http://127.0.0.1:$MWP_PROMETHEUS_PORT  (targets, alerts, mwp:measure_progress:ratio)
  metrics:   curl http://127.0.0.1:$MWP_BUS_ADMIN_PORT/metrics                (the bus)
             curl http://127.0.0.1:920N/metrics | grep mwp_measure_value   (N: 1 employment,
             2 housing, 3 education, 4 health, 5 rights, 6 outreach)
Ctrl-C stops everything.
MSG
wait "${pids[@]}"

#!/usr/bin/env bash
# HTTPS in front of the gateway as deployed: the nginx template of docker/nginx, rendered for
# Debian's nginx with a self-signed certificate; a request through it must reach the gateway.
#   nginx_tls.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/ops/lib.sh"
answer_help "$@"
operands_only 1 "$@"
[ $# -eq 1 ] || usage_error "BUILD_DIR: missing"
build=$1
work=$(mktemp -d /tmp/mwp-nginx.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

key=$("$build/tools/mwpctl/mwpctl" keygen api tls-test integrator 2>"$work/api-keys")
gw=$(free_port)
MWP_API_KEYS_FILE="$work/api-keys" MWP_GATEWAY_PORT=$gw MWP_GATEWAY_ADMIN_PORT=0 \
  "$build/gateway/mwp-gateway" 2>"$work/gateway.log" &
pids+=($!)

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
tls=$(free_port)
mkdir -p "$work/logs"
sed -e "s|\${MWP_GATEWAY_UPSTREAM}|127.0.0.1:$gw|" -e "s|\${MWP_TLS_PORT}|127.0.0.1:$tls|" \
    -e "s|\${MWP_TLS_CERT}|$work/tls.crt|" -e "s|\${MWP_TLS_KEY}|$work/tls.key|" \
    "$root/docker/nginx/templates/mwp.conf.template" > "$work/mwp.conf"
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/logs/error.log;
events {}
http {
  access_log $work/logs/access.log;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  include $work/mwp.conf;
}
CONF
nginx -t -p "$work" -c "$work/nginx.conf" 2>&1 | tail -1
nginx -p "$work" -c "$work/nginx.conf" -g "daemon off;" &
pids+=($!)
for _ in $(seq 50); do curl -ks "https://127.0.0.1:$tls/v1/openapi.json" >/dev/null 2>&1 && break; sleep 0.1; done

fail=0
doc=$(curl -ks -w '\n%{http_code}' "https://127.0.0.1:$tls/v1/openapi.json")
[ "$(tail -1 <<<"$doc")" = 200 ] && grep -q '"openapi"' <<<"$doc" || { echo "FAIL: the OpenAPI document through TLS"; fail=1; }
code=$(curl -ks -o /dev/null -w '%{http_code}' "https://127.0.0.1:$tls/v1/measures")
[ "$code" = 401 ] || { echo "FAIL: no key through TLS gave $code, not 401"; fail=1; }
code=$(curl -ks -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "https://127.0.0.1:$tls/v1/measures/1")
[ "$code" = 200 ] || [ "$code" = 503 ] || { echo "FAIL: a keyed request through TLS gave $code"; fail=1; }
curl -s -o /dev/null "http://127.0.0.1:$tls/v1/openapi.json" -w '%{http_code}' | grep -q 400 \
  || { echo "FAIL: plain HTTP on the TLS port was not refused"; fail=1; }
[ $fail = 0 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; exit 1; }

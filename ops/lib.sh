# Shared by ops/*.sh: install what is missing, build, start a private Redis. Source it; do not run.
# Every function prints what it does on stderr and stops the script on failure.

MWP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages the build, the tests and the main job need.
MWP_PACKAGES=(
  build-essential cmake pkg-config
  libzmq3-dev cppzmq-dev capnproto libcapnp-dev libhiredis-dev prometheus-cpp-dev
  python3-zmq  # docs/ingest.md's Python example (tools/examples/python), run by the tests
  libcpp-httplib-dev libboost-dev libsodium-dev libxxhash-dev redis-server redis-tools googletest libgtest-dev libgmock-dev curl
  prometheus docker-compose kubectl nginx-light openssl
  libssl-dev  # mwp-bench-nats's TLS row
  clang libclang-rt-14-dev
  gdb  # the stacks of a process that does not stop on SIGTERM (ChildProcess::terminateWithin)
)

say() { printf '%s\n' "mwp: $*" >&2; }

# The command line of every script, as the tools answer theirs: --help and -h print the usage and
# exit 0; a bad word is named and exits 64 (EX_USAGE). The usage is the script's opening comment.
MWP_SCRIPT=$(realpath "$0"); MWP_SCRIPT=${MWP_SCRIPT#"$MWP_ROOT"/}

# answer_help "$@": with -h or --help among the words, prints the usage and exits 0.
answer_help() {
  local word
  for word in "$@"; do
    case $word in
      -h | --help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    esac
  done
}

# usage_error MESSAGE: names the bad word on stderr and exits 64, before anything is done.
usage_error() {
  printf '%s: %s\n' "$MWP_SCRIPT" "$*" >&2
  printf '(%s --help tells its usage)\n' "$MWP_SCRIPT" >&2
  exit 64
}

# operands_only MAX "$@": a script that takes up to MAX words and no options.
operands_only() {
  local max=$1 word; shift
  for word in "$@"; do
    [[ $word == -* ]] && usage_error "$word: unknown option"
  done
  [ $# -le "$max" ] || usage_error "\"${*:max+1:1}\": unexpected argument"
}

# whole_number NAME VALUE: VALUE must be digits only, as the tools' whole numbers are.
whole_number() {
  [[ $2 =~ ^[0-9]+$ ]] || usage_error "$1: not a whole number: \"$2\""
}

ensure_packages() {
  local missing=()
  for p in "${MWP_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts system-wide Prometheus and nginx on install where it can; mwp runs its own.
  for unit in prometheus nginx; do $sudo service "$unit" stop >/dev/null 2>&1 || true; done
}

# What only the benchmarks need: the HTTP load generator, and NATS as the ingest's peer.
ensure_bench_packages() {
  local saved=("${MWP_PACKAGES[@]}")
  MWP_PACKAGES=(wrk nats-server)
  ensure_packages
  MWP_PACKAGES=("${saved[@]}")
}

# build DIR [CMAKE_BUILD_TYPE]
build() {
  local dir=$1 type=${2:-RelWithDebInfo}
  say "building into ${dir#$MWP_ROOT/} ($type)"
  cmake -S "$MWP_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

# The fuzzing build: clang with ASan, UBSan and libFuzzer, the harnesses of fuzz/ only.
# The fuzzers, and the unit tests a second time, built by clang under ASan and UBSan in
# build-fuzz: a second compiler finds what the first one's choices hide (it evaluates function
# arguments in another order).
build_clang_checks() {
  local dir=$MWP_ROOT/build-fuzz
  say "building the fuzzers and the unit tests into build-fuzz (clang, ASan, UBSan)"
  cmake -S "$MWP_ROOT" -B "$dir" -DMWP_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)" --target mwp-fuzz-envelope mwp-fuzz-batch mwp-fuzz-json mwp-fuzz-gateway \
    mwp-fuzz-csv mwp_unit_tests
}

# The OpenAPI linter, from the npm registry, kept in .tools/ (not tracked).
ensure_openapi_linter() {
  local tools="$MWP_ROOT/.tools"
  [ -x "$tools/node_modules/.bin/redocly" ] && return 0
  if ! command -v npm >/dev/null; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    say "installing nodejs and npm"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  say "installing @redocly/cli into .tools/"
  mkdir -p "$tools"
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error @redocly/cli@2 >/dev/null)
}

# A random free port below Linux's ephemeral range (32768–60999), so that no outgoing connection
# takes it before the server binds it (freeTcpPort in common/runtime/child_process.cpp says more).
free_port() {
  python3 -c '
import random, socket
for _ in range(100):
    p = random.randint(20000, 32767)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()
else:
    raise SystemExit(1)
' 2>/dev/null || shuf -i 20000-32767 -n 1
}

# The folder of the Redis users' secrets (write_redis_secrets): when set, start_redis starts Redis
# with its ACL file, and admin_redis_cli logs in as admin. Unset: a Redis without users.
MWP_REDIS_SECRETS=${MWP_REDIS_SECRETS:-}

# admin_redis_cli ARGS…: redis-cli as the admin user, its password in the environment
# (REDISCLI_AUTH), never on the command line.
admin_redis_cli() {
  if [ -n "$MWP_REDIS_SECRETS" ]; then
    REDISCLI_AUTH=$(tr -d '\n' < "$MWP_REDIS_SECRETS/admin.password") \
      redis-cli --user admin --no-auth-warning "$@"
  else
    redis-cli "$@"
  fi
}

# export_redis_logins: every part's login from MWP_REDIS_SECRETS (MWP_<PART>_REDIS_USER and
# _PASSWORD_FILE), for the processes this script starts; the tools (mwpctl tail) as the operator.
export_redis_logins() {
  local part
  export MWP_REDIS_USER=operator MWP_REDIS_PASSWORD_FILE=$MWP_REDIS_SECRETS/operator.password
  for part in bus gateway employment housing education health rights outreach; do
    export "MWP_${part^^}_REDIS_USER=$part" "MWP_${part^^}_REDIS_PASSWORD_FILE=$MWP_REDIS_SECRETS/$part.password"
  done
}

# The log's Redis module (services/bus/log_module: MWP.STORE_BATCH, the bus's batch store in native
# code), which start_redis loads: MWP_REDIS_MODULE, by default the build's when it has been built;
# set to "" for a Redis without it (the bus then calls the log's Redis Function, as on a Redis
# image without the file). Scripts that build elsewhere set it to their build's.
redis_log_module() {
  local default=$MWP_ROOT/build/services/bus/log_module/mwp_log.so
  if [ -z "${MWP_REDIS_MODULE+set}" ]; then
    [ -f "$default" ] && echo "$default"
    return 0
  fi
  [ -z "$MWP_REDIS_MODULE" ] || [ -f "$MWP_REDIS_MODULE" ] \
    || { say "MWP_REDIS_MODULE: no such file: $MWP_REDIS_MODULE"; return 1; }
  echo "$MWP_REDIS_MODULE"
}

# start_redis PORT DIR [extra redis-server options…]: a Redis of our own, not the system's, with
# the log's module (redis_log_module) when there is one. With MWP_REDIS_SECRETS: its users from the
# ACL file (the one naming the module's command when it is loaded), protected mode on, and as a
# replica (or after a failover) it logs in to its primary as the replica user, from a file (0600)
# in DIR.
start_redis() {
  local port=$1 dir=$2; shift 2
  local users=() module loads=() acl=users.acl
  module=$(redis_log_module)
  [ -n "$module" ] && loads=(--loadmodule "$module") acl=users-log-module.acl
  mkdir -p "$dir"
  if [ -n "$MWP_REDIS_SECRETS" ]; then
    (umask 077 && printf 'masteruser replica\nmasterauth %s\n' \
      "$(tr -d '\n' < "$MWP_REDIS_SECRETS/replica.password")" > "$dir/replication.conf")
    users=(--aclfile "$MWP_REDIS_SECRETS/$acl" --protected-mode yes --include "$dir/replication.conf")
  fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" "${loads[@]}" "${users[@]}" "$@" >/dev/null
  for _ in $(seq 50); do
    admin_redis_cli -p "$port" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  say "Redis did not start on port $port; its log:"; cat "$dir/redis.log" >&2
  return 1
}

stop_redis() {
  local port=$1
  admin_redis_cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
}

# write_redis_secrets DIR: the Redis users' passwords (DIR/<user>.password, made once, 0600), the
# ACL file Redis loads (DIR/users.acl: each password's SHA-256 only; DIR/users-log-module.acl for a
# Redis with the log's module), from the declaration
# ops/redis/users.acl.in, the Sentinels' password (DIR/sentinels.password), and the gateways'
# worker-reference secret (DIR/worker-ref.secret). Used by
# ops/redis/secrets.sh, ops/run.sh and ops/test.sh.
write_redis_secrets() {
  local dir=$1 declaration=$MWP_ROOT/ops/redis/users.acl.in
  local words line acl="" each
  mkdir -p "$dir" && chmod 700 "$dir"
  # Without -r, read joins a line ending in \ to the next; -a splits it into words, unglobbed.
  while read -a words; do
    [ ${#words[@]} -eq 0 ] || [[ ${words[0]} == \#* ]] && continue
    if [ "${words[0]}" = for ]; then
      local names=() i=1
      while [ $i -lt ${#words[@]} ] && [[ ${words[i]} != *: ]]; do names+=("${words[i]}"); i=$((i + 1)); done
      names+=("${words[i]%:}")
      line="${words[*]:i+1}"
      for each in "${names[@]}"; do acl+=$(redis_acl_user "$dir" "${line//\$name/$each}")$'\n'; done
    else
      acl+=$(redis_acl_user "$dir" "${words[*]}")$'\n'
    fi
  done < "$declaration"
  # Two files: Redis refuses to start on an ACL file naming a command it lacks, so the commands of
  # mwp's module (+mwp.…) are only in the one for a Redis that loads it.
  (umask 077 && printf '%s' "$acl" | sed 's/ +mwp\.[a-z_]*//g' > "$dir/users.acl" \
    && printf '%s' "$acl" > "$dir/users-log-module.acl")
  # Not a Redis user: the Sentinels' own password (their requirepass), which every client and
  # every Sentinel gives them before asking which server is the primary.
  make_password "$dir/sentinels.password"
  # Nor this: the gateways' secret for workerRefs (MWP_GATEWAY_REF_SECRET_FILE), one for every
  # gateway instance, so that a reference one of them gave is read by all, and after restarts.
  make_password "$dir/worker-ref.secret"
}

# make_password FILE: 256 random bits in hex, unless FILE has a password already; 0600.
make_password() {
  [ -s "$1" ] || (umask 077 && openssl rand -hex 32 > "$1")
}

# redis_acl_user DIR "user NAME RULES…": the ACL file's line for one user, its password made first.
redis_acl_user() {
  local dir=$1 words
  read -ra words <<< "$2"
  local name=${words[1]} rules="${words[*]:2}"
  [ "${words[0]}" = user ] && [ -n "$name" ] || { say "ops/redis/users.acl.in: not a user: $2"; return 1; }
  if [[ " $rules " == *" off "* ]]; then
    printf 'user %s reset %s' "$name" "$rules"
    return
  fi
  local file=$dir/$name.password
  make_password "$file"
  printf 'user %s reset on #%s %s' "$name" "$(tr -d '\n' < "$file" | sha256sum | cut -c1-64)" "$rules"
}

#!/usr/bin/env bash
# Makes the Redis users' secrets from ops/redis/users.acl.in into DIR (0700): a random password per
# user (DIR/<user>.password, 0600), made once and kept, and DIR/users.acl (0600), the ACL file
# Redis loads with --aclfile, which holds only each password's SHA-256, and DIR/sentinels.password,
# the Sentinels' own (requirepass). Run again, it keeps every password and rewrites users.acl
# (after an edit of the declaration). Prints no password.
#   ops/redis/secrets.sh DIR
# For docker-compose: ops/redis/secrets.sh docker/redis-secrets. For Kubernetes:
#   ops/redis/secrets.sh DIR && kubectl -n mwp create secret generic mwp-redis-users --from-file=DIR
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
answer_help "$@"
operands_only 1 "$@"
[ $# -eq 1 ] || usage_error "needs the folder to write into (DIR)"
write_redis_secrets "$1"

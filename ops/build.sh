#!/usr/bin/env bash
# Installs what is missing and builds: what ops/test.sh, ops/run.sh and the Dockerfile share.
#   ops/build.sh [BUILD_DIR] [CMAKE_BUILD_TYPE]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
answer_help "$@"
operands_only 2 "$@"
case ${2:-RelWithDebInfo} in
  Debug | Release | RelWithDebInfo | MinSizeRel) ;;
  *) usage_error "CMAKE_BUILD_TYPE: not Debug, Release, RelWithDebInfo or MinSizeRel: \"$2\"" ;;
esac
ensure_packages
build "${1:-$MWP_ROOT/build}" "${2:-RelWithDebInfo}"

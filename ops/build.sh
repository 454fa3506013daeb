#!/usr/bin/env bash
# Installs what is missing and builds: what ops/test.sh, ops/run.sh and the Dockerfile share.
#   ops/build.sh [BUILD_DIR] [CMAKE_BUILD_TYPE]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages
build "${1:-$MWP_ROOT/build}" "${2:-RelWithDebInfo}"

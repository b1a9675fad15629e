#!/usr/bin/env bash
# README command 1: install what is missing, build, and start Order Relay from the build tree.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$top/_build}

"$top/build-aux/install-deps.sh"
BUILDDIR=$builddir "$top/build-aux/build.sh"
exec meson devenv -C "$builddir" order-relay "$@"

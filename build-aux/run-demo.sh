#!/usr/bin/env bash
# README command 1: install what is missing, build, and start Order Relay from the build tree in
# demo mode: the sandbox runs in-process with a demo store (new orders every few seconds, shipped a
# little later), with settings in memory and a state file of its own (~/.cache/order-relay/), so a
# real setup is never read or changed. The wizard opens pre-filled with the sandbox's keys.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$top/_build}

"$top/build-aux/install-deps.sh"
BUILDDIR=$builddir "$top/build-aux/build.sh"
exec meson devenv -C "$builddir" order-relay --demo "$@"

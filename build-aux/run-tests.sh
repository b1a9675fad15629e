#!/usr/bin/env bash
# README command 2: install what is missing, build, and run every test suite inside the test
# environment (private D-Bus session, unlocked gnome-keyring, Xvfb). Ends with "N passed, N failed".
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$top/_build}

"$top/build-aux/install-deps.sh"
BUILDDIR=$builddir "$top/build-aux/build.sh"
exec "$top/build-aux/test-session.sh" "$builddir" "$@"

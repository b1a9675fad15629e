#!/usr/bin/env bash
# Opens the main window on a database of N orders (default 100,000) under Xvfb and prints the time
# to the first painted frame, the time to jump to the middle and end of the list, each sort's and
# search's time to the painted frame with the longest the main loop stalled meanwhile, and RSS. The
# database is created once in $TMPDIR and reused (pass --database PATH to choose it).
#
#   benchmarks/run-window.sh [--orders N] [--database PATH] [BUILDDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir="$top/_build"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --orders|--database) args+=("$1" "$2"); shift 2 ;;
    --orders=*|--database=*) args+=("$1"); shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) builddir=$1; shift ;;
  esac
done

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" >/dev/null
fi
# The schema too: the window reads keys a stale compiled schema may not have.
meson compile -C "$builddir" relay-window-benchmark gsettings-compile-data >/dev/null

export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory GIO_USE_PROXY_RESOLVER=dummy
export GSK_RENDERER=${GSK_RENDERER:-cairo} NO_AT_BRIDGE=1
run=("$builddir/benchmarks/relay-window-benchmark" "${args[@]}")
if [ -z "${DISPLAY:-}" ]; then
  run=(xvfb-run -a -s "-screen 0 1280x800x24" "${run[@]}")
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  run=(dbus-run-session -- "${run[@]}")
fi
exec "${run[@]}"

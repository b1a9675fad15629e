#!/usr/bin/env bash
# Requests per stock cycle with V variants of which C changed at TradeGecko (aim: ⌈C/50⌉
# adjustment POSTs plus the paged reads), the cycle's wall time, and the requests of the idle
# cycle after it (aim: ≤ 1); last, the cycle after one item alias is edited.
#
#   benchmarks/run-stock.sh [--variants V] [--changed C,C,…] [BUILDDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir="$top/_build"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --variants|--changed) args+=("$1" "$2"); shift 2 ;;
    --variants=*|--changed=*) args+=("$1"); shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) builddir=$1; shift ;;
  esac
done

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" >/dev/null
fi
meson compile -C "$builddir" relay-stock-benchmark >/dev/null

export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory GIO_USE_PROXY_RESOLVER=dummy
exec "$builddir/benchmarks/relay-stock-benchmark" "${args[@]}"

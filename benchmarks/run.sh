#!/usr/bin/env bash
# Drains N orders (default 1,000) through the sandbox with a real SQLite file and prints requests
# per delivered order (each API), requests per idle cycle with N orders waiting for shipment, wall
# time and peak RSS — once with returning customers (known to TradeGecko), once with new ones.
#
#   benchmarks/run.sh [--orders N] [BUILDDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
orders=1000
builddir="$top/_build"
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) orders=$2; shift 2 ;;
    --orders=*) orders=${1#--orders=}; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) builddir=$1; shift ;;
  esac
done

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" >/dev/null
fi
meson compile -C "$builddir" relay-benchmark >/dev/null

export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory GIO_USE_PROXY_RESOLVER=dummy
status=0
for kind in returning new; do
  echo "== $orders orders, $kind customers"
  "$builddir/benchmarks/relay-benchmark" --orders "$orders" --customers "$kind" || status=1
done
exit $status

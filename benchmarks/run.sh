#!/usr/bin/env bash
# Drains N orders (default 1,000) through the sandbox with a real SQLite file and prints requests
# per delivered order (each API), requests per idle cycle with N orders waiting for shipment, wall
# time, peak RSS and SQLite syncs (fsync) per order — once with returning customers (known to
# TradeGecko), once with new ones.
#
#   benchmarks/run.sh [--orders N] [BUILDDIR]
#   benchmarks/run.sh --rate-limits SCALE [--orders N] [BUILDDIR]
#       the documented rate limits on, time SCALE times faster (Squarespace at most 2 times):
#       a TradeGecko-bound, a Squarespace-bound and a mixed backlog of N orders each, printing
#       `ratio-to-floor <phase> <value>` (the fixed-window floor over the time taken);
#       --mixed-only: the mixed backlog alone
#   benchmarks/run.sh --latency K [--poll-minutes M] [BUILDDIR]
#       real time, default settings: K orders placed 23 s apart (none waiting before them unless
#       --orders N is given), min/median/max placed → at TradeGecko;
#       `late: ID` (arrived after the wait, with its time) apart from `lost: ID` (never, with its stage
#       and how many pull windows held it); only a lost order fails
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
orders=()
label=1000
builddir="$top/_build"
mode=()
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) orders=(--orders "$2"); label=$2; shift 2 ;;
    --orders=*) orders=("$1"); label=${1#--orders=}; shift ;;
    --rate-limits|--latency|--poll-minutes|--latency-gap) mode+=("$1" "$2"); shift 2 ;;
    --rate-limits=*|--latency=*|--poll-minutes=*|--latency-gap=*) mode+=("$1"); shift ;;
    --mixed-only) mode+=("$1"); shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) builddir=$1; shift ;;
  esac
done

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" >/dev/null
fi
meson compile -C "$builddir" relay-benchmark >/dev/null
ninja -C "$builddir" data/gschemas.compiled >/dev/null

export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory GIO_USE_PROXY_RESOLVER=dummy
if [ ${#mode[@]} -gt 0 ]; then
  exec "$builddir/benchmarks/relay-benchmark" "${orders[@]}" "${mode[@]}"
fi
status=0
for kind in returning new; do
  echo "== $label orders, $kind customers"
  "$builddir/benchmarks/relay-benchmark" "${orders[@]}" --customers "$kind" || status=1
done
exit $status

#!/usr/bin/env bash
# Configures (once) and compiles the build tree. BUILDDIR overrides where it goes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$top/_build}

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" >/dev/null
fi
meson compile -C "$builddir" >/dev/null

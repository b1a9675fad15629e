#!/usr/bin/env bash
# Configures (once) and compiles the build tree. BUILDDIR overrides where it goes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$top/_build}

# The test build arms the crash-test hook (-Dtest_hooks, see meson_options.txt); a tree
# configured before the option existed is switched on once.
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$top" -Dtest_hooks=true >/dev/null
elif ! meson configure "$builddir" 2>/dev/null | grep -E '^ *test_hooks +true' >/dev/null; then
  # --reconfigure: a tree set up before the option existed does not know it yet.
  meson setup --reconfigure "$builddir" "$top" -Dtest_hooks=true >/dev/null
fi
meson compile -C "$builddir" >/dev/null

#!/usr/bin/env bash
# Builds the Debian package from the tree (committed and uncommitted files git knows, not
# _build/) in a scratch copy, so the work tree stays clean, then runs lintian on it.
#
#   build-aux/build-deb.sh [OUTDIR]      (default: _deb/; prints the .deb's path last)
#
# Needs the build dependencies of debian/control plus dpkg-dev, debhelper and lintian
# (build-aux/install-deps.sh --deb installs them).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
outdir=$(mkdir -p "${1:-$top/_deb}" && cd "${1:-$top/_deb}" && pwd)
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)

scratch=$(mktemp -d -t order-relay-deb-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
src=$scratch/order-relay-$version
mkdir "$src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -c --no-recursion -f - ) \
  | tar -x -C "$src"

# Unsigned, binary only: the .deb is for installing, not for uploading.
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$outdir/build.log" 2>&1 || {
  tail -n 60 "$outdir/build.log"; echo "dpkg-buildpackage failed: $outdir/build.log"; exit 1; }

changes=$(ls "$scratch"/order-relay_"$version"_*.changes)
echo "lintian:"
lintian --info --display-info --pedantic "$changes" 2>&1 | grep -v 'running with root privileges' \
  | tee "$outdir/lintian.log" || true
[ -s "$outdir/lintian.log" ] || echo "  no tags (--pedantic, info included)"
cp "$scratch"/*.deb "$scratch"/*.buildinfo "$changes" "$outdir/"
deb=$(ls "$outdir"/order-relay_"$version"_*.deb | grep -v dbgsym)
echo "$deb"

#!/usr/bin/env bash
# Installs the Debian package on a clean Debian 12 and smoke-tests it: a debootstrap chroot
# (minbase) using this machine's apt sources, `apt-get install ./order-relay_*.deb` (its
# dependencies come from the archive), then `order-relay --version`, the desktop file,
# metainfo, schema, man page, completion and units where they belong. Too slow for CI
# (a few minutes and a few hundred MB of downloads); run by hand, as root.
#
#   build-aux/smoke-test-deb.sh path/to/order-relay_VERSION_ARCH.deb [CHROOT_DIR]
#
# CHROOT_DIR (default /var/tmp/order-relay-bookworm) is kept for a second run; the clean
# base is kept beside it as a tarball, so each run installs on an untouched system.
set -euo pipefail
deb=$(realpath "${1:?usage: smoke-test-deb.sh ORDER_RELAY_DEB [CHROOT_DIR]}")
root=${2:-/var/tmp/order-relay-bookworm}
base=$root.base.tar
app_id=io.github.orderrelay.OrderRelay

# The archive this machine already uses: its first bookworm source.
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
[ -n "$mirror" ] || { echo "no Debian mirror found in this machine's apt sources"; exit 1; }

if [ ! -f "$base" ]; then
  echo "debootstrap bookworm (minbase) from $mirror"
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
    || { tail -n 30 "$root.debootstrap.log"; exit 1; }
  # Updates and security, as this machine has them.
  cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null || true
  [ -s /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
  tar -C "$root" -cf "$base" .
fi

# Every run starts from the clean base.
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$base"
cp "$deb" "$root/tmp/"

mounted=()
cleanup () { for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done; }
trap cleanup EXIT
for fs in proc sys dev; do
  mount --bind "/$fs" "$root/$fs" && mounted=("$root/$fs" "${mounted[@]}")
done

in_root () { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root "$@"; }

echo "apt-get install ./$(basename "$deb")"
in_root sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$1"' \
  sh "$(basename "$deb")" >"$root.install.log" 2>&1 || { tail -n 40 "$root.install.log"; exit 1; }

failures=0
check () {
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}

echo "--- smoke test on a clean Debian $(cat "$root/etc/debian_version")"
check "order-relay --version: $(in_root order-relay --version 2>&1)" \
  test "$(in_root order-relay --version)" = "order-relay $(dpkg-deb -f "$deb" Version)"
check "order-relay --help lists sync" sh -c "chroot '$root' order-relay --help | grep -q 'sync \[--once\]'"
for file in \
  /usr/bin/order-relay \
  /usr/share/applications/$app_id.desktop \
  /usr/share/metainfo/$app_id.metainfo.xml \
  /usr/share/glib-2.0/schemas/$app_id.gschema.xml \
  /usr/share/icons/hicolor/scalable/apps/$app_id.svg \
  /usr/share/man/man1/order-relay.1.gz \
  /usr/share/bash-completion/completions/order-relay \
  /usr/lib/systemd/user/order-relay-sync.service \
  /usr/lib/systemd/user/order-relay-sync-once.service \
  /usr/lib/systemd/user/order-relay-sync-once.timer; do
  check "$file" test -f "$root$file"
done
check "no order-relay-sandbox" test ! -e "$root/usr/bin/order-relay-sandbox"
# The package's triggers compiled the schema into the system's schema cache.
check "schema compiled into the system cache" grep -aq "$app_id" "$root/usr/share/glib-2.0/schemas/gschemas.compiled"
check "the units run /usr/bin/order-relay" grep -q '^ExecStart=/usr/bin/order-relay sync$' \
  "$root/usr/lib/systemd/user/order-relay-sync.service"
# Opt-in: installing enables no sync for anyone (README: systemctl --user enable --now …).
check "no user unit enabled by the install" sh -c "! ls '$root'/etc/systemd/user/*.wants/order-relay-* 2>/dev/null | grep -q ."
echo "packages the install brought in: $(grep -c '^Setting up' "$root.install.log")"
echo "installed size: $(dpkg-deb -f "$deb" Installed-Size) KiB; the package: $(stat -c %s "$deb") bytes"
echo "$failures failed"
[ "$failures" -eq 0 ]

#!/usr/bin/env bash
# Installs the Debian 12 packages Order Relay needs to build, run and test.
# Idempotent and quiet when nothing is missing; uses sudo when not run as root.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gettext libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libsqlite3-dev
  # money in the merchant's locale
  libicu-dev
  # run: TLS for libsoup, the keyring, and the SVG loader for the app's icons
  glib-networking gnome-keyring librsvg2-common adwaita-icon-theme
  # test: private session bus, keyring daemon, virtual display, data validators
  dbus-daemon xvfb xauth desktop-file-utils appstream libsecret-tools
  # the out-of-process accessibility walk: the AT-SPI bus and its client library
  at-spi2-core libatspi2.0-dev
  # test the install: systemd-analyze and a user manager with its bus for the units, man, bash-completion
  systemd dbus-user-session man-db bash-completion
  # the wrong-clock tests run order-relay with its clock moved
  faketime
  # the README's sandbox examples
  curl
  # CI's sanitizer build and fuzzers (build-aux/run-sanitizers.sh): clang, its
  # ASan/UBSan/libFuzzer runtimes, and llvm-symbolizer for readable reports
  clang libclang-rt-14-dev llvm
  # the HTTPS certificate test makes its own certificate
  openssl
)

# --deb: also what build-aux/build-deb.sh and build-aux/smoke-test-deb.sh need.
if [ "${1:-}" = --deb ]; then
  packages+=(dpkg-dev debhelper lintian debootstrap)
fi

missing=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$package")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# With recommends, as on a desktop: GTK and the keyring rely on some of them.
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null

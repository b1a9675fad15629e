#!/usr/bin/env bash
# Runs `meson test` in a private desktop session: its own D-Bus session bus, an unlocked
# gnome-keyring daemon answering the Secret Service, and an Xvfb display. Nothing of the
# user's own session (keyring, settings, data) is touched. Extra arguments go to meson test.
#
#   build-aux/test-session.sh BUILDDIR [meson test arguments…]
set -uo pipefail
builddir=$(cd "${1:?usage: test-session.sh BUILDDIR [meson test args]}" && pwd)
shift

if [ -z "${RELAY_TEST_SESSION:-}" ]; then
  scratch=$(mktemp -d -t order-relay-test-XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -m 700 -p "$scratch/runtime" "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/tmp"
  log=$scratch/meson-test.log
  env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY -u WAYLAND_DISPLAY \
    RELAY_TEST_SESSION=1 RELAY_TEST_LOG="$log" \
    HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/runtime" XDG_DATA_HOME="$scratch/data" \
    XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" TMPDIR="$scratch/tmp" \
    dbus-run-session -- "$0" "$builddir" "$@"
  status=$?

  # Summarise meson's own counts in the one line CI reads.
  count () { sed -n "s/^$1:[[:space:]]*\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1; }
  ok=$(count 'Ok'); expected_fail=$(count 'Expected Fail'); fail=$(count 'Fail')
  unexpected_pass=$(count 'Unexpected Pass'); skipped=$(count 'Skipped'); timeout=$(count 'Timeout')
  passed=$(( ${ok:-0} + ${expected_fail:-0} ))
  failed=$(( ${fail:-0} + ${unexpected_pass:-0} + ${timeout:-0} ))
  if [ -z "$ok" ]; then
    echo "meson test printed no summary (exit status $status)"
    failed=$(( failed + 1 ))
  fi
  [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  echo "${passed} passed, ${failed} failed, ${skipped:-0} skipped"
  [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
  exit $?
fi

# Inside the private session bus.
# An unlocked login keyring: the daemon creates it with this throwaway password.
eval "$(printf 'order-relay-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true

xvfb-run -a -s "-screen 0 1280x800x24" \
  meson test -C "$builddir" --no-rebuild --print-errorlogs "$@" 2>&1 | tee "$RELAY_TEST_LOG"
status=${PIPESTATUS[0]}

exit "$status"

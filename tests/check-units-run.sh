#!/usr/bin/env bash
# Runs the systemd user units for real: a user systemd manager of the test's own with the
# session bus it provides and a keyring on it, the units as installed (ExecStart pointed at
# the built binary) and the sandbox as both stores. The timer's service runs one full cycle that delivers the demo
# orders; the sync service runs until stopped and stops cleanly.
#
#   check-units-run.sh SRCDIR BUILDDIR
#
# A user manager needs a system booted with systemd. On a machine whose PID 1 is not systemd
# (a container) the test makes that marker in a private mount namespace, which needs root and
# unshare(1); without them it exits 77 (a skip) and says why.
set -uo pipefail
srcdir=$1 builddir=$2

skip () { echo "SKIP: $*"; exit 77; }
command -v systemctl >/dev/null && [ -x /lib/systemd/systemd ] || skip "systemd is not installed"
command -v gnome-keyring-daemon >/dev/null || skip "gnome-keyring is not installed"
[ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ] || skip "no XDG_RUNTIME_DIR"

if [ -z "${RELAY_UNITS_NAMESPACE:-}" ] && [ ! -d /run/systemd/system ]; then
  [ "$(id -u)" -eq 0 ] || skip "PID 1 is not systemd, and a private mount namespace needs root"
  command -v unshare >/dev/null || skip "PID 1 is not systemd, and unshare(1) is missing"
  # Only this test's processes see the marker: the machine's /run/systemd is left alone.
  exec unshare --mount --propagation private env RELAY_UNITS_NAMESPACE=1 bash -c '
    mount -t tmpfs order-relay-test /run/systemd 2>/dev/null || { echo "SKIP: cannot mount in a private namespace"; exit 77; }
    mkdir -p /run/systemd/system
    exec bash "$@"' bash "$0" "$@"
fi

bin=$builddir/src/order-relay
scratch=$(mktemp -d -t order-relay-units-XXXXXX)
runtime=$scratch/runtime
mkdir -m 700 "$runtime"
failures=0
manager_pid='' sandbox_pid='' keyring_pid=''

cleanup () {
  [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null && wait "$keyring_pid" 2>/dev/null
  [ -n "$manager_pid" ] && kill "$manager_pid" 2>/dev/null && wait "$manager_pid" 2>/dev/null
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
# Polls a command for up to $1 seconds: waits are bounded, never a fixed sleep.
wait_for () {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -ge $deadline ] && return 1; sleep 0.1; done
}

# The sandbox plays both stores; its first line says where.
"$builddir/src/sandbox/order-relay-sandbox" --demo >"$scratch/sandbox.out" 2>"$scratch/sandbox.err" &
sandbox_pid=$!
wait_for 30 grep -qs tradegecko "$scratch/sandbox.out" || { cat "$scratch/sandbox.err"; echo "FAIL: sandbox"; exit 1; }
squarespace=$(sed -n 's/.*"squarespace":"\([^"]*\)".*/\1/p' "$scratch/sandbox.out")
tradegecko=$(sed -n 's/.*"tradegecko":"\([^"]*\)".*/\1/p' "$scratch/sandbox.out")

# Everything the CLI reads, the same for the test and the units: this test's own state.
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
export ORDER_RELAY_SQUARESPACE_URL=$squarespace ORDER_RELAY_TRADEGECKO_URL=$tradegecko
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME/systemd/user" "$XDG_CACHE_HOME"

# The units as installed, run from the build tree.
for unit in "$builddir"/data/systemd/order-relay-sync.service "$builddir"/data/systemd/order-relay-sync-once.service \
            "$srcdir"/data/systemd/order-relay-sync-once.timer; do
  sed "s|^ExecStart=[^ ]*/order-relay |ExecStart=$bin |" "$unit" >"$XDG_CONFIG_HOME/systemd/user/$(basename "$unit")"
done

# What the units print goes to a file here (a test session has no journal to read it from).
for unit in order-relay-sync.service order-relay-sync-once.service; do
  mkdir -p "$XDG_CONFIG_HOME/systemd/user/$unit.d"
  printf '[Service]\nStandardOutput=append:%s\nStandardError=append:%s\n' "$scratch/$unit.log" "$scratch/$unit.log" \
    >"$XDG_CONFIG_HOME/systemd/user/$unit.d/test-output.conf"
done
show_output () { for log in "$scratch"/*.service.log; do [ -f "$log" ] && { echo "--- $(basename "$log")"; cat "$log"; }; done; }

# The user manager, as at a login: its own runtime folder and the session bus it provides
# (dbus-user-session), with an unlocked keyring on that bus, as the desktop session has.
XDG_RUNTIME_DIR=$runtime /lib/systemd/systemd --user >"$scratch/manager.log" 2>&1 &
manager_pid=$!
export XDG_RUNTIME_DIR=$runtime
wait_for 30 test -S "$runtime/systemd/private" || { cat "$scratch/manager.log"; echo "FAIL: systemd --user"; exit 1; }
wait_for 30 test -S "$runtime/bus" || { echo "FAIL: the user manager's bus (is dbus-user-session installed?)"; exit 1; }
export DBUS_SESSION_BUS_ADDRESS=unix:path=$runtime/bus
mkdir -p "$scratch/home"
printf 'order-relay-test' | HOME=$scratch/home gnome-keyring-daemon --foreground --unlock --components=secrets \
  >"$scratch/keyring.log" 2>&1 &
keyring_pid=$!
wait_for 30 sh -c 'busctl --user status org.freedesktop.secrets >/dev/null 2>&1' \
  || { cat "$scratch/keyring.log"; echo "FAIL: gnome-keyring on the user bus"; exit 1; }
printf 'sandbox-squarespace-key\n' | "$bin" connect squarespace || fail "connect squarespace"
printf 'sandbox-tradegecko-token\n' | "$bin" connect tradegecko || fail "connect tradegecko"
systemctl --user set-environment \
  XDG_DATA_HOME="$XDG_DATA_HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_CACHE_HOME="$XDG_CACHE_HOME" \
  ORDER_RELAY_SQUARESPACE_URL="$squarespace" ORDER_RELAY_TRADEGECKO_URL="$tradegecko" \
  GSETTINGS_BACKEND="${GSETTINGS_BACKEND:-memory}" GSETTINGS_SCHEMA_DIR="$GSETTINGS_SCHEMA_DIR"

# The README's command for the timer, then the cycle it starts, run now.
systemctl --user enable --now order-relay-sync-once.timer || fail "enable --now order-relay-sync-once.timer"
systemctl --user is-active --quiet order-relay-sync-once.timer || fail "the timer is not active"
systemctl --user list-timers --all --no-pager order-relay-sync-once.timer
systemctl --user start order-relay-sync-once.service || fail "order-relay-sync-once.service failed"
systemctl --user status --no-pager --lines=5 order-relay-sync-once.service
[ "$(systemctl --user show -P Result order-relay-sync-once.service)" = success ] || fail "the one cycle did not succeed"
delivered=$("$bin" orders --stage at_tradegecko --json | grep -c '"stage"')
echo "orders at TradeGecko after the timer's cycle: $delivered"
[ "$delivered" -ge 10 ] || fail "the timer's cycle delivered $delivered orders, not the demo's"

# The README's command for the loop: it keeps running, and stops cleanly on SIGTERM.
systemctl --user enable --now order-relay-sync.service || fail "enable --now order-relay-sync.service"
wait_for 30 systemctl --user is-active --quiet order-relay-sync.service || fail "order-relay-sync.service is not running"
systemctl --user status --no-pager --lines=0 order-relay-sync.service
# Next to the running loop, the timer's cycle is safe: it waits for the lock (or, held longer
# than sync-lock-wait-seconds, exits 3, which the unit counts as success).
systemctl --user start order-relay-sync-once.service || fail "the timer's cycle next to the loop failed"
[ "$(systemctl --user show -P Result order-relay-sync-once.service)" = success ] \
  || fail "the timer's cycle next to the loop did not succeed"
systemctl --user stop order-relay-sync.service
[ "$(systemctl --user show -P Result order-relay-sync.service)" = success ] || fail "the sync loop did not stop cleanly"
[ "$(systemctl --user show -P ExecMainStatus order-relay-sync.service)" = 0 ] || fail "the sync loop exited non-zero"
systemctl --user list-unit-files --no-pager 'order-relay-*'

show_output
[ "$failures" -eq 0 ] && echo "OK: the units ran"
[ "$failures" -eq 0 ]

#!/usr/bin/env bash
# Installs the build into a scratch DESTDIR and checks what a distribution would ship.
#
#   check-install.sh tree  BUILDDIR PREFIX BINDIR DATADIR MANDIR UNITDIR COMPLETIONSDIR SANDBOX VERSION
#   check-install.sh units BUILDDIR PREFIX BINDIR DATADIR MANDIR UNITDIR COMPLETIONSDIR SANDBOX VERSION
#
# tree:  exactly the expected files; the desktop file, metainfo and schema validate where
#        they were installed; the installed binary answers --version; the man page renders
#        without warnings; the bash completion completes.
# units: `systemd-analyze verify` on the installed user units (exit 77, a skip, with the
#        reason, when systemd-analyze cannot run here).
set -uo pipefail

mode=$1 builddir=$2 prefix=$3 bindir=$4 datadir=$5 mandir=$6 unitdir=$7 completionsdir=$8 sandbox=$9
version=${10}
app_id=io.github.orderrelay.OrderRelay
failures=0

fail () { echo "FAIL: $*"; failures=$((failures + 1)); }
# Meson gives install directories relative to the prefix unless they are absolute.
under_prefix () { case "$1" in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }

destdir=$(mktemp -d -t order-relay-install-XXXXXX)
trap 'rm -rf "$destdir"' EXIT
if ! meson install -C "$builddir" --no-rebuild --quiet --destdir "$destdir" >"$destdir.log" 2>&1; then
  cat "$destdir.log"; rm -f "$destdir.log"
  echo "FAIL: meson install"; exit 1
fi
rm -f "$destdir.log"

bin=$destdir$(under_prefix "$bindir")
share=$destdir$(under_prefix "$datadir")
man=$destdir$(under_prefix "$mandir")
units=$destdir$(under_prefix "$unitdir")
completions=$destdir$(under_prefix "$completionsdir")

check_tree () {
  local expected actual
  expected=(
    "$bin/order-relay"
    "$share/applications/$app_id.desktop"
    "$share/metainfo/$app_id.metainfo.xml"
    "$share/glib-2.0/schemas/$app_id.gschema.xml"
    "$share/icons/hicolor/scalable/apps/$app_id.svg"
    "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
    "$man/man1/order-relay.1"
    "$completions/order-relay"
    "$units/order-relay-sync.service"
    "$units/order-relay-sync-once.service"
    "$units/order-relay-sync-once.timer"
  )
  # Translations: one catalogue for each language in po/LINGUAS.
  while read -r lang; do
    expected+=("$share/locale/$lang/LC_MESSAGES/order-relay.mo")
  done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$(dirname "$0")/../po/LINGUAS")
  # The fake API server is for developers only.
  [ "$sandbox" = true ] && expected+=("$bin/order-relay-sandbox")

  actual=$(cd "$destdir" && find . -type f -o -type l | sed 's|^\.||' | sort)
  diff <(printf '%s\n' "${expected[@]#"$destdir"}" | sort) <(printf '%s\n' "$actual") \
    || fail "the installed tree differs from the expected one (< expected, > installed)"
  [ "$sandbox" = true ] || [ ! -e "$bin/order-relay-sandbox" ] || fail "order-relay-sandbox installed without -Dsandbox=true"

  desktop-file-validate "$share/applications/$app_id.desktop" || fail "desktop-file-validate"
  appstreamcli validate --no-net --explain "$share/metainfo/$app_id.metainfo.xml" >"$destdir/as.log" 2>&1 \
    || { cat "$destdir/as.log"; fail "appstreamcli validate"; }
  glib-compile-schemas --strict --dry-run "$share/glib-2.0/schemas" || fail "glib-compile-schemas --strict"

  local answer
  answer=$("$bin/order-relay" --version) || fail "order-relay --version exited with $?"
  [ "$answer" = "order-relay $version" ] || fail "order-relay --version said '$answer', not 'order-relay $version'"

  local warnings
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man/man1/order-relay.1" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "the man page renders with warnings: $warnings"
  LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$man/man1/order-relay.1" 2>/dev/null | grep -q 'sync \[--once\]' \
    || fail "the man page does not describe sync [--once]"

  # The completion as bash runs it: `order-relay sy<Tab>` and `order-relay orders --stage re<Tab>`.
  local completed
  completed=$(bash -c '
    source /usr/share/bash-completion/bash_completion || exit 3
    source "$1" || exit 4
    complete_words () { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE};
                        COMPREPLY=(); _order_relay; echo "${COMPREPLY[*]}"; }
    complete_words order-relay sy
    complete_words order-relay orders --stage re
  ' bash "$completions/order-relay" 2>&1)
  [ "$completed" = $'sync\nrejected' ] || fail "bash completion answered '$completed', not 'sync' and 'rejected'"
}

check_units () {
  local verify_dir output
  if ! command -v systemd-analyze >/dev/null; then
    echo "SKIP: systemd-analyze is not installed"; exit 77
  fi
  if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
    echo "SKIP: systemd-analyze --user needs XDG_RUNTIME_DIR"; exit 77
  fi

  # The units name the installed binary; inside the DESTDIR it sits under $destdir.
  verify_dir=$destdir/verify
  mkdir -p "$verify_dir"
  for unit in "$units"/*; do
    sed "s|^ExecStart=$(under_prefix "$bindir")/|ExecStart=$bin/|" "$unit" >"$verify_dir/$(basename "$unit")"
  done
  grep -q "^ExecStart=$bin/order-relay sync$" "$verify_dir/order-relay-sync.service" \
    || fail "order-relay-sync.service does not run the installed 'order-relay sync'"
  grep -q "^ExecStart=$bin/order-relay sync --once$" "$verify_dir/order-relay-sync-once.service" \
    || fail "order-relay-sync-once.service does not run the installed 'order-relay sync --once'"

  output=$(MANPATH=$(dirname "$man/man1") systemd-analyze --user verify "$verify_dir"/* 2>&1)
  status=$?
  if echo "$output" | grep -q 'Failed to initialize manager'; then
    echo "$output"; echo "SKIP: systemd-analyze cannot start a user manager here"; exit 77
  fi
  [ -n "$output" ] && echo "$output"
  [ "$status" -eq 0 ] && [ -z "$output" ] || fail "systemd-analyze --user verify (exit $status)"
}

case "$mode" in
  tree) check_tree ;;
  units) check_units ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac

[ "$failures" -eq 0 ] && echo "OK: $mode"
[ "$failures" -eq 0 ]

#!/usr/bin/env bash
# Fails when a file with translatable strings is missing from po/POTFILES.in,
# or when POTFILES.in names a file that no longer exists.
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1

listed=$(grep -v -e '^#' -e '^$' po/POTFILES.in | sort -u)
status=0

# C sources using a gettext macro, .ui files with translatable properties, data files that merge translations.
found=$( {
  grep -rlE --include='*.c' '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' src
  grep -rl --include='*.ui' 'translatable="yes"' data src 2>/dev/null
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null
} | sort -u)

for file in $found; do
  if ! grep -qxF "$file" <<<"$listed"; then
    echo "missing from po/POTFILES.in: $file"
    status=1
  fi
done

for file in $listed; do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in names a file that does not exist: $file"
    status=1
  fi
done

[ $status -eq 0 ] && echo "po/POTFILES.in lists all $(wc -l <<<"$found") files with translatable strings"
exit $status

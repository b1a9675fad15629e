#!/usr/bin/env bash
# Adds up the last "N passed, N failed[, N skipped]" line of each log given
# (a log without one counts as one failure) and prints the total in the same form.
#
#   build-aux/sum-summaries.sh LOG… [--extra PASSED FAILED]
set -uo pipefail
passed=0 failed=0 skipped=0
while [ $# -gt 0 ]; do
  if [ "$1" = "--extra" ]; then
    passed=$((passed + $2)) failed=$((failed + $3))
    shift 3
    continue
  fi
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" 2>/dev/null | tail -n 1)
  shift
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    continue
  fi
  passed=$((passed + $(echo "$line" | sed 's/^\([0-9]*\) passed.*/\1/')))
  failed=$((failed + $(echo "$line" | sed 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/')))
  case $line in *skipped*) skipped=$((skipped + $(echo "$line" | sed 's/.* \([0-9]*\) skipped.*/\1/'))) ;; esac
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"

#!/usr/bin/env bash
# The AddressSanitizer + UndefinedBehaviorSanitizer build (clang, in _build-asan)
# runs every test suite, then each libFuzzer target in tests/fuzz/ for a bounded
# time from its committed seed corpus. Any sanitizer report stops its test
# (halt_on_error). LeakSanitizer is on for the suites below and the fuzzers, not
# for the ui suite, where GTK, fontconfig and Mesa keep memory until exit
# (style.md); build-aux/lsan.supp names the library noise it ignores. Ends with "N passed, N failed, N skipped"
# (every suite's tests, plus one per fuzz target).
#
#   build-aux/run-sanitizers.sh [FUZZ_SECONDS]     (default 60 per target)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${ASAN_BUILDDIR:-$top/_build-asan}
fuzz_seconds=${1:-${FUZZ_SECONDS:-60}}
fuzz_targets=(fuzz-http-json fuzz-squarespace-order fuzz-tradegecko-list fuzz-fulfillments)

"$top/build-aux/install-deps.sh"

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$top" \
    -Dfuzzing=true -Dtest_hooks=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-omit-frame-pointer -fno-sanitize-recover=all" >/dev/null || {
    echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
if ! meson compile -C "$builddir" >/dev/null; then
  echo "the sanitizer build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

fuzz_passed=0 fuzz_failed=0

common_asan=halt_on_error=1:abort_on_error=1:print_summary=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1
export LSAN_OPTIONS=suppressions=$top/build-aux/lsan.supp:print_suppressions=0
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer || true)}
# GLib's slice allocator and G_DEBUG=gc-friendly keep ASan's view exact.
export G_SLICE=always-malloc

scratch=$(mktemp -d -t order-relay-asan-XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# LeakSanitizer needs whole allocation stacks (GLib has no frame pointers) to
# tell library noise from our leaks, and slow unwinding makes everything several
# times slower: it runs on the suites whose code is ours end to end, and on our
# keyring code (test-credentials). The ui suite (GTK), the engine (its bounded
# waits), net (LSan's tracer crashes at exit among libsoup's threads) and
# test-keyring (libsecret alone; slowed down this much, libsecret returns a
# GTask twice) run under ASan+UBSan without it.
lsan=$common_asan:detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=16
echo "== ASan+UBSan+LSan: unit, fuzz, cli, sandbox, test-credentials"
ASAN_OPTIONS=$lsan "$top/build-aux/test-session.sh" "$builddir" --suite unit --suite fuzz --suite cli --suite sandbox \
  --timeout-multiplier 5 2>&1 | tee "$scratch/leaks.log" | tail -n 1
ASAN_OPTIONS=$lsan "$top/build-aux/test-session.sh" "$builddir" test-credentials \
  --timeout-multiplier 5 2>&1 | tee "$scratch/leaks-keyring.log" | tail -n 1

echo "== ASan+UBSan (no LSan): data, keyring, net, engine, ui"
ASAN_OPTIONS=$common_asan:detect_leaks=0 \
  "$top/build-aux/test-session.sh" "$builddir" --suite data --suite keyring --suite net --suite engine --suite ui \
  --timeout-multiplier 3 2>&1 | tee "$scratch/no-leaks.log" | tail -n 1

# Fuzzing: new inputs go to a working copy, never into the committed seeds.
for target in "${fuzz_targets[@]}"; do
  work=$builddir/fuzz-corpus/$target
  artifacts=$builddir/fuzz-artifacts
  mkdir -p "$work" "$artifacts"
  echo "== $target for ${fuzz_seconds} s"
  if ASAN_OPTIONS=$common_asan:detect_leaks=1 \
     "$builddir/tests/fuzz/$target" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
       "$work" "$top/tests/fuzz/corpus/$target" "$top/tests/fuzz/regressions/$target" \
       >"$scratch/$target.log" 2>&1; then
    fuzz_passed=$((fuzz_passed + 1))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$target.log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$scratch/$target.log" | tail -n 1)
    echo "$target: ${runs:-?} executions, ${cov:-no coverage figures}, corpus $(ls "$work" | wc -l) inputs"
  else
    fuzz_failed=$((fuzz_failed + 1))
    echo "$target FOUND A PROBLEM (input saved under $artifacts):"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$scratch/$target.log" | head -n 20
  fi
done

summary=$("$top/build-aux/sum-summaries.sh" "$scratch/leaks.log" "$scratch/leaks-keyring.log" "$scratch/no-leaks.log" --extra "$fuzz_passed" "$fuzz_failed")
echo "$summary"
[[ $summary == *" 0 failed"* ]]

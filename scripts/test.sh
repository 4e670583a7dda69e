#!/usr/bin/env bash
# The whole test suite (what .ci/run calls): set-up, Release build + ctest (unit tests, fuzz
# corpus replays, end-to-end tests with headless Chromium), then the thread-heavy unit tests
# (worker rings, io backends) under TSan (build-tsan/), then the same as Release under ASan+UBSan
# (build-asan/). RINGCAST_SKIP_TSAN=1 / RINGCAST_SKIP_ASAN=1 skip those passes. Exits non-zero
# on any failure.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
jobs="$(nproc)"
results=()
failed=0
tests_total=0
tests_failed=0
tests_skipped=0
step_failures=0

step() {  # step NAME COMMAND... : runs, records the outcome, never stops the script
  local name="$1"
  shift
  echo "=== ${name}: $*"
  if "$@"; then
    results+=("${name}: ok")
  else
    results+=("${name}: FAILED ($?)")
    failed=$((failed + 1))
    [[ "$name" == ctest* || "$name" == gtest* ]] || step_failures=$((step_failures + 1))
    return 1
  fi
}

build_and_test() {  # build_and_test DIR MODE [CMAKE OPTIONS...] [-- CTEST ARGS...]
  local dir="$1" mode="$2" options=()
  shift 2
  while (($#)) && [[ "$1" != -- ]]; do options+=("$1"); shift; done
  (($#)) && shift
  step "configure ${mode}" cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$mode" "${options[@]}" &&
    step "build ${mode}" cmake --build "$dir" -j"$jobs" &&
    step "ctest ${mode}" run_ctest "$dir" "$@"
}

run_ctest() {  # run_ctest DIR [CTEST ARGS...] : ctest, adding its counts to the totals
  local dir="$1" rc=0 line
  shift
  ctest --test-dir "$dir" --output-on-failure -j2 --timeout 900 "$@" 2>&1 | tee "$dir/ctest.log" ||
    rc=$?
  line="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$dir/ctest.log" |
          tail -n 1 || true)"
  if [[ "$line" =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    tests_failed=$((tests_failed + BASH_REMATCH[1]))
    tests_total=$((tests_total + BASH_REMATCH[2]))
  elif ((rc)); then
    step_failures=$((step_failures + 1))  # ctest failed without its summary line
  fi
  tests_skipped=$((tests_skipped + $(grep -cE '^[[:space:]]*[0-9]+ - .*\(Skipped\)$' "$dir/ctest.log" || true)))
  return "$rc"
}

run_gtests() {  # run_gtests DIR TARGET... : runs GoogleTest binaries, adding their counts
  local dir="$1" rc=0 name bin log brc ran nfailed nskipped
  shift
  for name in "$@"; do
    bin="$(find "$dir/tests" -type f -name "$name" -perm -u+x -print -quit)"
    log="$dir/${name}.log"
    if [[ -z "$bin" ]]; then
      echo "no ${name} binary under ${dir}/tests"
      step_failures=$((step_failures + 1))
      rc=1
      continue
    fi
    brc=0
    timeout 900 "$bin" 2>&1 | tee "$log" || brc=$?
    ran="$(sed -nE 's/^\[==========\] ([0-9]+) tests? from .* ran\..*/\1/p' "$log" | tail -n 1)"
    nfailed="$(sed -nE 's/^\[  FAILED  \] ([0-9]+) tests?, listed below:.*/\1/p' "$log" | tail -n 1)"
    nskipped="$(sed -nE 's/^\[  SKIPPED \] ([0-9]+) tests?, listed below:.*/\1/p' "$log" | tail -n 1)"
    if [[ -n "$ran" ]]; then
      tests_total=$((tests_total + ran))
      tests_failed=$((tests_failed + ${nfailed:-0}))
      tests_skipped=$((tests_skipped + ${nskipped:-0}))
    fi
    # A sanitizer report (halt_on_error) or a crash ends the binary without a gtest summary,
    # or with a non-zero status and no failed test: count it as one failure.
    if ((brc)) && [[ -z "$ran" || "${nfailed:-0}" == 0 ]]; then
      echo "${name} exited with status ${brc}"
      step_failures=$((step_failures + 1))
    fi
    ((brc == 0)) || rc=1
  done
  return "$rc"
}

step setup bash scripts/setup.sh || true
# The Release tree is configured like the shipped package (scripts/package-flags.sh), so the
# install test packs the .deb from it instead of compiling a second tree.
source scripts/package-flags.sh
build_and_test build Release "${package_cmake_options[@]}" || true
if [[ "${RINGCAST_SKIP_TSAN:-0}" == 1 ]]; then
  results+=("TSan: skipped (RINGCAST_SKIP_TSAN=1)")
else
  # Only the targets whose tests run threads over shared state; a full TSan build is too slow.
  # halt_on_error makes any data race report fail the run.
  tsan_targets=(worker_ring_tests io_tests record_tests)
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}"
  step "configure Tsan" cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Tsan &&
    step "build Tsan" cmake --build build-tsan -j"$jobs" --target "${tsan_targets[@]}" &&
    step "gtest Tsan" run_gtests build-tsan "${tsan_targets[@]}" || true
fi
if [[ "${RINGCAST_SKIP_ASAN:-0}" == 1 ]]; then
  results+=("ASan+UBSan: skipped (RINGCAST_SKIP_ASAN=1)")
else
  # halt_on_error + abort make any sanitizer report fail its test; leaks are reported too.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  # The package install test and the CDK/man-page checks do not exercise sanitized code: they
  # run once, in the Release pass.
  build_and_test build-asan Asan -- -LE 'install|packaging' || true
fi

echo "=== summary"
printf '  %s\n' "${results[@]}"
# ctest counts skipped tests among the passed ones; failed build steps count as failures.
tests_passed=$((tests_total - tests_failed - tests_skipped))
echo "ringcast: ${tests_passed} passed, $((tests_failed + step_failures)) failed, ${tests_skipped} skipped"
((failed == 0))

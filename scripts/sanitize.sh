#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer (issue #8):
#
#   scripts/sanitize.sh address     # AddressSanitizer + LeakSanitizer
#   scripts/sanitize.sh thread      # ThreadSanitizer
#
# Builds into its own scratch directory (.build-asan / .build-tsan, a full build the first
# time: about 15-20 minutes on 2 cores), so the normal .build stays as it is. The integration
# suites start the tack binary from the same build, so the server runs instrumented too. Extra
# arguments go to `swift test` (e.g. --filter ServerTests). Output: .build-<san>/sanitize.log;
# exits non-zero on any test failure or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:?usage: scripts/sanitize.sh address|thread [swift test arguments]}"; shift
case "$kind" in
    address) scratch=.build-asan
             export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
             export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0" ;;
    thread)  scratch=.build-tsan
             export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp" ;;
    *) echo "unknown sanitizer $kind: address or thread" >&2; exit 2 ;;
esac
bash scripts/ensure-packages.sh pkg-config libldns-dev ldnsutils bind9-dnsutils bind9-utils knot-dnsutils knot openssl dnsperf util-linux
swift build --build-tests --sanitize="$kind" --scratch-path "$scratch"
log="$scratch/sanitize.log"
set +e
swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
reports=$(grep -c -E "ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer" "$log" || true)
echo "sanitize $kind: swift test exit $status, $reports sanitizer report(s); log in $log"
[[ $status -eq 0 && $reports -eq 0 ]]

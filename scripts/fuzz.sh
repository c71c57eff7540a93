#!/usr/bin/env bash
# Builds Tack's libFuzzer targets with swiftc (-sanitize=fuzzer,address) straight from the module
# sources and runs each for a fixed time. See Fuzz/README.md.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   fuzz each target SECONDS (default 60) seconds
#   scripts/fuzz.sh --ci                    every target ~20 s, for `make test`
#   scripts/fuzz.sh --build [TARGET...]     build only
#   scripts/fuzz.sh --replay [TARGET...]    run the checked-in corpus once, no mutation
#   scripts/fuzz.sh --seeds                 regenerate the generated part of Fuzz/corpus
#
# Environment: FUZZ_OUT (build and scratch directory, default .build-fuzz, ignored by git),
# FUZZ_NICE (default 10), FUZZ_OPT (default -O), FUZZ_MAX_LEN (default 4096), FUZZ_RSS_MB
# (default 1024), FUZZ_CI_SECONDS (default 20), FUZZ_ROOT (the repository, default: the one
# holding this script). Targets run one after another, one process each.
#
# Exit status: 0 when no target crashed, 1 when any crashed (the reproducer is kept in
# $FUZZ_OUT/crashes/<target>/), 2 on a usage or build error.
set -euo pipefail

ROOT=${FUZZ_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${FUZZ_OUT:-$ROOT/.build-fuzz}
NICE=${FUZZ_NICE:-10}
OPT=${FUZZ_OPT:--O}
# The package name SwiftPM gives the modules, so `package` declarations compile here too.
PKG=(-package-name tack)
SWIFTC=${SWIFTC:-swiftc}
MAX_LEN=${FUZZ_MAX_LEN:-4096}
RSS_MB=${FUZZ_RSS_MB:-1024}
# The Swift runtime's backtracer hangs when libFuzzer handles the crash signal itself
# (swift-backtrace waits on a process that is already being torn down): leave crash reports
# to ASan/libFuzzer.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}

die() { echo "fuzz.sh: $*" >&2; exit 2; }

all_targets() {
    local f
    for f in "$ROOT"/Fuzz/targets/*.swift; do basename "$f" .swift; done
}

# The header line `// fuzz-modules: A B C` of a target lists the Sources/ modules it needs,
# dependencies first; `// fuzz-support: X.swift` lists files of Fuzz/support compiled with it.
header_field() { sed -n "s|^// $2: *||p" "$1" | head -n1; }

newer_than() { # newer_than OUTPUT INPUT... : true when OUTPUT is missing or older than an input
    local out=$1; shift
    [[ -e $out ]] || return 0
    [[ -n $(find "$@" -newer "$out" -print -quit 2>/dev/null) ]]
}

build_module() { # build_module MODULE [plain]: one static library + swiftmodule per Sources/<module>
    local m=$1 flavour=${2:-fuzz}
    local dir=$OUT/modules flags=(-sanitize=fuzzer,address)
    if [[ $flavour == plain ]]; then dir=$OUT/modules-plain; flags=(); fi
    local srcs=("$ROOT"/Sources/"$m"/*.swift)
    [[ -e ${srcs[0]} ]] || die "no sources in Sources/$m (named in a fuzz-modules header)"
    mkdir -p "$dir"
    # Rebuilt when a source, a dependency or the compiler flags changed.
    local stamp="$SWIFTC $OPT ${flags[*]}"
    if [[ $(cat "$dir/$m.flags" 2>/dev/null) != "$stamp" ]] \
        || newer_than "$dir/lib$m.a" "${srcs[@]}" $(for d in "${DEPS[@]}"; do echo "$dir/lib$d.a"; done); then
        echo "  module $m ($flavour)"
        (cd "$dir" && nice -n "$NICE" "$SWIFTC" $OPT "${PKG[@]}" -g -parse-as-library -wmo "${flags[@]}" \
            -module-name "$m" -I "$dir" \
            -emit-module -emit-module-path "$dir/$m.swiftmodule" \
            -emit-library -static -o "$dir/lib$m.a" "${srcs[@]}" 2> "$dir/$m.log") \
            || { cat "$dir/$m.log" >&2; die "building module $m failed"; }
        echo "$stamp" > "$dir/$m.flags"
    fi
}

# Regenerates the generated seeds (Fuzz/tools/MakeSeeds.swift) with uninstrumented modules.
make_seeds() {
    DEPS=()
    local m libs=()
    for m in DNSWire Zone Health Answer; do
        build_module "$m" plain
        DEPS+=("$m"); libs=("$OUT/modules-plain/lib$m.a" "${libs[@]}")
    done
    mkdir -p "$OUT/bin"
    local tool=$OUT/bin/make-seeds
    if newer_than "$tool" "$ROOT/Fuzz/tools/MakeSeeds.swift" "$ROOT/Fuzz/support/FuzzZones.swift" "${libs[@]}"; then
        echo "  tool make-seeds"
        nice -n "$NICE" "$SWIFTC" $OPT "${PKG[@]}" -parse-as-library -module-name MakeSeeds -I "$OUT/modules-plain" \
            "$ROOT/Fuzz/tools/MakeSeeds.swift" "$ROOT/Fuzz/support/FuzzZones.swift" "${libs[@]}" \
            -o "$tool" 2> "$OUT/bin/make-seeds.log" \
            || { cat "$OUT/bin/make-seeds.log" >&2; die "building make-seeds failed"; }
    fi
    # Generated seeds are replaced; files added by hand (hand-*), captured from real peers by
    # Fuzz/tools/capture-peers.py (peer-*) and crash reproducers (crash-*) are kept.
    local t
    for t in message_decode query_answer rdata_text rdata_wire; do
        mkdir -p "$ROOT/Fuzz/corpus/$t"
        find "$ROOT/Fuzz/corpus/$t" -type f ! -name 'hand-*' ! -name 'peer-*' ! -name 'crash-*' -delete
    done
    "$tool" "$ROOT"
}

build_target() {
    local t=$1 src=$ROOT/Fuzz/targets/$1.swift
    [[ -f $src ]] || die "unknown target '$t' (targets: $(all_targets | tr '\n' ' '))"
    local modules support
    modules=$(header_field "$src" fuzz-modules)
    support=$(header_field "$src" fuzz-support)
    DEPS=()
    local m libs=()
    for m in $modules; do
        build_module "$m"
        DEPS+=("$m")
        libs+=("$OUT/modules/lib$m.a")
    done
    local sup=() s
    for s in $support; do sup+=("$ROOT/Fuzz/support/$s"); done
    # A static library must follow the libraries that use it on the link line (GNU ld reads
    # them once, left to right), so link in reverse dependency order.
    local link=() i
    for ((i = ${#libs[@]} - 1; i >= 0; i--)); do link+=("${libs[i]}"); done
    mkdir -p "$OUT/bin"
    if newer_than "$OUT/bin/$t" "$src" "${sup[@]}" "${libs[@]}"; then
        echo "  target $t"
        nice -n "$NICE" "$SWIFTC" $OPT "${PKG[@]}" -g -parse-as-library -sanitize=fuzzer,address \
            -module-name "Fuzz_$t" -I "$OUT/modules" "$src" "${sup[@]}" "${link[@]}" \
            -o "$OUT/bin/$t" 2> "$OUT/bin/$t.log" \
            || { cat "$OUT/bin/$t.log" >&2; die "building target $t failed"; }
    fi
}

# Prints one summary line from a libFuzzer log: executions, exec/s, coverage, features.
summarize() {
    local t=$1 log=$2 crashed=$3 secs=$4
    local last execs cov ft rate
    last=$(grep -E '^#[0-9]+' "$log" | tail -n1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    [[ -n $execs ]] || execs=$(sed -E -n 's/^#([0-9]+).*/\1/p' <<<"$last")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    cov=$(sed -E -n 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -E -n 's/.*ft: ([0-9]+).*/\1/p' <<<"$last")
    printf '%-16s %6ss  execs %-11s exec/s %-7s cov %-6s ft %-6s crashes %s\n' \
        "$t" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashed"
}

run_target() { # run_target TARGET SECONDS [extra libFuzzer flags...]
    local t=$1 secs=$2; shift 2
    local work=$OUT/work/$t crashes=$OUT/crashes/$t seeds=$ROOT/Fuzz/corpus/$t
    mkdir -p "$work" "$crashes"
    local dict=()
    [[ -f $ROOT/Fuzz/dict/$t.dict ]] && dict=(-dict="$ROOT/Fuzz/dict/$t.dict")
    local log=$OUT/logs/$t.log
    mkdir -p "$OUT/logs"
    local before after rc=0
    before=$(find "$crashes" -type f | wc -l)
    # The working corpus ($work) collects what the fuzzer finds; the checked-in seeds are
    # read but never written.
    local corpora=("$work")
    [[ -d $seeds ]] && corpora+=("$seeds")
    nice -n "$NICE" "$OUT/bin/$t" "${corpora[@]}" \
        -max_total_time="$secs" -max_len="$MAX_LEN" -rss_limit_mb="$RSS_MB" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" "$@" \
        > "$log" 2>&1 || rc=$?
    after=$(find "$crashes" -type f | wc -l)
    local new=$((after - before))
    if (( rc != 0 && new == 0 )); then new="exit $rc"; fi
    summarize "$t" "$log" "$new" "$secs"
    if [[ $new != 0 ]]; then
        echo "    log: $log" >&2
        grep -E 'ERROR|Fatal error|input hex|SUMMARY|Test unit written' "$log" | head -n 8 | sed 's/^/    /' >&2
        return 1
    fi
}

replay_target() {
    local t=$1 seeds=$ROOT/Fuzz/corpus/$1
    [[ -d $seeds ]] || { echo "$t: no corpus"; return 0; }
    local log=$OUT/logs/$t.replay.log
    mkdir -p "$OUT/logs"
    mkdir -p "$OUT/crashes/$t"
    if "$OUT/bin/$t" -runs=0 -max_len="$MAX_LEN" -artifact_prefix="$OUT/crashes/$t/" "$seeds" > "$log" 2>&1; then
        echo "$t: $(find "$seeds" -type f | wc -l) corpus inputs replayed, no crash"
    else
        echo "$t: corpus replay crashed, see $log" >&2; return 1
    fi
}

main() {
    local mode=fuzz secs=60
    case ${1:-} in
        --ci) mode=fuzz; secs=${FUZZ_CI_SECONDS:-20}; shift ;;
        --build) mode=build; shift ;;
        --replay) mode=replay; shift ;;
        --seeds) mode=seeds; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        '' ) ;;
        *) if [[ $1 =~ ^[0-9]+$ ]]; then secs=$1; shift; fi ;;
    esac
    local targets=("$@")
    (( ${#targets[@]} )) || mapfile -t targets < <(all_targets)
    command -v "$SWIFTC" >/dev/null || die "swiftc not found on PATH (Swift 6.3 toolchain needed)"

    if [[ $mode == seeds ]]; then make_seeds; return 0; fi
    echo "building ${targets[*]} in $OUT"
    for t in "${targets[@]}"; do build_target "$t"; done
    [[ $mode == build ]] && return 0
    local failed=0
    for t in "${targets[@]}"; do
        if [[ $mode == replay ]]; then replay_target "$t" || failed=1
        else run_target "$t" "$secs" || failed=1
        fi
    done
    if (( failed )); then
        echo "fuzz.sh: crash found; reproducers in $OUT/crashes/, rerun one with $OUT/bin/<target> <file>" >&2
        exit 1
    fi
}

main "$@"

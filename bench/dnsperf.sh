#!/usr/bin/env bash
# Query benchmark (issue #7): Tack beside NSD, Knot DNS, gdnsd and the UDP echo ceiling in one run of
# the shared dnsperf harness (../shared/bench, see its README.md), same zone (bench.test.,
# 24,271 records from gen_data.py), same query mix, same pinning and client settings.
#
#   bench/dnsperf.sh [--tack BIN] [--harness DIR] [--out DIR] [run.sh options...]
#
#   --tack BIN      the tack binary (default .build/release/tack; build it first with
#                   swift build -c release --product tack)
#   --harness DIR   the shared harness (default ../shared/bench next to the repo, or
#                   $BENCH_HARNESS). It is copied to a scratch directory and run from there,
#                   so its data/, work/ and results/ never land in the shared tree.
#   --out DIR       results directory (default /tmp/tack-dnsperf/results/<timestamp>)
#   anything else   passed to run.sh after the defaults below, so it overrides them
#                   (e.g. --repeats 5 --duration 20).
#
# Defaults: matrix pin1 and both x UDP and TCP, 3 interleaved repeats of 10 s (2 s warm-up),
# latency probes of 4 s at the harness's fixed rates (UDP 20,000 qps, TCP 2,000 qps); before
# each measured run wait up to 10 s for the box to be quiet, repeat a run disturbed by other
# processes (> 15 % of a core) once; servers and dnsperf run at nice -10 (the harness's --nice)
# to shield them from other users of a shared machine. About 20 minutes on an idle 2-core
# machine, more when other processes keep it busy.
# Output: the harness's summary (ratios against NSD) and the same table against Knot and against
# gdnsd, in OUT/summary.md, OUT/summary-vs-knot.md and OUT/summary-vs-gdnsd.md.
#
# Traffic goes to 127.0.0.1 only; the harness starts every server in its own session and stops
# it by process group. Needs dnsperf, nsd, knot, gdnsd (Debian packages), gcc and python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
tack="$repo/.build/release/tack"
harness="${BENCH_HARNESS:-$repo/../shared/bench}"
[[ -d "$harness" ]] || harness="/work/shared/bench"
scratch="${TMPDIR:-/tmp}/tack-dnsperf"
out=""
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --tack) tack="$2"; shift 2 ;;
        --harness) harness="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) extra+=("$1"); shift ;;
    esac
done
[[ -x "$tack" ]] || { echo "no tack binary at $tack (swift build -c release --product tack)" >&2; exit 1; }
[[ -x "$harness/run.sh" ]] || { echo "no harness at $harness (give --harness DIR)" >&2; exit 1; }
bash "$repo/scripts/ensure-packages.sh" dnsperf nsd knot gdnsd gcc
tack="$(cd "$(dirname "$tack")" && pwd)/$(basename "$tack")"

# A private copy of the harness (scripts and templates only).
copy="$scratch/harness"
rm -rf "$copy"; mkdir -p "$copy"
cp -r "$harness/run.sh" "$harness/gen_data.py" "$harness/lib" "$harness/servers" "$copy/"
[[ -n "$out" ]] || out="$scratch/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

version="tack $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- Sources Package.swift || echo '+dirty') (release)"
export TACK="$tack"
"$copy/run.sh" nsd knot gdnsd echo \
    --name tack --port 5310 --version "$version" \
    --cmd "exec $here/tack-bench-server.sh" \
    --setups pin1,both --proto udp,tcp \
    --repeats 3 --duration 10 --warmup 2 --probe-duration 4 \
    --quiet-wait 10 --retries 1 --max-other 15 --nice -10 \
    --out "$out" "${extra[@]}"

# The same summary with Knot as the reference.
python3 "$copy/lib/benchlib.py" report "$out/raw.jsonl" --ref knot --meta "$out/meta.json" \
    --md "$out/summary-vs-knot.md" --json "$out/summary-vs-knot.json" >/dev/null
# And with gdnsd, the reference of issue #7's CPU and TCP targets.
python3 "$copy/lib/benchlib.py" report "$out/raw.jsonl" --ref gdnsd --meta "$out/meta.json" \
    --md "$out/summary-vs-gdnsd.md" --json "$out/summary-vs-gdnsd.json" >/dev/null
echo "results: $out (summary.md: ratios vs NSD; summary-vs-knot.md: vs Knot; summary-vs-gdnsd.md: vs gdnsd)" >&2

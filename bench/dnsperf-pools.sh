#!/usr/bin/env bash
# Issue #5 over the network: what a pool answer costs in `tack serve` against a static answer,
# with the shared dnsperf harness's single-name query sets (the ones its failover.sh uses for
# gdnsd and PowerDNS): q-static1.txt (static1.bench.test. A, one static A record) and
# q-fo1.txt (fo.bench.test. A, here a Tack pool answering one A record, its targets up).
#
#   bench/dnsperf-pools.sh [--tack BIN] [--harness DIR] [--out DIR] [run.sh options...]
#
# Four harness runs (pool policy failover or multivalue x query set static1 or fo1), Tack only,
# setup pin1, UDP, 3 interleaved repeats of 10 s; then one table of QPS and server CPU per
# query with the pool/static ratio per policy. Nice -10 as in bench/dnsperf.sh. About 5 minutes
# on an idle machine.
# The config comes from bench/tack-bench-server.sh with TACK_BENCH_POOL set.
# Loopback only; the harness stops every server it starts by process group.
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
bash "$repo/scripts/ensure-packages.sh" dnsperf gcc
tack="$(cd "$(dirname "$tack")" && pwd)/$(basename "$tack")"

copy="$scratch/harness-pools"
rm -rf "$copy"; mkdir -p "$copy"
cp -r "$harness/run.sh" "$harness/gen_data.py" "$harness/lib" "$harness/servers" "$copy/"
python3 "$copy/gen_data.py" --out "$copy/data" >&2
[[ -n "$out" ]] || out="$scratch/results/pools-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

version="tack $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- Sources Package.swift || echo '+dirty') (release)"
export TACK="$tack"
: > "$out/raw.jsonl"
for policy in failover multivalue; do
    for set in static1 fo1; do
        TACK_BENCH_POOL="$policy" "$copy/run.sh" --name "tack-$policy" --port 5310 --version "$version" \
            --cmd "exec $here/tack-bench-server.sh" \
            --setups pin1 --proto udp --repeats 3 --duration 10 --warmup 2 --probe-duration 4 \
            --quiet-wait 10 --retries 1 --max-other 15 --nice -10 \
            --queries "$copy/data/q-$set.txt" --query-set "$set" \
            --out "$out/$policy-$set" "${extra[@]}" >/dev/null
        cat "$out/$policy-$set/raw.jsonl" >> "$out/raw.jsonl"
    done
done

python3 - "$out/raw.jsonl" <<'PY' | tee "$out/summary.md"
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("kind") != "throughput":
        continue
    runs.setdefault((r["server"], r["query_set"]), []).append(r)
def clean(rs):
    good = [r for r in rs if not r.get("noisy")]
    return good or rs
print("| config | query | QPS median (min-max) | server CPU % | µs server CPU per query | pool / static |")
print("|---|---|---:|---:|---:|---:|")
for policy in ("failover", "multivalue"):
    cost = {}
    for qs in ("static1", "fo1"):
        rs = clean(runs.get((f"tack-{policy}", qs), []))
        if not rs:
            continue
        qps = [r["qps"] for r in rs]
        cpu = [r["server_cpu_pct"] for r in rs]
        us = statistics.median([c / 100 / q * 1e6 for c, q in zip(cpu, qps)])
        cost[qs] = us
        ratio = f"{cost['fo1'] / cost['static1']:.2f}" if qs == "fo1" and "static1" in cost else ""
        print(f"| {policy} pool | {qs} | {statistics.median(qps):,.0f} ({min(qps):,.0f}-{max(qps):,.0f}) | "
              f"{statistics.median(cpu):.0f} | {us:.1f} | {ratio} |")
PY
echo "results: $out" >&2

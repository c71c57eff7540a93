#!/usr/bin/env bash
# Soak: dnsperf at a steady rate against `tack serve` for a while, reloading the zones and
# flipping a pool's target between up and down all along, while the server's resident memory
# is sampled. Fails when a query goes unanswered (rate limiting is off) or memory keeps growing.
#
#   scripts/soak.sh [SECONDS] [QPS]       default 1800 s at 20000 q/s (the report run)
#   SOAK_TACK=path/to/tack                default .build/release/tack, else .build/debug/tack
#
# Writes to $SOAK_OUT (default .build/soak): rss.csv (time_s,rss_kib,anon_kib), dnsperf.txt, tack.log,
# summary.txt. Traffic goes to 127.0.0.1 only; every process started is stopped by PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_TOTAL=${1:-1800}
QPS=${2:-20000}
OUT=${SOAK_OUT:-$ROOT/.build/soak}
TACK=${SOAK_TACK:-}
if [[ -z $TACK ]]; then
    for c in "$ROOT/.build/release/tack" "$ROOT/.build/debug/tack"; do [[ -x $c ]] && { TACK=$c; break; }; done
fi
[[ -x ${TACK:-} ]] || { echo "soak.sh: no tack binary; run swift build (or set SOAK_TACK)" >&2; exit 2; }
command -v dnsperf >/dev/null || { echo "soak.sh: dnsperf is missing: apt-get install dnsperf" >&2; exit 2; }
(( SECONDS_TOTAL >= 10 && SECONDS_TOTAL <= 86400 )) || { echo "soak.sh: SECONDS must be 10..86400" >&2; exit 2; }
(( QPS >= 100 && QPS <= 500000 )) || { echo "soak.sh: QPS must be 100..500000" >&2; exit 2; }

rm -rf "$OUT"; mkdir -p "$OUT"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp "$ROOT/zones/example.test.zone" "$OUT/zone"
echo "app up" >"$OUT/status"
cat >"$OUT/tack.yaml" <<CONF
listen: ["127.0.0.1:$PORT"]
zones:
  - name: example.test
    file: zone
admin:
  listen: 127.0.0.1:0
health:
  state_file: off
targets:
  - name: app
    answers: [192.0.2.80]
    monitors:
      - type: file
        path: status
        interval: 500ms
        timeout: 100ms
        rise: 1
        fall: 1
  - name: backup
    answers: [192.0.2.81]
    monitors:
      - type: exec
        command: [/bin/true]
        interval: 1s
        timeout: 500ms
pools:
  - name: app
    owner: app.example.test
    tiers: [[app], [backup]]
    ttl: 60
CONF
# The query mix: every name of the zone with its types, NXDOMAIN, and the pool.
python3 - "$OUT/zone" >"$OUT/queries" <<'PY'
import sys
names = set()
for line in open(sys.argv[1]):
    f = line.split()
    if not f or f[0].startswith((";", "$", "(")) or line[0] in " \t": continue
    names.add(f[0])
for n in sorted(names):
    fq = n if n.endswith(".") else (n + ".example.test." if n != "@" else "example.test.")
    for t in ("A", "AAAA", "MX", "TXT"): print(fq, t)
for i in range(50): print(f"nx{i}.example.test. A")
for i in range(50): print("app.example.test. A")
PY

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$TACK" serve --config "$OUT/tack.yaml" >"$OUT/tack.log" 2>&1 &
TACK_PID=$!; PIDS+=($TACK_PID)
for _ in $(seq 100); do dig +short +time=1 +tries=1 -p "$PORT" @127.0.0.1 example.test SOA >/dev/null 2>&1 && break; sleep 0.1; done

# Reload every 5 s (the zone's serial bumped), flip the pool's target every 3 s.
( serial=1; while kill -0 $TACK_PID 2>/dev/null; do
    sleep 5; serial=$((serial + 1))
    sed -i -E "s/^(@ +IN +SOA +[^ ]+ +[^ ]+ +)[0-9]+/\1$((2026112100 + serial))/" "$OUT/zone"
    kill -HUP $TACK_PID 2>/dev/null || true
  done ) & PIDS+=($!)
( state=down; while kill -0 $TACK_PID 2>/dev/null; do
    sleep 3; echo "app $state" >"$OUT/status.tmp" && mv "$OUT/status.tmp" "$OUT/status"
    [[ $state == down ]] && state=up || state=down
  done ) & PIDS+=($!)
( t0=$(date +%s); while kill -0 $TACK_PID 2>/dev/null; do
    echo "$(( $(date +%s) - t0 )),$(awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} END {print r "," a}' /proc/$TACK_PID/status)" >>"$OUT/rss.csv"; sleep 2
  done ) & PIDS+=($!)

dnsperf -s 127.0.0.1 -p "$PORT" -d "$OUT/queries" -l "$SECONDS_TOTAL" -Q "$QPS" -c 4 -q 200 -t 2 >"$OUT/dnsperf.txt" 2>&1 || true
reloads=$(grep -c "reload succeeded" "$OUT/tack.log" || true)
flips=$(grep -c "target app" "$OUT/tack.log" || true)
kill -0 $TACK_PID 2>/dev/null && alive=yes || alive=no

python3 - "$OUT" "$alive" "$reloads" "$flips" "$QPS" <<'PY' | tee "$OUT/summary.txt"
import re, sys
out, alive, reloads, flips, qps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
perf = open(f"{out}/dnsperf.txt").read()
sent = int(re.search(r"Queries sent:\s+(\d+)", perf).group(1))
done = int(re.search(r"Queries completed:\s+(\d+)", perf).group(1))
lost = int(re.search(r"Queries lost:\s+(\d+)", perf).group(1))
rate = float(re.search(r"Queries per second:\s+([\d.]+)", perf).group(1))
rows = [tuple(map(int, l.split(","))) for l in open(f"{out}/rss.csv") if l.strip().count(",") == 2 and "" not in l.strip().split(",")]
rss = [(t, r) for t, r, _ in rows]
third = max(1, len(rss) // 3)
def thirds(values):  # (middle third average, after warm-up; last third average)
    middle = values[third:2 * third] or values
    return sum(middle) / len(middle), sum(values[-third:]) / len(values[-third:])
first, last = thirds([r for _, r in rss])
anon_first, anon_last = thirds([a for _, _, a in rows])
peak = max(r for _, r in rss)
growth = last - first
# Memory "keeps growing" when the last third averages more than 10 % (and 8 MiB) above the
# middle third: allocator noise and caches settle well below that.
grows = growth > max(0.10 * first, 8192)
ok = alive == "yes" and lost == 0 and not grows and reloads > 0 and flips > 0
print(f"queries sent {sent}, completed {done}, lost {lost}; {rate:.0f} q/s (asked {qps})")
print(f"reloads {reloads}, pool target flips {flips}, server alive at the end: {alive}")
print(f"RSS KiB: middle third {first:.0f}, last third {last:.0f}, growth {growth:+.0f}, peak {peak}")
print(f"anonymous (heap) KiB: middle third {anon_first:.0f}, last third {anon_last:.0f}, growth {anon_last - anon_first:+.0f}")
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY

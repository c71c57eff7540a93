#!/usr/bin/env bash
# Allocations per query of the whole `tack serve` process (issue #7: "0 allocations per warm
# query, proved by the benchmark"). tack runs with an LD_PRELOAD malloc counter
# (bench/malloc-count/count.c); the count is read before and after a burst of queries, and the
# process's own background allocations over an idle period of the same length (health checks,
# timers, the admin API) are subtracted.
#
#   bench/malloc-count.sh [--tack BIN] [--queries N]
#
# Three bursts, each N queries (default 100,000) from dnsperf at 20,000 q/s:
#   warm   the same 8 questions over and over (answers come from the response cache)
#   mixed  40 questions: 4 names x A/AAAA/MX/TXT/NS and 20 NXDOMAIN names, repeated (cached too)
#   cold   N different names, each asked once: every query takes the full path (cache misses)
#   tcp    the warm questions over TCP, one connection, pipelined
# Prints mallocs per query for each. Loopback only; tack is stopped by PID.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
tack="$repo/.build/release/tack"
queries=100000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --tack) tack="$2"; shift 2 ;;
        --queries) queries="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -x "$tack" ]] || { echo "no tack binary at $tack (swift build -c release --product tack)" >&2; exit 1; }
bash "$repo/scripts/ensure-packages.sh" dnsperf gcc
work="$(mktemp -d /tmp/tack-malloc.XXXXXX)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
gcc -O2 -shared -fPIC -o "$work/count.so" "$here/malloc-count/count.c" -ldl

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp "$repo/zones/example.test.zone" "$work/"
cat > "$work/tack.yaml" <<YAML
listen: ["127.0.0.1:$port"]
zones:
  - name: example.test
    file: example.test.zone
admin:
  listen: 127.0.0.1:0
YAML
MALLOC_COUNT_FILE="$work/count" LD_PRELOAD="$work/count.so" "$tack" serve --config "$work/tack.yaml" > "$work/tack.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
    dig +time=1 +tries=1 @127.0.0.1 -p "$port" example.test SOA > /dev/null 2>&1 && break
    sleep 0.2
done

count() { kill -USR2 "$pid"; sleep 0.3; cat "$work/count"; }
names=(www.example.test example.test ns1.example.test mail.example.test)
: > "$work/warm.txt"
for n in "${names[@]}"; do echo "$n A" >> "$work/warm.txt"; echo "$n AAAA" >> "$work/warm.txt"; done
: > "$work/mixed.txt"
for n in "${names[@]}"; do for t in A AAAA MX TXT NS; do echo "$n $t" >> "$work/mixed.txt"; done; done
for i in $(seq 20); do echo "nx$i.example.test A" >> "$work/mixed.txt"; done
python3 -c "import sys; [print(f'cold{i}.example.test A') for i in range(int(sys.argv[1]) + 2000)]" "$queries" > "$work/cold.txt"
echo "warm-up-only.example.test A" > "$work/none.txt"
rate=20000
seconds=$(( (queries + rate - 1) / rate ))

burst() {  # name, query file, warm-up file, extra dnsperf options
    local name="$1" file="$2" warm="$3"; shift 3
    # Warm the cache with the same questions first (the cold burst warms with something else).
    dnsperf -s 127.0.0.1 -p "$port" -d "$warm" -n 2 "$@" > /dev/null 2>&1 || true
    local before after idle_before idle_after sent
    before=$(count)
    dnsperf -s 127.0.0.1 -p "$port" -d "$file" -Q "$rate" -l "$seconds" "$@" > "$work/$name.out" 2>&1 || true
    after=$(count)
    sent=$(awk '/Queries completed:/ {print $3}' "$work/$name.out")
    idle_before=$(count)
    sleep "$seconds"
    idle_after=$(count)
    python3 - "$name" "$before" "$after" "$idle_before" "$idle_after" "$sent" <<'PY'
import sys
name, b, a, ib, ia, sent = sys.argv[1], *map(int, sys.argv[2:])
idle = ia - ib
print(f"{name:6} {sent:>9,} queries answered  mallocs during burst {a - b:>10,}  idle over the same time {idle:>7,}"
      f"  per query {max(0, a - b - idle) / max(sent, 1):.3f}")
PY
}
echo "tack: $tack (commit $(git -C "$repo" rev-parse --short HEAD))"
burst warm "$work/warm.txt" "$work/warm.txt"
burst mixed "$work/mixed.txt" "$work/mixed.txt"
burst cold "$work/cold.txt" "$work/none.txt" -n 1
burst tcp "$work/warm.txt" "$work/warm.txt" -m tcp

#!/usr/bin/env bash
# Zone-load benchmark: time and peak memory to load one generated zone in Tack, Knot DNS and
# NSD, in the same run on the same machine.
#
#   bench/zone-load.sh [RECORDS] [TACK_BINARY]     (default 1000000, .build/release/tack)
#
# Tack:  `tack check --zone` (the ZoneLoader path `tack serve` uses: parse, check, build the
#        immutable zone), measured with /usr/bin/time (wall seconds, max RSS).
# Knot:  knotd started on 127.0.0.1 with the zone; time until it answers the zone's SOA;
#        peak memory = VmHWM of knotd.
# NSD:   nsd started the same way; time until it answers the SOA; peak memory = the largest
#        VmHWM among its processes (the zone is loaded before NSD forks its servers).
# Only loopback is used; every server started here is stopped by PID.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
records="${1:-1000000}"
tack="${2:-$here/../.build/release/tack}"
work="$(mktemp -d /tmp/tack-zone-load.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
zone="$work/bench.test.zone"
python3 "$here/gen-zone.py" "$records" bench.test > "$zone"
lines=$(grep -vc '^\$' "$zone")
port=$((20000 + RANDOM % 20000))

now() { date +%s.%N; }
wait_soa() {  # wait_soa PORT PID: seconds until SOA answered (max 600 s), or fail
    local t0="$1" p="$2" pid="$3"
    for _ in $(seq 1 6000); do
        if kdig @127.0.0.1 -p "$p" +timeout=1 +retry=0 bench.test SOA 2>/dev/null | grep -q "status: NOERROR"; then
            echo "$(now) - $t0" | bc; return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "server exited" >&2; return 1; }
        sleep 0.1
    done
    return 1
}
hwm() { local m=0 v; for p in "$@"; do v=$(awk '/VmHWM/{print $2}' /proc/"$p"/status 2>/dev/null || echo 0); [ "${v:-0}" -gt "$m" ] && m=$v; done; echo "$m"; }

# Tack
read -r tack_s tack_kb < <(/usr/bin/time -f "%e %M" "$tack" check --zone "$zone" --origin bench.test 2>&1 >/dev/null | tail -1)

# Knot DNS
mkdir -p "$work/knot"
cat > "$work/knot/knot.conf" <<CONF
server:
    rundir: "$work/knot"
    listen: 127.0.0.1@$port
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$work/knot/db"
template:
  - id: default
    storage: "$work/knot"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.test
    file: "$zone"
CONF
t0=$(now); knotd -c "$work/knot/knot.conf" >"$work/knot/log" 2>&1 & kp=$!; pids+=("$kp")
knot_s=$(wait_soa "$t0" "$port" "$kp"); knot_kb=$(hwm "$kp"); kill "$kp"; wait "$kp" 2>/dev/null || true

# NSD
port=$((port + 1)); mkdir -p "$work/nsd"
cat > "$work/nsd/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$port
    port: $port
    do-ip6: no
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$work/nsd"
    database: ""
    zonelistfile: "$work/nsd/zone.list"
    xfrdfile: "$work/nsd/xfrd.state"
    pidfile: "$work/nsd/nsd.pid"
    logfile: "$work/nsd/nsd.log"
    rrl-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "bench.test"
    zonefile: "$zone"
CONF
t0=$(now); nsd -d -c "$work/nsd/nsd.conf" >"$work/nsd/out" 2>&1 & np=$!; pids+=("$np")
nsd_s=$(wait_soa "$t0" "$port" "$np"); nsd_kb=$(hwm "$np" $(pgrep -P "$np" || true)); kill "$np"; wait "$np" 2>/dev/null || true

printf '\nZone load, %s records (%s), %s, %s\n\n' "$lines" "$(du -h "$zone" | cut -f1)" "$(date -u +%F)" "$(nproc) cores"
printf '| server | load time (s) | peak memory (MiB) | time vs Knot | memory vs NSD |\n|---|---:|---:|---:|---:|\n'
row() { printf '| %s | %.2f | %.0f | %.2f | %.2f |\n' "$1" "$2" "$(echo "$3/1024" | bc -l)" "$(echo "$2/$knot_s" | bc -l)" "$(echo "$3/$nsd_kb" | bc -l)"; }
row "Tack ($("$tack" --version 2>/dev/null || echo dev))" "$tack_s" "$tack_kb"
row "Knot DNS $(knotd -V | awk '{print $NF}')" "$knot_s" "$knot_kb"
row "NSD $(nsd -v 2>&1 | head -1 | awk '{print $NF}')" "$nsd_s" "$nsd_kb"

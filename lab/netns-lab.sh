#!/usr/bin/env bash
# Tack multi-site anycast lab on one host, with network namespaces (run as root).
#
#   client ── core ─┬─ site1 (DNS server + BIRD + announcer)   AS 65001, no prepend  ("nearest")
#                   ├─ site2                                    AS 65002, prepend x1
#                   └─ site3                                    AS 65003, prepend x2
#
# Every site announces the anycast 198.18.53.53/32 and fd53::53/128 over eBGP (with BFD at
# 100 ms) to the core only while its local DNS server passes a DNS health check. A prober in the
# client namespace sends a query every 50 ms and records which site (NSID) answered. The lab then
# kills, hangs, drains and cuts off the nearest site and checks how fast and how cleanly the
# answers move, and prints `N passed, M failed`. See lab/README.md.
#
# Usage: lab/netns-lab.sh [--server-cmd TEMPLATE] [--out DIR] [--prefix NAME] [--keep] [--no-plot]
#   --server-cmd  the per-site DNS server command, run inside the site's namespace, in the
#                 foreground; placeholders: {ns} {site} {addr} (comma-separated addresses to
#                 listen on) {port} {nsid} {rundir} (a private directory) {zone} (zone file).
#                 Default: knotd through lab/knot-site.sh.
#   --out         where the CSV, events, logs and the PNG timeline go (default: lab/out)
#   --prefix      namespace name prefix (default: tacklab)
#   --keep        keep the run directory (configs, logs) after the run
#   --no-plot     skip the PNG timeline (no gnuplot needed)
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/.." && pwd)
SERVER_CMD="$LAB_DIR/knot-site.sh {site} {addr} {port} {nsid} {rundir} {zone}"
OUT_DIR="$LAB_DIR/out"
PREFIX=tacklab
KEEP=0
PLOT=1
ZONE="$REPO_DIR/zones/example.test.zone"
QNAME=example.test

while [ $# -gt 0 ]; do
    case "$1" in
        --server-cmd) SERVER_CMD=${2:?--server-cmd needs a value}; shift 2 ;;
        --out) OUT_DIR=${2:?--out needs a directory}; shift 2 ;;
        --prefix) PREFIX=${2:?--prefix needs a name}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --no-plot) PLOT=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "netns-lab.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

die() { echo "netns-lab.sh: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces); try: sudo $0"
for tool in ip bird birdc nft dig python3 sysctl; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed; run: make lab-deps (or apt-get install the LAB_PACKAGES of the Makefile)"
done
[ "$PLOT" -eq 0 ] || command -v gnuplot >/dev/null || die "'gnuplot' is not installed (apt-get install gnuplot-nox), or pass --no-plot"
[[ "$PREFIX" =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "--prefix '$PREFIX' must be 1-10 lower-case letters/digits, starting with a letter"

# ---- addresses (all inside 198.18.0.0/15 and fd00::/8); lab/bird/nodes/*.conf use the same ---
ANY4=198.18.53.53
ANY6=fd53::53
SITES=(site1 site2 site3)
declare -A SITE_AS=([site1]=65001 [site2]=65002 [site3]=65003)
site_n() { echo "${1#site}"; }
site4() { echo "198.18.$(site_n "$1").2"; }      # the site's unicast address (core link)
core4() { echo "198.18.$(site_n "$1").1"; }
site6() { echo "fd00:18:$(site_n "$1")::2"; }
core6() { echo "fd00:18:$(site_n "$1")::1"; }
CLIENT4=198.18.100.2 CLIENT_GW4=198.18.100.1
CLIENT6=fd00:18:100::2 CLIENT_GW6=fd00:18:100::1
NS_CORE=$PREFIX-core NS_CLIENT=$PREFIX-client
ns_of() { echo "$PREFIX-$1"; }
ALL_NS=("$NS_CORE" "$NS_CLIENT" "$(ns_of site1)" "$(ns_of site2)" "$(ns_of site3)")

RUN=$(mktemp -d "/tmp/tacklab.XXXXXX")
mkdir -p "$OUT_DIR"
CSV="$OUT_DIR/probes.csv"
EVENTS="$OUT_DIR/events.csv"      # time,who,event (lab events and announcer state changes)
ROUTES="$OUT_DIR/routes.csv"      # time,family,next hop of the core's anycast route
RESULTS="$OUT_DIR/results.txt"
: >"$EVENTS"; : >"$RESULTS"
CREATED_NS=()
PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S.%3N)" "$*"; }
now() { date +%s.%N; }
event() { local t; t=$(now); echo "$t,lab,$1" >>"$EVENTS"; echo "$t"; }

# ---- cleanup: every process, namespace (and so every veth) this run made ---------------------
cleanup() {
    local rc=$?
    set +e
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for site in "${SITES[@]}"; do
        [ -f "$RUN/$site/server.pid" ] && kill -CONT "$(cat "$RUN/$site/server.pid")" 2>/dev/null
        [ -f "$RUN/$site/server.pid" ] && kill "$(cat "$RUN/$site/server.pid")" 2>/dev/null
    done
    for ns in "${CREATED_NS[@]}"; do
        # Anything still running in a namespace we created was started by this run.
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -CONT "$pid" 2>/dev/null; kill -9 "$pid" 2>/dev/null; done
    done
    sleep 0.2
    for ns in "${CREATED_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
    if [ "$KEEP" -eq 1 ]; then echo "run directory kept: $RUN"; else rm -rf "$RUN"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "${ALL_NS[@]}"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
        die "namespace '$ns' already exists (a previous run still going, or killed with -9?); remove it with 'ip netns del $ns' or pass --prefix"
    fi
done

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# Background daemons are started with `ip netns exec` directly (not through nsx) so that $! is the
# daemon's own PID: ip netns exec, chrt and `bash -c "exec ..."` all exec, none forks.
# The lab measures routing, not CPU contention: on a loaded CI machine (Swift builds on every core)
# a 300 ms BFD detection time or a 100 ms health-check timeout would flap from scheduling delay
# alone. The lab's own daemons (BIRD, the DNS servers, the announcers, the prober) therefore run
# with real-time priority (they sleep almost all the time); without chrt they get nice -10.
if chrt -f 20 true 2>/dev/null; then RT=(chrt -f 20); else RT=(nice -n -10); fi

# ---- topology ---------------------------------------------------------------------------------
log "building namespaces ${ALL_NS[*]}"
for ns in "${ALL_NS[@]}"; do
    ip netns add "$ns"
    CREATED_NS+=("$ns")
    ip -n "$ns" link set lo up
    nsx "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
        net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
nsx "$NS_CORE" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
    net.ipv4.fib_multipath_hash_policy=1 net.ipv6.fib_multipath_hash_policy=1

# veth pairs are created directly inside the namespaces: nothing appears in the host namespace.
for site in "${SITES[@]}"; do
    n=$(site_n "$site") ns=$(ns_of "$site")
    ip link add "to-$site" netns "$NS_CORE" type veth peer name uplink netns "$ns"
    ip -n "$NS_CORE" addr add "$(core4 "$site")/24" dev "to-$site"
    ip -n "$NS_CORE" addr add "$(core6 "$site")/64" dev "to-$site" nodad
    ip -n "$ns" addr add "$(site4 "$site")/24" dev uplink
    ip -n "$ns" addr add "$(site6 "$site")/64" dev uplink nodad
    ip -n "$NS_CORE" link set "to-$site" up
    ip -n "$ns" link set uplink up
    # The anycast addresses live on the site's loopback (no dummy module needed).
    ip -n "$ns" addr add "$ANY4/32" dev lo
    ip -n "$ns" addr add "$ANY6/128" dev lo nodad
    # Only the lab's client prefixes go back through the core: no default route anywhere.
    ip -n "$ns" route add 198.18.100.0/24 via "$(core4 "$site")"
    ip -n "$ns" route add fd00:18:100::/64 via "$(core6 "$site")"
done
ip link add to-client netns "$NS_CORE" type veth peer name uplink netns "$NS_CLIENT"
ip -n "$NS_CORE" addr add "$CLIENT_GW4/24" dev to-client
ip -n "$NS_CORE" addr add "$CLIENT_GW6/64" dev to-client nodad
ip -n "$NS_CLIENT" addr add "$CLIENT4/24" dev uplink
ip -n "$NS_CLIENT" addr add "$CLIENT6/64" dev uplink nodad
ip -n "$NS_CORE" link set to-client up
ip -n "$NS_CLIENT" link set uplink up
ip -n "$NS_CLIENT" route add 198.18.0.0/15 via "$CLIENT_GW4"
ip -n "$NS_CLIENT" route add fd00::/8 via "$CLIENT_GW6"

# ---- BIRD ------------------------------------------------------------------------------------
bird_sock() { echo "$RUN/$1/bird.ctl"; }
start_bird() {  # NAME NS CONF
    local name=$1 ns=$2 conf=$3
    ip netns exec "$ns" "${RT[@]}" bird -f -c "$conf" -s "$(bird_sock "$name")" -P "$RUN/$name/bird.pid" \
        >"$OUT_DIR/bird-$name.log" 2>&1 &
    PIDS+=($!)
}
# The per-node BIRD files (shared with the compose lab) hold the addresses used above.
for name in core "${SITES[@]}"; do mkdir -p "$RUN/$name"; done
for name in core "${SITES[@]}"; do bird -p -c "$LAB_DIR/bird/nodes/$name.conf" || die "BIRD rejects $LAB_DIR/bird/nodes/$name.conf"; done
start_bird core "$NS_CORE" "$LAB_DIR/bird/nodes/core.conf"
for site in "${SITES[@]}"; do start_bird "$site" "$(ns_of "$site")" "$LAB_DIR/bird/nodes/$site.conf"; done

# ---- per-site DNS servers --------------------------------------------------------------------
server_cmd() {  # SITE -> the command line with placeholders filled in
    local site=$1 cmd=$SERVER_CMD
    cmd=${cmd//\{ns\}/$(ns_of "$site")}
    cmd=${cmd//\{site\}/$site}
    cmd=${cmd//\{addr\}/$(site4 "$site"),$ANY4,$(site6 "$site"),$ANY6}
    cmd=${cmd//\{port\}/53}
    cmd=${cmd//\{nsid\}/$site}
    cmd=${cmd//\{rundir\}/$RUN/$site/server}
    cmd=${cmd//\{zone\}/$ZONE}
    echo "$cmd"
}
start_server() {  # SITE
    local site=$1 pidfile="$RUN/$1/server.pid" old
    if [ -f "$pidfile" ]; then
        old=$(cat "$pidfile")
        if kill -0 "$old" 2>/dev/null && [ "$(ip netns identify "$old" 2>/dev/null)" = "$(ns_of "$site")" ]; then
            die "$site: server (pid $old) is still running; stop it before starting another"
        fi
        # A server killed mid-run leaves its pid file behind: stale, so it must not block the restart.
        log "$site: removing stale pid file (pid $old is gone)"
        rm -f "$pidfile"
    fi
    mkdir -p "$RUN/$site/server"
    ip netns exec "$(ns_of "$site")" "${RT[@]}" bash -c "exec $(server_cmd "$site")" >>"$OUT_DIR/server-$site.log" 2>&1 &
    echo $! >"$pidfile"
}
server_pid() { cat "$RUN/$1/server.pid"; }
wait_until() {  # SECONDS DESCRIPTION COMMAND...: poll every 50 ms, bounded
    local limit=$1 what=$2; shift 2
    local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s%N)" -lt "$deadline" ] || { log "timed out after ${limit}s waiting for: $what"; return 1; }
        sleep 0.05
    done
}
answers() {  # NS ADDR: the server at ADDR answers authoritatively
    nsx "$1" dig +norec +time=1 +tries=1 "@$2" "$QNAME" SOA | grep -q 'flags:.* aa'
}
for site in "${SITES[@]}"; do start_server "$site"; done
for site in "${SITES[@]}"; do
    wait_until 10 "$site server on $(site4 "$site")" answers "$(ns_of "$site")" "$(site4 "$site")" \
        || die "$site: the DNS server does not answer; see $OUT_DIR/server-$site.log"
done

# ---- announcers (the stand-in for `tack announce`) -------------------------------------------
for site in "${SITES[@]}"; do
    ip netns exec "$(ns_of "$site")" "${RT[@]}" python3 "$LAB_DIR/announce.py" --site "$site" --server "$ANY4" \
        --qname "$QNAME" --socket "$(bird_sock "$site")" --interval 0.1 --timeout 0.1 --rise 3 --fall 2 \
        --drain-file "$RUN/$site/drain" --events "$EVENTS" --duration 600 \
        >>"$OUT_DIR/announce-$site.log" 2>&1 &
    PIDS+=($!)
done

# ---- checks ----------------------------------------------------------------------------------
PASSED=0 FAILED=0 VOID=0
check() {  # NAME OK(0/1) DETAIL; after a failed settle the next check fails as void
    if [ "$VOID" -eq 1 ]; then
        VOID=0
        FAILED=$((FAILED + 1)); echo "FAIL  $1: void, site1 was not the answering site before the step (BGP/BFD flap?); measured: $3" | tee -a "$RESULTS"
    elif [ "$2" -eq 1 ]; then PASSED=$((PASSED + 1)); echo "PASS  $1: $3" | tee -a "$RESULTS"
    else FAILED=$((FAILED + 1)); echo "FAIL  $1: $3" | tee -a "$RESULTS"; fi
}
established() {  # all six BGP sessions on the core are up
    [ "$(birdc -s "$(bird_sock core)" show protocols | grep -c 'BGP .* up .*Established')" -eq 6 ]
}
core_via() {  # ADDR: the core's anycast route points at ADDR
    ip -n "$NS_CORE" -4 route show exact "$ANY4/32" | grep -q "via $1 "
}
core_not_via() { ! core_via "$1" && ip -n "$NS_CORE" -4 route show exact "$ANY4/32" | grep -q via; }
le() { python3 -c "import sys; sys.exit(0 if '$1' != 'none' and float('$1') <= float('$2') else 1)"; }
window() { python3 "$LAB_DIR/labtool.py" window "$CSV" "$@"; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# 1. The topology stays inside its namespaces.
leak=""
for ns in "${ALL_NS[@]}"; do
    [ -z "$(ip -n "$ns" route show default)$(ip -n "$ns" -6 route show default)" ] || leak+=" $ns has a default route;"
    for dev in $(ip -n "$ns" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
        [ "$dev" = lo ] && continue
        peer_ns=$(ip -n "$ns" -o -d link show "$dev" | grep -o 'link-netns [^ ]*' | awk '{print $2}' || true)
        [[ " ${ALL_NS[*]} " == *" $peer_ns "* ]] || leak+=" $ns/$dev peers outside the lab (${peer_ns:-host});"
    done
done
check "isolated" "$([ -z "$leak" ] && echo 1 || echo 0)" "${leak:-no default routes; every veth peers with a lab namespace}"

wait_until 20 "BGP sessions established on the core" established
check "bgp" "$(established && echo 1 || echo 0)" \
    "$(birdc -s "$(bird_sock core)" show protocols | grep -c 'Established') of 6 sessions Established; BFD: $(birdc -s "$(bird_sock core)" show bfd sessions | grep -c ' Up ') sessions Up"

# 2. Every site answers on its unicast addresses, with its own NSID.
for site in "${SITES[@]}"; do
    for addr in "$(site4 "$site")" "$(site6 "$site")"; do
        got=$(nsx "$NS_CLIENT" dig +nsid +norec +time=1 +tries=1 "@$addr" "$QNAME" SOA | sed -n 's/.*NSID: .*("\(.*\)").*/\1/p')
        check "unicast $site $addr" "$([ "$got" = "$site" ] && echo 1 || echo 0)" "NSID '${got:-none}'"
    done
done

# 3. The anycast address is answered by the nearest site (shortest AS path: site1).
wait_until 10 "core route to $ANY4 via site1" core_via "$(site4 site1)" || true
wait_until 10 "core route to $ANY6" bash -c "ip -n $NS_CORE -6 route show exact $ANY6/128 | grep -q via" || true
for addr in "$ANY4" "$ANY6"; do
    got=$(nsx "$NS_CLIENT" dig +nsid +norec +time=1 +tries=1 "@$addr" "$QNAME" SOA | sed -n 's/.*NSID: .*("\(.*\)").*/\1/p')
    check "anycast nearest $addr" "$([ "$got" = site1 ] && echo 1 || echo 0)" "NSID '${got:-none}' (expected site1)"
done

# Start the prober and the route watcher.
ip netns exec "$NS_CORE" "${RT[@]}" python3 "$LAB_DIR/labtool.py" route-watch "$ROUTES" --duration 300 &
PIDS+=($!)
ip netns exec "$NS_CLIENT" "${RT[@]}" python3 "$LAB_DIR/prober.py" --server "$ANY4" --qname "$QNAME" --interval 0.05 --timeout 1 \
    --duration 300 --out "$CSV" &
PROBER=$!
PIDS+=($PROBER)
sleep 1.5
event "start" >/dev/null

S1=$(site4 site1)
# Before each disruption: site1 is preferred by the core and the last probes were answered by it.
settled() { core_via "$S1" && [ "$(tail -n 4 "$CSV" | cut -d, -f2 | sort -u)" = site1 ]; }
settle() {  # NAME: wait (bounded) for the steady state; if it never comes the step's check is void
    wait_until 20 "$1: site1 preferred and answering" settled || VOID=1
}
wait_back() {  # T0 NAME: wait for site1 to be preferred again, then let a second of probes settle
    wait_until 20 "site1 back" core_via "$S1" || true
    sleep 1.5
    local res; res=$(window "$1" "$(now)" --back site1)
    check "$2" "$([ "$(field lost "$res")" -eq 0 ] && [ "$(field switch_ms "$res")" != none ] && echo 1 || echo 0)" \
        "answers back at site1 after $(field switch_ms "$res") ms, $(field lost "$res") lost of $(field probes "$res") (need 0 lost)"
}

# 4. Kill the nearest site's server: its announcer withdraws, answers move within 1 s, <= 10 lost.
settle "kill: answers move" || true
t0=$(event "kill -9 site1 server")
kill -9 "$(server_pid site1)"
wait_until 5 "core route away from site1" core_not_via "$S1" || true
sleep 1.5
res=$(window "$t0" "$(now)" --away site1)
check "kill: answers move" "$(le "$(field switch_ms "$res")" 1000 && [ "$(field lost "$res")" -le 10 ] && echo 1 || echo 0)" \
    "moved to another site after $(field switch_ms "$res") ms (need <= 1000), $(field lost "$res") lost of $(field probes "$res") (need <= 10)"
echo "kill ${res}" >>"$RESULTS"
t0=$(event "restart site1 server (stale pid file)")
start_server site1
wait_back "$t0" "kill: return after restart"

# 5. Hang the server (SIGSTOP): the DNS health check fails, answers move within 1.5 s.
settle "hang: answers move" || true
t0=$(event "SIGSTOP site1 server")
kill -STOP "$(server_pid site1)"
wait_until 5 "core route away from site1" core_not_via "$S1" || true
sleep 1.5
res=$(window "$t0" "$(now)" --away site1)
check "hang: answers move" "$(le "$(field switch_ms "$res")" 1500 && echo 1 || echo 0)" \
    "moved after $(field switch_ms "$res") ms (need <= 1500), $(field lost "$res") lost of $(field probes "$res")"
t0=$(event "SIGCONT site1 server")
kill -CONT "$(server_pid site1)"
wait_back "$t0" "hang: return after SIGCONT"

# 6. Drain: withdraw first, wait, then stop: no query may be lost.
settle "drain: zero loss" || true
t0=$(event "drain site1")
touch "$RUN/site1/drain"
wait_until 5 "core route away from site1" core_not_via "$S1" || true
sleep 1
event "stop site1 server (drained)" >/dev/null
kill "$(server_pid site1)"
sleep 1
res=$(window "$t0" "$(now)" --away site1)
check "drain: zero loss" "$([ "$(field lost "$res")" -eq 0 ] && [ "$(field switch_ms "$res")" != none ] && echo 1 || echo 0)" \
    "moved after $(field switch_ms "$res") ms, $(field lost "$res") lost of $(field probes "$res") (need 0)"
start_server site1
wait_until 10 "site1 server back" answers "$(ns_of site1)" "$S1" || true
t0=$(event "undrain site1")
rm -f "$RUN/site1/drain"
wait_back "$t0" "drain: return after undrain"

# 7. Silent link failure: drop every packet on the core<->site1 link without touching the link.
settle "link cut: BFD withdraws" || true
t0=$(event "drop all packets core<->site1 (link stays up)")
nsx "$NS_CORE" nft -f - <<EOF
table netdev tacklab_cut {
    chain in { type filter hook ingress device "to-site1" priority 0; policy drop; }
    chain out { type filter hook egress device "to-site1" priority 0; policy drop; }
}
EOF
wait_until 5 "core route away from site1" core_not_via "$S1" || true
sleep 1.5
detect=$(python3 "$LAB_DIR/labtool.py" route-change "$ROUTES" "$t0" --family 4 --not-via "$S1")
res=$(window "$t0" "$(now)" --away site1)
check "link cut: BFD withdraws" "$(le "$detect" 500 && echo 1 || echo 0)" \
    "core route left site1 after $detect ms (need <= 500); answers moved after $(field switch_ms "$res") ms, $(field lost "$res") lost of $(field probes "$res")"
echo "linkcut ${res} route_ms=${detect}" >>"$RESULTS"
t0=$(event "repair core<->site1")
nsx "$NS_CORE" nft delete table netdev tacklab_cut
wait_back "$t0" "link repair: return"

# 8. ECMP: site2 stops prepending and the core merges equal paths; with the L4 multipath hash,
#    queries from different source ports reach both sites.
event "ECMP on: site2 without prepend, core merge paths" >/dev/null
sed -e 's/define PREPEND = 1;/define PREPEND = 0;/' -e "s|include \"../site.conf\";|include \"$LAB_DIR/bird/site.conf\";|" \
    "$LAB_DIR/bird/nodes/site2.conf" >"$RUN/site2/ecmp.conf"
sed -e 's/define ECMP = 0;/define ECMP = 1;/' -e "s|include \"../core.conf\";|include \"$LAB_DIR/bird/core.conf\";|" \
    "$LAB_DIR/bird/nodes/core.conf" >"$RUN/core/ecmp.conf"
birdc -s "$(bird_sock site2)" configure \"$RUN/site2/ecmp.conf\" >/dev/null
birdc -s "$(bird_sock core)" configure \"$RUN/core/ecmp.conf\" >/dev/null
two_paths() { [ "$(ip -n "$NS_CORE" -4 route show exact "$ANY4/32" | grep -c 'nexthop via')" -eq 2 ]; }
wait_until 10 "two ECMP next hops on the core" two_paths || true
hits=$(for i in $(seq 40); do nsx "$NS_CLIENT" dig +nsid +norec +time=1 +tries=1 "@$ANY4" "$QNAME" SOA | sed -n 's/.*NSID: .*("\(.*\)").*/\1/p'; done | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
check "ecmp: both sites answer" "$(two_paths && [[ " $hits" == *" site1="* && " $hits" == *" site2="* ]] && echo 1 || echo 0)" \
    "core next hops: $(ip -n "$NS_CORE" -4 route show exact "$ANY4/32" | grep -o 'nexthop via [^ ]*' | awk '{print $3}' | paste -sd' '); 40 queries (new source port each): ${hits:-none}"

# ---- finish ---------------------------------------------------------------------------------
event "end" >/dev/null
sleep 0.5
kill "$PROBER" 2>/dev/null; wait "$PROBER" 2>/dev/null || true
downs=$(grep -c '_4: BFD session down' "$OUT_DIR/bird-core.log" || true)
echo "info  BFD session downs on the core (IPv4): $downs (1 expected, from the link cut; more = flaps, e.g. a stalled VM)" | tee -a "$RESULTS"
total=$(python3 -c "import csv; r=list(csv.DictReader(open('$CSV'))); print(f'{len(r)} probes, {sum(x[\"lost\"]==\"1\" for x in r)} lost')")
log "prober: $total (CSV: $CSV)"
if [ "$PLOT" -eq 1 ]; then
    python3 "$LAB_DIR/labtool.py" plot "$CSV" "$EVENTS" "$OUT_DIR/anycast-timeline.png" \
        && log "timeline: $OUT_DIR/anycast-timeline.png"
fi
echo "$PASSED passed, $FAILED failed" | tee -a "$RESULTS"
[ "$FAILED" -eq 0 ]

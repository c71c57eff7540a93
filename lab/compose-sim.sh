#!/usr/bin/env bash
# Runs the compose lab's containers without Docker: docker/lab-entrypoint.sh for core, site1-3 and
# client, each in its own network namespace and private mount namespace (a tmpfs on /run, like a
# container's), wired like docker/docker-compose.yml. Checks that the entrypoints bring up BGP,
# that the client gets the nearest site over anycast (NSID), that the sites agree (tack fleet
# check), that a drain file moves it, and that stopping a site container the way `docker stop`
# does (SIGTERM to the entrypoint) drains it. Sites run tack serve (lab/tack-site.sh) and
# tack announce from $TACK_BIN (default: .build/debug/tack in the repository). Root.
# Usage: lab/compose-sim.sh   (prints `N passed, M failed`; exit 1 on any failure)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "compose-sim.sh: must run as root" >&2; exit 2; }
export TACK_BIN=${TACK_BIN:-$REPO_DIR/.build/debug/tack}
[ -x "$TACK_BIN" ] || { echo "compose-sim.sh: no tack binary at $TACK_BIN: build it with swift build (or set TACK_BIN)" >&2; exit 2; }
P=tackcsim
NODES=(core site1 site2 site3 client)
LOGS=$(mktemp -d /tmp/tackcsim.XXXXXX)
CREATED=()
cleanup() {
    local rc=$?
    set +e
    disown -a 2>/dev/null
    for n in "${CREATED[@]}"; do for pid in $(ip netns pids "$P-$n"); do kill "$pid"; done; done
    sleep 0.5
    for n in "${CREATED[@]}"; do for pid in $(ip netns pids "$P-$n"); do kill -9 "$pid"; done; ip netns del "$P-$n"; done
    [ "$rc" -eq 0 ] && rm -rf "$LOGS" || echo "logs kept in $LOGS"
    exit "$rc"
}
trap cleanup EXIT
for n in "${NODES[@]}"; do
    ip netns list | awk '{print $1}' | grep -qx "$P-$n" && { echo "namespace $P-$n exists; remove it first" >&2; exit 2; }
    ip netns add "$P-$n"; CREATED+=("$n"); ip -n "$P-$n" link set lo up
done
ip netns exec "$P-core" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
link() {  # NODE NET4 NET6 (/24 and /64 prefixes; core .1, node .2)
    ip link add "to-$1" netns "$P-core" type veth peer name eth0 netns "$P-$1"
    ip -n "$P-core" addr add "$2.1/24" dev "to-$1"; ip -n "$P-core" addr add "$3::1/64" dev "to-$1" nodad
    ip -n "$P-$1" addr add "$2.2/24" dev eth0; ip -n "$P-$1" addr add "$3::2/64" dev eth0 nodad
    ip -n "$P-core" link set "to-$1" up; ip -n "$P-$1" link set eth0 up
}
for n in 1 2 3; do link "site$n" "198.18.$n" "fd00:18:$n"; done
link client 198.18.100 fd00:18:100
container() {  # NODE ROLE ENV...
    local node=$1 role=$2; shift 2
    ip netns exec "$P-$node" unshare -m env BIRD_DIR="$LAB_DIR/bird/nodes" ZONE="$REPO_DIR/zones/example.test.zone" \
        SERVER_CMD="$LAB_DIR/tack-site.sh {site} {addr} {port} {nsid} {rundir} {zone} --bird-socket {birdsock} --drain-file {drain} --check {anycast}" "$@" \
        bash -c "mount -t tmpfs tmpfs /run && exec $REPO_DIR/docker/lab-entrypoint.sh $role" >"$LOGS/$node.log" 2>&1 &
    PID[$node]=$!   # ip netns exec, unshare, env and bash all exec: this is the entrypoint, in its mount ns
}
declare -A PID
container core core
for n in 1 2 3; do
    container "site$n" site SITE="site$n" NSID="site$n" SITE4="198.18.$n.2" SITE6="fd00:18:$n::2" CORE4="198.18.$n.1" CORE6="fd00:18:$n::1"
done
container client client CORE4=198.18.100.1 CORE6=fd00:18:100::1

passed=0 failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "PASS  $1: $2"; else failed=$((failed + 1)); echo "FAIL  $1: got '$2', want '$3'"; fi; }
nsid() { ip netns exec "$P-client" dig +nsid +norec +time=1 +tries=1 "@$1" example.test SOA 2>/dev/null | sed -n 's/.*NSID: .*("\(.*\)").*/\1/p'; }
wait_nsid() {  # ADDR WANT: poll every 100 ms for up to 20 s
    local got="" deadline=$((SECONDS + 20))
    while [ "$SECONDS" -lt "$deadline" ]; do got=$(nsid "$1"); [ "$got" = "$2" ] && break; sleep 0.1; done
    echo "$got"
}
check "anycast IPv4 nearest" "$(wait_nsid 198.18.53.53 site1)" site1
check "anycast IPv6 nearest" "$(wait_nsid fd53::53 site1)" site1
for n in 2 3; do check "unicast site$n" "$(wait_nsid "198.18.$n.2" "site$n")" "site$n"; done
fleet=$(ip netns exec "$P-client" "$TACK_BIN" fleet check 198.18.1.2 198.18.2.2 198.18.3.2 2>&1 | tail -n 1) || true
check "fleet check" "${fleet%% (all=*}" "3 instance(s) serve the same data"
# Drain site1 the container way: the file lives in the site's private /run.
nsenter -t "${PID[site1]}" -m touch /run/tack/drain
check "drained site1: anycast moves" "$(wait_nsid 198.18.53.53 site2)" site2
nsenter -t "${PID[site1]}" -m rm /run/tack/drain
check "undrained site1: anycast returns" "$(wait_nsid 198.18.53.53 site1)" site1
# docker stop: SIGTERM to the entrypoint drains tack serve (its announcer withdraws at once),
# which exits after anycast.drain_period; the entrypoint then stops the announcer and exits 0.
kill -TERM "${PID[site1]}"
check "stopped site1 (SIGTERM): anycast moves" "$(wait_nsid 198.18.53.53 site2)" site2
for _ in $(seq 100); do kill -0 "${PID[site1]}" 2>/dev/null || break; sleep 0.1; done
rc=0; if kill -0 "${PID[site1]}" 2>/dev/null; then rc="still running after 10 s"; else wait "${PID[site1]}" || rc=$?; fi
check "stopped site1: entrypoint exit status" "$rc" 0
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

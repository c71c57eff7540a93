#!/usr/bin/env bash
# Entry point of the compose anycast lab containers (docker/docker-compose.yml).
#   lab-entrypoint core    BIRD core router (eBGP + BFD to every site)
#   lab-entrypoint site    one site: BIRD + tack serve (SERVER_CMD) + tack announce (ANNOUNCE_CMD)
#   lab-entrypoint client  routes to the anycast addresses through the core, then idles (dig from here)
# BIRD's control socket is /run/bird/bird.ctl in every container; the site's announcement switch
# is the pair of BIRD protocols anycast4/anycast6 (see lab/bird/site.conf).
set -euo pipefail
ANY4=${ANYCAST4:-198.18.53.53}
ANY6=${ANYCAST6:-fd53::53}
BIRD_DIR=${BIRD_DIR:-/etc/bird/lab/nodes}
SOCK=/run/bird/bird.ctl
mkdir -p /run/bird /run/tack

need() { [ -n "${!1:-}" ] || { echo "lab-entrypoint: environment variable $1 is required for role '$ROLE'" >&2; exit 2; }; }
log() { echo "$(date -u +%H:%M:%S.%3N) $*"; }

# A container killed mid-run keeps its /run files if it is restarted: a pid file whose process is
# gone is stale and must not stop the restart.
clear_stale() {  # PIDFILE
    if [ -f "$1" ] && ! kill -0 "$(cat "$1")" 2>/dev/null; then
        log "removing stale pid file $1"; rm -f "$1"
    fi
}

start_bird() {  # NODE
    clear_stale /run/bird/bird.pid
    rm -f "$SOCK"
    bird -c "$BIRD_DIR/$1.conf" -s "$SOCK" -P /run/bird/bird.pid
}

ROLE=${1:-}
case "$ROLE" in
core)
    clear_stale /run/bird/bird.pid
    rm -f "$SOCK"
    exec bird -f -c "$BIRD_DIR/core.conf" -s "$SOCK" -P /run/bird/bird.pid
    ;;
client)
    need CORE4; need CORE6
    ip route replace 198.18.0.0/15 via "$CORE4"
    ip -6 route replace fd00::/8 via "$CORE6"
    log "client ready: try  dig +nsid @$ANY4 example.test SOA"
    exec sleep infinity
    ;;
site)
    need SITE; need SITE4; need SITE6; need CORE4; need CORE6
    NSID=${NSID:-$SITE}
    ZONE=${ZONE:-/etc/tack/zones/example.test.zone}
    export TACK_BIN=${TACK_BIN:-$(command -v tack || echo /usr/local/bin/tack)}
    SERVER_CMD=${SERVER_CMD:-'tack-site {site} {addr} {port} {nsid} {rundir} {zone} --bird-socket {birdsock} --drain-file {drain} --check {anycast}'}
    ANNOUNCE_CMD=${ANNOUNCE_CMD:-'{tack} announce --config {rundir}/tack.yaml --events {rundir}/events.csv --label {site}'}
    ip addr replace "$ANY4/32" dev lo
    ip -6 addr replace "$ANY6/128" dev lo nodad
    ip route replace 198.18.100.0/24 via "$CORE4"
    ip -6 route replace fd00:18:100::/64 via "$CORE6"
    start_bird "$SITE"
    # tack binds its listen addresses itself: an IPv6 address still in duplicate address detection
    # (tentative) cannot be bound yet.
    for _ in $(seq 50); do [ -z "$(ip -6 addr show tentative 2>/dev/null)" ] && break; sleep 0.1; done

    fill() {  # TEMPLATE -> command line (same placeholders as lab/netns-lab.sh)
        local cmd=$1
        cmd=${cmd//\{ns\}/$(hostname)}; cmd=${cmd//\{site\}/$SITE}
        cmd=${cmd//\{addr\}/$SITE4,$ANY4,$SITE6,$ANY6}; cmd=${cmd//\{anycast\}/$ANY4,$ANY6}
        cmd=${cmd//\{port\}/53}; cmd=${cmd//\{nsid\}/$NSID}; cmd=${cmd//\{rundir\}//run/tack}
        cmd=${cmd//\{zone\}/$ZONE}; cmd=${cmd//\{birdsock\}/$SOCK}; cmd=${cmd//\{drain\}//run/tack/drain}
        cmd=${cmd//\{tack\}/$TACK_BIN}
        echo "$cmd"
    }
    clear_stale /run/tack/server.pid
    clear_stale /run/tack/announce.pid
    rm -f /run/tack/tack.yaml
    set +e   # from here on every exit status is handled: the children must be stopped in order
    server="" announcer=""
    # docker stop (SIGTERM): drain. The server reports not ready at once, its announcer withdraws
    # within one round, the server keeps answering for anycast.drain_period and exits 0; then the
    # announcer is stopped (it stays withdrawn) and the container exits with the server's status.
    stop() {
        local rc=0
        if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
            log "$SITE: $1: draining the server (pid $server)"
            kill -TERM "$server"
        fi
        [ -n "$server" ] && { wait "$server"; rc=$?; log "$SITE: server exited ($rc)"; }
        if [ -n "$announcer" ]; then
            kill -TERM "$announcer" 2>/dev/null
            wait "$announcer"
            log "$SITE: announcer exited ($?)"
        fi
        exit "$rc"
    }
    trap 'stop SIGTERM' TERM
    trap 'stop SIGINT' INT
    cmd=$(fill "$SERVER_CMD")
    bash -c "exec $cmd" &
    server=$!
    echo "$server" >/run/tack/server.pid
    log "$SITE: server started (pid $server): $cmd"
    # The announcer reads the configuration the server command writes (tack-site renders it).
    for _ in $(seq 100); do { [ -s /run/tack/tack.yaml ] || ! kill -0 "$server" 2>/dev/null; } && break; sleep 0.1; done
    cmd=$(fill "$ANNOUNCE_CMD")
    bash -c "exec $cmd" &
    announcer=$!
    echo "$announcer" >/run/tack/announce.pid
    log "$SITE: announcer started (pid $announcer): $cmd"
    # Either one ending on its own ends the site. A crashed server: the announcer withdraws and is
    # stopped; a dead announcer: the server is drained (withdrawn first) and stopped.
    wait -n "$server" "$announcer"
    rc=$?
    if kill -0 "$server" 2>/dev/null; then
        log "$SITE: the announcer exited ($rc)"
        stop "announcer gone"
    fi
    log "$SITE: the server exited ($rc); stopping the announcer"
    kill -TERM "$announcer" 2>/dev/null
    wait "$announcer"
    exit "$rc"
    ;;
*)
    echo "usage: lab-entrypoint core|site|client (got '${ROLE}')" >&2
    exit 2
    ;;
esac

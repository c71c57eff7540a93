#!/usr/bin/env bash
# Entry point of the compose anycast lab containers (docker/docker-compose.yml).
#   lab-entrypoint core    BIRD core router (eBGP + BFD to every site)
#   lab-entrypoint site    one site: BIRD + the DNS server + the announcement control loop
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
    default_cmd='knot-site {site} {addr} {port} {nsid} {rundir} {zone}'
    SERVER_CMD=${SERVER_CMD:-$default_cmd}
    ip addr replace "$ANY4/32" dev lo
    ip -6 addr replace "$ANY6/128" dev lo nodad
    ip route replace 198.18.100.0/24 via "$CORE4"
    ip -6 route replace fd00:18:100::/64 via "$CORE6"
    start_bird "$SITE"

    cmd=$SERVER_CMD
    cmd=${cmd//\{ns\}/$(hostname)}; cmd=${cmd//\{site\}/$SITE}
    cmd=${cmd//\{addr\}/$SITE4,$ANY4,$SITE6,$ANY6}; cmd=${cmd//\{port\}/53}
    cmd=${cmd//\{nsid\}/$NSID}; cmd=${cmd//\{rundir\}//run/tack}; cmd=${cmd//\{zone\}/$ZONE}
    clear_stale /run/tack/server.pid
    bash -c "exec $cmd" &
    echo $! >/run/tack/server.pid
    log "$SITE: server started (pid $!): $cmd"

    if [ -n "${ANNOUNCE_CMD:-}" ]; then
        # `tack announce` once it lands, e.g. tack announce --bird-socket /run/bird/bird.ctl ...
        exec bash -c "exec $ANNOUNCE_CMD"
    fi
    # Stand-in for `tack announce`: a DNS health check of the local server (dig resolves its
    # timeout to whole seconds, so a hung server is seen after ~FALL seconds; the netns lab's
    # announce.py checks every 100 ms), announcing only while healthy and not drained
    # (touch /run/tack/drain to drain).
    interval=${CHECK_INTERVAL:-0.2} rise=${RISE:-3} fall=${FALL:-2}
    ok=0 bad=0 healthy=0 announced=0 n=0
    origin=$(awk '/^\$ORIGIN/ {print $2; exit}' "$ZONE")
    check_local() {  # an authoritative NOERROR answer for the zone's SOA
        local out
        out=$(dig +norec +time=1 +tries=1 "@$ANY4" "$origin" SOA 2>/dev/null) || return 1
        grep -q 'status: NOERROR' <<<"$out" && grep -q 'flags:[^;]* aa' <<<"$out"
    }
    withdraw() { birdc -s "$SOCK" disable anycast4 >/dev/null; birdc -s "$SOCK" disable anycast6 >/dev/null; }
    trap 'withdraw; kill "$(cat /run/tack/server.pid)" 2>/dev/null; exit 0' TERM INT
    while true; do
        if check_local; then
            ok=$((ok + 1)); bad=0
        else
            bad=$((bad + 1)); ok=0
        fi
        [ "$healthy" -eq 0 ] && [ "$ok" -ge "$rise" ] && { healthy=1; log "$SITE: healthy"; }
        [ "$healthy" -eq 1 ] && [ "$bad" -ge "$fall" ] && { healthy=0; log "$SITE: unhealthy"; }
        want=$healthy; [ -e /run/tack/drain ] && want=0
        if [ "$want" -ne "$announced" ]; then
            if [ "$want" -eq 1 ]; then
                birdc -s "$SOCK" enable anycast4 >/dev/null; birdc -s "$SOCK" enable anycast6 >/dev/null
                log "$SITE: announce"
            else
                withdraw; log "$SITE: withdraw"
            fi
            announced=$want
            n=0
        fi
        # `birdc configure` re-applies the protocols' configured `disabled`: re-assert every ~1 s.
        n=$((n + 1))
        if [ "$n" -ge 5 ]; then
            n=0
            if [ "$announced" -eq 1 ]; then
                birdc -s "$SOCK" enable anycast4 >/dev/null; birdc -s "$SOCK" enable anycast6 >/dev/null
            else
                withdraw
            fi
        fi
        sleep "$interval"
    done
    ;;
*)
    echo "usage: lab-entrypoint core|site|client (got '${ROLE}')" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Starts `tack serve` the way the shared dnsperf harness (../shared/bench/run.sh --cmd) expects:
# in the foreground, on $BENCH_ADDR:$BENCH_PORT (UDP and TCP), serving $BENCH_ZONEFILE as
# $BENCH_ZONE. The config is rendered into $BENCH_WORKDIR (the harness's per-server directory).
#
#   TACK=/path/to/tack bench/tack-bench-server.sh      (bench/dnsperf.sh passes this to run.sh)
#
# $BENCH_WORKERS becomes limits.udp_workers: that many UDP sockets, each with its own thread,
# as the other servers get that many workers. (TCP runs on NIO's event loops, one per core NIO
# counts from cgroup limits, not taskset.)
# The admin API listens on an ephemeral loopback port so it never collides with anything.
#
# TACK_BENCH_POOL=failover|multivalue adds a pool at fo.bench.test. (the name the harness's
# q-fo1.txt asks for; bench/dnsperf-pools.sh): targets primary (127.0.0.2) and secondary
# (127.0.0.3), both up, checked every second through a status file in the work directory.
# failover: tiers [primary], [secondary] (answers 127.0.0.2, like static1.bench.test.);
# multivalue: one tier of both, max_answers 1 (answers one of them, rotated per query).
set -euo pipefail
: "${TACK:?set TACK to the tack binary}"
: "${BENCH_ADDR:?} ${BENCH_PORT:?} ${BENCH_ZONEFILE:?} ${BENCH_ZONE:?} ${BENCH_WORKDIR:?}"
case "$BENCH_ADDR" in
    *:*) listen="[$BENCH_ADDR]:$BENCH_PORT" ;;
    *) listen="$BENCH_ADDR:$BENCH_PORT" ;;
esac
config="$BENCH_WORKDIR/tack.yaml"
cat > "$config" <<EOF
# Rendered by bench/tack-bench-server.sh for the dnsperf harness. Everything else at defaults
# (cookies on, EDNS 1232, no query log), as a production config would have it.
listen: ["$listen"]
zones:
  - name: $BENCH_ZONE
    file: $BENCH_ZONEFILE
admin:
  listen: 127.0.0.1:0
logging:
  level: warning
limits:
  udp_workers: ${BENCH_WORKERS:-2}
EOF

pool="${TACK_BENCH_POOL:-}"
if [[ -n "$pool" ]]; then
    printf 'primary up\nsecondary up\n' > "$BENCH_WORKDIR/health.status"
    case "$pool" in
        failover) tiers="[[primary], [secondary]]"; extra="" ;;
        multivalue) tiers="[[primary, secondary]]"; extra="max_answers: 1" ;;
        *) echo "TACK_BENCH_POOL must be failover or multivalue" >&2; exit 2 ;;
    esac
    monitor="{type: file, path: $BENCH_WORKDIR/health.status, interval: 1s, timeout: 500ms, jitter: 100ms, rise: 1}"
    cat >> "$config" <<EOF
targets:
  - name: primary
    answers: [127.0.0.2]
    monitors: [$monitor]
  - name: secondary
    answers: [127.0.0.3]
    monitors: [$monitor]
pools:
  - name: fo
    owner: fo.$BENCH_ZONE
    kind: A
    tiers: $tiers
    policy: $pool
    ttl: 30
    $extra
EOF
fi
exec "$TACK" serve --config "$config"

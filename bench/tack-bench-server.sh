#!/usr/bin/env bash
# Starts `tack serve` the way the shared dnsperf harness (../shared/bench/run.sh --cmd) expects:
# in the foreground, on $BENCH_ADDR:$BENCH_PORT (UDP and TCP), serving $BENCH_ZONEFILE as
# $BENCH_ZONE. The config is rendered into $BENCH_WORKDIR (the harness's per-server directory).
#
#   TACK=/path/to/tack bench/tack-bench-server.sh      (bench/dnsperf.sh passes this to run.sh)
#
# Tack has no worker-count setting: the transport opens one UDP socket and one event loop per
# core NIO counts (cgroup limits, not taskset), so $BENCH_WORKERS is not used; in the harness's
# pin1 setup Tack's event loops all run on the one CPU taskset allows.
# The admin API listens on an ephemeral loopback port so it never collides with anything.
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
EOF
exec "$TACK" serve --config "$config"

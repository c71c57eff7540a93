#!/usr/bin/env bash
# Runs knotd as one lab site's DNS server (the stand-in until `tack serve` lands).
# Usage: knot-site.sh SITE ADDRS PORT NSID RUNDIR ZONEFILE
#   ADDRS is a comma-separated list of addresses to listen on (IPv4 and IPv6).
# Writes RUNDIR/knot.conf and execs knotd in the foreground (the caller tracks the PID).
set -euo pipefail
if [ $# -ne 6 ]; then
    echo "usage: $0 SITE ADDRS PORT NSID RUNDIR ZONEFILE (got $# arguments)" >&2
    exit 2
fi
site=$1 addrs=$2 port=$3 nsid=$4 rundir=$5 zonefile=$6
[ -r "$zonefile" ] || { echo "knot-site.sh: zone file $zonefile is not readable" >&2; exit 2; }
mkdir -p "$rundir/knot-db"
listen=""
IFS=, read -r -a list <<<"$addrs"
for a in "${list[@]}"; do listen+="${listen:+, }$a@$port"; done
# A stale control socket from a killed knotd must not stop the restart.
rm -f "$rundir/knot.sock"
cat >"$rundir/knot.conf" <<CONF
server:
    identity: $site
    nsid: $nsid
    rundir: $rundir
    listen: [ $listen ]
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: stderr
    any: warning
database:
    storage: $rundir/knot-db
zone:
  - domain: $(awk '/^\$ORIGIN/ {print $2; exit}' "$zonefile")
    file: $zonefile
    journal-content: none
    zonefile-sync: -1
CONF
exec knotd -c "$rundir/knot.conf"

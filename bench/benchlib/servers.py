"""Configs and command lines of the servers compared: NSD, Knot DNS, gdnsd and Tack.

Each listens on ADDR:port (UDP and TCP) only, keeps every file in its work directory and runs in
the foreground. Settings follow the old shared harness: response rate limiting off, minimal
responses for NSD (like the others: no NS RRset in positive answers), no zone-file writes, one
worker per CPU the setup gives the server.
"""
import os
import shutil
import subprocess

ADDR = "127.0.0.1"
SERVERS = ["nsd", "knot", "gdnsd", "tack"]
PORT_OFFSET = {"nsd": 1, "knot": 2, "gdnsd": 3, "tack": 4}


def version(name, tack_bin=None, commit="unknown"):
    def out(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            return (r.stdout + r.stderr).strip() if r.returncode == 0 else ""
        except (OSError, subprocess.TimeoutExpired):
            return ""
    if name == "nsd":
        return out(["nsd", "-v"]).splitlines()[0].replace("NSD version", "NSD") if out(["nsd", "-v"]) else "NSD"
    if name == "knot":
        return "Knot DNS " + (out(["knotd", "-V"]).split() or ["?"])[-1]
    if name == "gdnsd":
        # gdnsd has no version option; its usage message (exit status 2) names the version.
        try:
            r = subprocess.run(["gdnsd", "-V"], capture_output=True, text=True, timeout=10)
            usage = r.stdout + r.stderr
        except (OSError, subprocess.TimeoutExpired):
            usage = ""
        for line in usage.splitlines():
            if "gdnsd version" in line:
                return "gdnsd " + line.split("gdnsd version", 1)[1].split()[0]
        return "gdnsd"
    if name == "tack":
        # tack has no --version: name the commit of the tree the harness runs from.
        return f"Tack {commit}"
    return name


def prepare(name, workdir, port, workers, zonefile, tack_bin=None, pool_dir=None, policy="failover"):
    """Writes the config of `name` into workdir; returns the command line. pool_dir (Tack only)
    adds the pool of the flip and pool workloads at fo.bench.test., its monitor files in that
    directory; policy failover (tiers [primary], [secondary]) or multivalue (one tier of both,
    one answer per query, rotated)."""
    os.makedirs(workdir, exist_ok=True)
    zf = os.path.join(workdir, "bench.test.zone")
    shutil.copyfile(zonefile, zf)
    w = lambda rel, text: open(os.path.join(workdir, rel), "w").write(text)
    if name == "nsd":
        w("nsd.conf", f"""server:
    ip-address: {ADDR}@{port}
    port: {port}
    do-ip6: no
    server-count: {workers}
    reuseport: yes
    username: ""
    chroot: ""
    zonesdir: "{workdir}"
    database: ""
    zonelistfile: "{workdir}/zone.list"
    xfrdfile: "{workdir}/xfrd.state"
    xfrdir: "{workdir}"
    pidfile: "{workdir}/nsd.pid"
    logfile: "{workdir}/nsd.log"
    verbosity: 1
    hide-version: yes
    tcp-count: 1000
    zonefiles-check: no
    zonefiles-write: 0
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
    minimal-responses: yes
remote-control:
    control-enable: no
zone:
    name: "bench.test"
    zonefile: "{zf}"
""")
        return ["nsd", "-d", "-c", os.path.join(workdir, "nsd.conf")]
    if name == "knot":
        os.makedirs(os.path.join(workdir, "db"), exist_ok=True)
        w("knot.conf", f"""server:
    rundir: "{workdir}"
    pidfile: "{workdir}/knot.pid"
    listen: {ADDR}@{port}
    udp-workers: {workers}
    tcp-workers: {workers}
    background-workers: 1
log:
  - target: stderr
    any: warning
database:
    storage: "{workdir}/db"
control:
    listen: "{workdir}/knot.sock"
template:
  - id: default
    storage: "{workdir}"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.test
    file: "{zf}"
""")
        return ["knotd", "-c", os.path.join(workdir, "knot.conf")]
    if name == "gdnsd":
        for d in ("etc/zones", "run", "state"):
            os.makedirs(os.path.join(workdir, d), exist_ok=True)
        os.replace(zf, os.path.join(workdir, "etc/zones/bench.test"))
        w("etc/config", f"""options => {{
    listen => [ {ADDR}:{port} ]
    udp_threads => {workers}
    tcp_threads => {workers}
    run_dir => {workdir}/run
    state_dir => {workdir}/state
    zones_rfc1035_threads => 1
}}
""")
        return ["gdnsd", "-c", os.path.join(workdir, "etc"), "start"]
    if name == "tack":
        cfg = f"""# Rendered by bench/benchlib/servers.py. Everything else at its default (cookies on,
# EDNS 1232, response cache on, no query log), as a production config would have it.
listen: ["{ADDR}:{port}"]
zones:
  - name: bench.test
    file: {zf}
admin:
  listen: 127.0.0.1:0
logging:
  level: warning
health:
  state_file: "off"
limits:
  udp_workers: {workers}
"""
        if pool_dir:
            # The flip and pool workloads: a pool at fo.bench.test. whose primary's monitor reads
            # a file the harness creates and removes; the secondary's file stays "up".
            # 100 ms is the shortest interval the config accepts; rise/fall 1 so every
            # change of the file is a change of the answer.
            mon = "{{type: file, path: {p}, interval: 100ms, timeout: 100ms, jitter: 0s, rise: 1, fall: 1}}"
            cfg += f"""targets:
  - name: primary
    answers: [192.0.2.11]
    monitors: [{mon.format(p=os.path.join(pool_dir, "primary.status"))}]
  - name: secondary
    answers: [192.0.2.12]
    monitors: [{mon.format(p=os.path.join(pool_dir, "secondary.status"))}]
pools:
  - name: fo
    owner: fo.bench.test
    kind: A
    tiers: {"[[primary], [secondary]]" if policy == "failover" else "[[primary, secondary]]"}
    policy: {policy}
    ttl: 30
"""
            if policy == "multivalue":
                cfg += "    max_answers: 1\n"
        w("tack.yaml", cfg)
        return [tack_bin, "serve", "--config", os.path.join(workdir, "tack.yaml")]
    raise ValueError(f"unknown server {name}")

#!/usr/bin/env python3
"""Tack beside NSD, Knot DNS and gdnsd on loopback: the project's own benchmark harness.

    bench/harness.py [--workloads mix,distinct,flip,zoneload] [--servers nsd,knot,gdnsd,tack]
                     [--setups pin1,both] [--quick] [--out DIR] [options, see --help]

Workloads:
  mix       the usual query mix (existing names A/AAAA, CNAME, wildcard, referrals, NXDOMAIN,
            NODATA, MX/TXT/SRV) against a generated 35,000-record zone; UDP, and TCP pipelined.
  distinct  all-distinct names (300,000 random labels, half NXDOMAIN, half under a wildcard),
            each asked once (dnsperf -n 1): a random-subdomain flood no response cache helps; UDP.
  flip      Tack only: the mix plus 2 % questions for a failover pool whose primary flips up/down
            every 100 ms (the harness creates and removes the file its monitor reads), against
            the same run with the primary steady; UDP.
  pool      Tack only: what a pool answer costs against a static one. One question asked over
            and over: static1.bench.test. A (one static A record) and fo.bench.test. A (a pool
            answering one A record, targets up), with a failover and a multivalue pool; UDP.
  zoneload  Tack, Knot and NSD: seconds from start until the zone's SOA is answered, and the
            peak RSS (largest VmHWM among the server's processes), at 1M records (--zoneload-10m
            adds 10M: several GiB of RAM and minutes per server).
Per dnsperf run: max q/s in a closed loop (100 queries outstanding), lost queries, the server's
CPU % over the run; then a probe at a fixed rate (20,000 q/s UDP, 2,000 q/s TCP) for the server's
CPU % at that load. Setups: pin1 (server on CPU 1 with one worker, dnsperf on CPU 0) and both
(nothing pinned, two workers). Output: OUT/summary.md (tables, ratios against NSD, Knot and
gdnsd), OUT/raw.jsonl (every run), OUT/meta.json, OUT/logs/. Default OUT: /tmp/tack-bench/<time>.

Traffic goes to 127.0.0.1 only, to ports --port-base+1..4. Each server runs in its own session
and is stopped by signalling its process group. Every dnsperf run is bounded in time (-l) and in
count (-n), and killed if it outlives its time by 30 s.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # nothing written into the tree: no __pycache__ beside benchlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import dns, gen, procs, servers  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ["mix", "distinct", "flip", "pool", "zoneload"]
MAX_QPS_BOUND = 1_000_000   # the -n bound of a closed-loop run assumes no more than this rate
POOL_NAME = "fo.bench.test."


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, file=sys.stderr, flush=True)


class Harness:
    def __init__(self, a):
        self.a = a
        self.out = a.out
        self.data = os.path.join(self.out, "data")
        self.work = os.path.join(self.out, "work")
        self.logs = os.path.join(self.out, "logs")
        for d in (self.data, self.work, self.logs):
            os.makedirs(d, exist_ok=True)
        self.raw = open(os.path.join(self.out, "raw.jsonl"), "a")
        self.versions = {}
        self.sanity = {}
        self.current = None   # the running procs.Server, stopped on exit
        self.started = 0      # servers started so far, numbers their logs

    # ---- data -----------------------------------------------------------------------------
    def mix_data(self):
        zone = os.path.join(self.data, "bench.test.zone")
        if not hasattr(self, "_mix"):
            z = gen.mix_zone(zone)
            counts = gen.mix_queries(z, os.path.join(self.data, "mix.txt"), n=self.a.mix_queries)
            gen.mix_queries(z, os.path.join(self.data, "flip.txt"), n=self.a.mix_queries,
                            extra=(f"{POOL_NAME} A", 20))
            self._mix = (zone, z.records, counts)
            log(f"zone bench.test.: {z.records} records; mix of {self.a.mix_queries} queries")
        return self._mix

    def distinct_data(self):
        f = os.path.join(self.data, "distinct.txt")
        p = os.path.join(self.data, "distinct-probe.txt")
        if not os.path.exists(p):
            gen.distinct_queries(f, n=self.a.distinct_names, tag="r")
            # The probe asks other names (tag "p"), so it never repeats a throughput name.
            n = max(10000, int(self.a.probe_rate * self.a.probe_duration * 1.2))
            gen.distinct_queries(p, n=n, seed=gen.SEED + 5, tag="p")
        return f, p

    # ---- servers ----------------------------------------------------------------------------
    def port(self, name):
        return self.a.port_base + servers.PORT_OFFSET[name]

    def start(self, name, workers, cpus, zonefile, pool_dir=None, policy="failover", ready_timeout=60.0):
        """Starts a server and waits until it answers the zone's SOA; returns (server, seconds
        to the first SOA answer), or (None, None) when it did not come up."""
        port = self.port(name)
        for _ in range(50):
            if dns.port_free(servers.ADDR, port):
                break
            time.sleep(0.1)
        else:
            log(f"  port {port} is taken; {name} not started")
            return None, None
        wd = os.path.join(self.work, name)
        shutil.rmtree(wd, ignore_errors=True)
        cmd = servers.prepare(name, wd, port, workers, zonefile, tack_bin=self.a.tack, pool_dir=pool_dir,
                              policy=policy)
        s = procs.Server(name, cmd, wd, cpus=cpus).start()
        self.current = s
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if not s.alive():
                log(f"  {name} exited during start-up:\n{s.tail()}")
                self.stop()
                return None, None
            r = dns.query(servers.ADDR, port, "bench.test.", "SOA", timeout=0.2)
            if r is not None and r.rcode == "NOERROR" and r.answers:
                ready = time.monotonic() - s.started
                s.repin()
                return s, ready
            time.sleep(0.05)
        log(f"  {name} did not answer the SOA within {ready_timeout:.0f} s:\n{s.tail()}")
        self.stop()
        return None, None

    def stop(self):
        if self.current is not None:
            s = self.current
            s.stop()
            self.started += 1
            shutil.copyfile(s.log, os.path.join(self.logs, f"server-{self.started:03d}-{s.name}.log"))
            self.current = None

    def check(self, name, cases):
        """Sanity: the server answers as the zone says. Returns 'ok' or the failures."""
        bad = []
        for qname, qtype, rcode, answers, referral in cases:
            r = dns.query(servers.ADDR, self.port(name), qname, qtype, timeout=1.0)
            if r is None:
                bad.append(f"{qname} {qtype}: no answer")
                continue
            got = (r.rcode, len(r.answers) > 0, (not r.aa) and any(t == 2 for t, _ in r.authority))
            if got != (rcode, answers, referral):
                bad.append(f"{qname} {qtype}: {r.rcode}, {len(r.answers)} answers, aa={r.aa}")
        return "ok" if not bad else "; ".join(bad)

    MIX_CASES = [
        ("h0.bench.test.", "A", "NOERROR", True, False),
        ("h0.bench.test.", "AAAA", "NOERROR", True, False),
        ("h1.g1.bench.test.", "AAAA", "NOERROR", False, False),     # v4-only host: NODATA
        ("g1.bench.test.", "A", "NOERROR", False, False),           # empty non-terminal
        ("nx1.bench.test.", "A", "NXDOMAIN", False, False),
        ("w1.wild.bench.test.", "A", "NOERROR", True, False),       # wildcard
        ("www.d1.bench.test.", "A", "NOERROR", False, True),        # referral
        ("c0.bench.test.", "A", "NOERROR", True, False),            # CNAME
        ("bench.test.", "MX", "NOERROR", True, False),
        ("_sip._udp.srv0.bench.test.", "SRV", "NOERROR", True, False),
    ]

    # ---- dnsperf -------------------------------------------------------------------------------
    def dnsperf(self, tag, port, proto, setup, qfile, seconds, maxruns, rate=None):
        """One bounded dnsperf run; returns its parsed figures (qps, sent, completed, lost,
        avg latency) and the wall seconds, or None when dnsperf failed."""
        if setup == "pin1":
            pre, clients = ["taskset", "-c", "0"], 1
        else:
            pre, clients = [], 8
        cmd = pre + ["dnsperf", "-s", servers.ADDR, "-p", str(port), "-m", proto, "-d", qfile,
                     "-c", str(clients), "-T", "1", "-q", "100", "-e",
                     "-l", f"{seconds:g}", "-n", str(maxruns)]
        if rate:
            # -v: one line per query with its latency, for the probe's percentiles.
            cmd += ["-Q", str(rate), "-v"]
        with open(os.path.join(self.logs, f"{tag}.txt"), "w") as f:
            f.write(" ".join(cmd) + "\n\n")
            f.flush()
            try:
                r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                log(f"  dnsperf outlived {seconds + 30:g} s and was killed ({tag})")
                return None
        path = os.path.join(self.logs, f"{tag}.txt")
        text = open(path).read()
        lat = []
        if rate:
            # Keep the percentiles, drop the per-query lines from the log (megabytes per probe).
            kept = []
            for line in text.splitlines():
                if line.startswith("> "):
                    try:
                        lat.append(float(line.rsplit(None, 1)[1]))
                    except (IndexError, ValueError):
                        pass
                else:
                    kept.append(line)
            text = "\n".join(kept) + "\n"
            with open(path, "w") as f:
                f.write(text)
        if r.returncode != 0:
            log(f"  dnsperf exited with {r.returncode} ({tag}), see logs/{tag}.txt")
            return None
        grab = lambda pat: re.search(pat, text)
        m = {k: grab(p) for k, p in {
            "sent": r"Queries sent:\s+(\d+)", "completed": r"Queries completed:\s+(\d+)",
            "lost": r"Queries lost:\s+(\d+)", "qps": r"Queries per second:\s+([\d.]+)",
            "latency_s": r"Average Latency \(s\):\s+([\d.]+)", "run_s": r"Run time \(s\):\s+([\d.]+)"}.items()}
        if not all(m.values()):
            log(f"  cannot read dnsperf's output ({tag})")
            return None
        res = {k: (float(v.group(1)) if k in ("qps", "latency_s", "run_s") else int(v.group(1)))
               for k, v in m.items()}
        codes = grab(r"Response codes:\s+(.*)")
        res["rcodes"] = codes.group(1).strip() if codes else ""
        if lat:
            lat.sort()
            res["p50_ms"] = round(lat[len(lat) // 2] * 1000, 3)
            res["p99_ms"] = round(lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, 3)
        return res

    def measured(self, server, tag, proto, setup, qfile, seconds, maxruns, rate=None):
        """A dnsperf run with the server's CPU over it (% of one core)."""
        t0, c0 = time.monotonic(), procs.session_ticks(server.pid)
        r = self.dnsperf(tag, self.port(server.name), proto, setup, qfile, seconds, maxruns, rate)
        wall, c1 = time.monotonic() - t0, procs.session_ticks(server.pid)
        if r is None:
            return None
        r["server_cpu_pct"] = round((c1 - c0) / procs.CLK_TCK / wall * 100, 1)
        r["load1"] = os.getloadavg()[0]
        return r

    def record(self, **kw):
        self.raw.write(json.dumps(kw) + "\n")
        self.raw.flush()

    def query_lines(self, path):
        with open(path) as f:
            return sum(1 for _ in f)

    def runs(self, server, workload, setup, proto, rep, qfile, probe_file, once=False, extra=None):
        """Warm-up, the closed-loop run and the fixed-rate probe for one server and protocol."""
        a = self.a
        nq = self.query_lines(qfile)
        tag = f"{workload}-{server.name}{'-' + extra['variant'] if extra else ''}-{setup}-{proto}-r{rep}"
        if a.warmup > 0 and not once:
            self.dnsperf(tag + "-warmup", self.port(server.name), proto, setup, qfile, a.warmup,
                         math.ceil(a.warmup * MAX_QPS_BOUND / nq) + 1)
        maxruns = 1 if once else math.ceil(a.duration * MAX_QPS_BOUND / nq) + 1
        base = dict(workload=workload, server=server.name, version=self.versions[server.name],
                    setup=setup, proto=proto, rep=rep, affinity=procs.affinity(server.pid),
                    sanity=self.sanity.get((workload, server.name, setup)), **(extra or {}))
        r = self.measured(server, tag, proto, setup, qfile, a.duration, maxruns)
        if r:
            self.record(kind="throughput", **base, **r)
            log(f"  {proto} max {r['qps']:,.0f} q/s, lost {r['lost']}, server CPU {r['server_cpu_pct']:.0f} %")
        rate = a.probe_rate if proto == "udp" else a.probe_rate_tcp
        if rate > 0:
            pq = probe_file or qfile
            pn = self.query_lines(pq)
            maxruns = 1 if once else math.ceil(a.probe_duration * rate * 2 / pn) + 1
            r = self.measured(server, tag + "-probe", proto, setup, pq, a.probe_duration, maxruns, rate)
            if r:
                self.record(kind="probe", rate=rate, **base, **r)
                log(f"  {proto} at {rate:,} q/s: server CPU {r['server_cpu_pct']:.0f} %, lost {r['lost']}")

    # ---- workloads ---------------------------------------------------------------------------
    @staticmethod
    def setup_params(setup):
        return (1, "1") if setup == "pin1" else (2, None)

    def query_workload(self, workload):
        a = self.a
        zone, _, _ = self.mix_data()
        if workload == "mix":
            qfile, probe, once, protos = os.path.join(self.data, "mix.txt"), None, False, a.proto
            cases = self.MIX_CASES
        else:
            qfile, probe = self.distinct_data()
            once, protos = True, ["udp"]
            cases = [("rdeadbeef.bench.test.", "A", "NXDOMAIN", False, False),
                     ("rdeadbeef.wild.bench.test.", "A", "NOERROR", True, False)]
        names = [s for s in a.servers]
        for setup in a.setups:
            workers, cpus = self.setup_params(setup)
            for rep in range(1, a.repeats + 1):
                for name in names:
                    log(f"[{workload} {setup} {rep}/{a.repeats}] {name} ({self.versions[name]})")
                    s, _ = self.start(name, workers, cpus, zone)
                    if s is None:
                        continue
                    try:
                        key = (workload, name, setup)
                        if key not in self.sanity:
                            self.sanity[key] = self.check(name, cases)
                            log(f"  sanity: {self.sanity[key]}; affinity {procs.affinity(s.pid)}")
                        for proto in protos:
                            self.runs(s, workload, setup, proto, rep, qfile, probe, once=once)
                    finally:
                        self.stop()

    def flip_workload(self):
        a = self.a
        if "tack" not in a.servers:
            log("flip: Tack only, and tack is not among --servers; skipped")
            return
        zone, _, _ = self.mix_data()
        qfile = os.path.join(self.data, "flip.txt")
        pool_dir = os.path.join(self.work, "flip-monitors")
        os.makedirs(pool_dir, exist_ok=True)
        primary = os.path.join(pool_dir, "primary.status")
        with open(os.path.join(pool_dir, "secondary.status"), "w") as f:
            f.write("secondary up\n")
        for setup in a.setups:
            workers, cpus = self.setup_params(setup)
            for rep in range(1, a.repeats + 1):
                for variant in ("steady", "flip"):
                    log(f"[flip {setup} {rep}/{a.repeats}] tack, primary {variant}")
                    write_status(primary, True)
                    s, _ = self.start("tack", workers, cpus, zone, pool_dir=pool_dir)
                    if s is None:
                        continue
                    try:
                        key = ("flip", "tack", setup)
                        if key not in self.sanity:
                            self.sanity[key] = self.check("tack", self.MIX_CASES + [
                                (POOL_NAME, "A", "NOERROR", True, False)])
                            log(f"  sanity: {self.sanity[key]}")
                        flipper = Flipper(primary, 0.1 if variant == "flip" else None,
                                          self.port("tack"), limit_s=a.warmup + a.duration + a.probe_duration + 60)
                        flipper.start()
                        try:
                            self.runs(s, "flip", setup, "udp", rep, qfile, None,
                                      extra={"variant": variant})
                        finally:
                            stats = flipper.finish()
                        self.record(kind="flipper", workload="flip", server="tack", setup=setup, rep=rep,
                                    variant=variant, **stats)
                        log(f"  file changes {stats['file_changes']}, answer changes seen "
                            f"{stats['answer_changes']} in {stats['samples']} samples")
                    finally:
                        self.stop()

    def pool_workload(self):
        a = self.a
        if "tack" not in a.servers:
            log("pool: Tack only, and tack is not among --servers; skipped")
            return
        zone, _, _ = self.mix_data()
        files = {}
        for qset, line in (("static1", "static1.bench.test. A"), ("fo1", f"{POOL_NAME} A")):
            files[qset] = os.path.join(self.data, f"q-{qset}.txt")
            with open(files[qset], "w") as f:
                f.write(line + "\n")
        pool_dir = os.path.join(self.work, "pool-monitors")
        os.makedirs(pool_dir, exist_ok=True)
        for target in ("primary", "secondary"):
            with open(os.path.join(pool_dir, f"{target}.status"), "w") as f:
                f.write(f"{target} up\n")
        for setup in a.setups:
            workers, cpus = self.setup_params(setup)
            for rep in range(1, a.repeats + 1):
                for policy in ("failover", "multivalue"):
                    log(f"[pool {setup} {rep}/{a.repeats}] tack, {policy} pool")
                    s, _ = self.start("tack", workers, cpus, zone, pool_dir=pool_dir, policy=policy)
                    if s is None:
                        continue
                    try:
                        key = ("pool", "tack", setup)
                        if key not in self.sanity:
                            self.sanity[key] = self.check("tack", [
                                ("static1.bench.test.", "A", "NOERROR", True, False),
                                (POOL_NAME, "A", "NOERROR", True, False)])
                            log(f"  sanity: {self.sanity[key]}")
                        for qset in ("static1", "fo1"):
                            self.runs(s, "pool", setup, "udp", rep, files[qset], None,
                                      extra={"variant": f"{policy}-{qset}", "policy": policy, "query_set": qset})
                    finally:
                        self.stop()

    def zoneload_workload(self):
        a = self.a
        sizes = [1_000_000] + ([10_000_000] if a.zoneload_10m else [])
        if a.zoneload_records:
            sizes = a.zoneload_records
        names = [n for n in ("tack", "knot", "nsd") if n in a.servers]
        for size in sizes:
            zone = os.path.join(self.data, f"big-{size}.zone")
            if not os.path.exists(zone):
                t = time.monotonic()
                n = gen.big_zone(zone, size)
                log(f"zoneload: {n:,} records ({os.path.getsize(zone) / 1e6:.0f} MB) in {time.monotonic() - t:.1f} s")
            for rep in range(1, a.repeats + 1):
                for name in names:
                    log(f"[zoneload {size:,} {rep}/{a.repeats}] {name}")
                    s, ready = self.start(name, 1, None, zone, ready_timeout=a.zoneload_timeout)
                    if s is None:
                        continue
                    try:
                        rss = procs.peak_rss_kib(s.pid)
                        self.record(kind="zoneload", workload="zoneload", server=name,
                                    version=self.versions[name], records=size, rep=rep,
                                    load_s=round(ready, 3), peak_rss_kib=rss, load1=os.getloadavg()[0])
                        log(f"  SOA answered after {ready:.2f} s, peak RSS {rss / 1024:.0f} MiB")
                    finally:
                        self.stop()
                    # The work directory holds a copy of the zone; drop it before the next one.
                    shutil.rmtree(os.path.join(self.work, name), ignore_errors=True)


def write_status(path, up):
    if up:
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("primary up\n")
        os.replace(tmp, path)
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


class Flipper:
    """Creates/removes the primary's status file every `period` s (None: leaves it up), and
    samples the pool's answer every 20 ms to count the changes a client sees. Bounded: stops
    when told to or after limit_s."""

    def __init__(self, path, period, port, limit_s):
        self.path, self.period, self.port, self.limit = path, period, port, limit_s
        self.stopping = threading.Event()
        self.stats = {"file_changes": 0, "samples": 0, "answer_changes": 0, "no_answer": 0}
        self.threads = [threading.Thread(target=self.sample, daemon=True)]
        if period:
            self.threads.append(threading.Thread(target=self.flip, daemon=True))

    def start(self):
        for t in self.threads:
            t.start()

    def flip(self):
        up, end = True, time.monotonic() + self.limit
        nxt = time.monotonic()
        while not self.stopping.is_set() and time.monotonic() < end:
            nxt += self.period
            self.stopping.wait(max(0.0, nxt - time.monotonic()))
            up = not up
            write_status(self.path, up)
            self.stats["file_changes"] += 1
        write_status(self.path, True)

    def sample(self):
        last, end = None, time.monotonic() + self.limit
        while not self.stopping.is_set() and time.monotonic() < end:
            r = dns.query(servers.ADDR, self.port, POOL_NAME, "A", timeout=0.2)
            self.stats["samples"] += 1
            if r is None or not r.answers:
                self.stats["no_answer"] += 1
            else:
                ans = r.answers[0][1]
                if last is not None and ans != last:
                    self.stats["answer_changes"] += 1
                last = ans
            self.stopping.wait(0.02)

    def finish(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=5)
        return dict(self.stats)


# ---- report -------------------------------------------------------------------------------------

NAMES = {"nsd": "NSD", "knot": "Knot", "gdnsd": "gdnsd", "tack": "**Tack**"}


def med(vals):
    return statistics.median(vals) if vals else None


def fmt(v, nd=0):
    if v is None:
        return "-"
    return f"{v:,.{nd}f}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def report(raw_path, meta):
    rows = [json.loads(line) for line in open(raw_path)]
    out = [f"# Tack benchmark, {meta['date']}", "",
           f"{meta['host_cpus']} CPUs ({meta['cpu_model']}), kernel {meta['kernel']}, {meta['dnsperf']}; "
           f"tack {meta['tack_commit']}. Runs of {meta['duration_s']:g} s after {meta['warmup_s']:g} s warm-up, "
           f"probes of {meta['probe_s']:g} s, {meta['repeats']} repeat(s), medians. "
           f"Command: `{meta['command']}`" + (" **(--quick: a smoke run, not a result)**" if meta["quick"] else ""),
           ""]
    if meta.get("versions"):
        out += ["Servers: " + ", ".join(f"{NAMES.get(k, k).strip('*')} = {v}" for k, v in meta["versions"].items()), ""]
    loads = [r["load1"] for r in rows if "load1" in r]
    if loads:
        out += [f"Load average (1 min) during the runs: {min(loads):.1f} to {max(loads):.1f}"
                f" (above 0 means other processes shared the machine).", ""]

    def sel(**kw):
        return [r for r in rows if all(r.get(k) == v for k, v in kw.items())]

    for workload in ("mix", "distinct"):
        for setup in meta["setups"]:
            for proto in ("udp", "tcp"):
                tp = sel(workload=workload, setup=setup, proto=proto, kind="throughput")
                if not tp:
                    continue
                rate = next((r["rate"] for r in sel(workload=workload, setup=setup, proto=proto, kind="probe")), None)
                out += [f"## {workload}, {setup}, {proto.upper()}", "",
                        f"| server | max q/s median (min-max) | lost | server CPU % at max | CPU % at {fmt(rate)} q/s | lost at {fmt(rate)} q/s | p50 / p99 ms at {fmt(rate)} q/s | sanity |",
                        "|---|---:|---:|---:|---:|---:|---:|---|"]
                fig = {}
                for name in meta["servers"]:
                    t = sel(workload=workload, setup=setup, proto=proto, kind="throughput", server=name)
                    p = sel(workload=workload, setup=setup, proto=proto, kind="probe", server=name)
                    if not t:
                        continue
                    q = [r["qps"] for r in t]
                    fig[name] = (med(q), med([r["server_cpu_pct"] for r in p]))
                    out.append(f"| {NAMES.get(name, name)} | {fmt(med(q))} ({fmt(min(q))}-{fmt(max(q))}) | "
                               f"{sum(r['lost'] for r in t)} | {fmt(med([r['server_cpu_pct'] for r in t]))} | "
                               f"{fmt(fig[name][1])} | {sum(r['lost'] for r in p) if p else '-'} | "
                               f"{fmt(med([r['p50_ms'] for r in p if 'p50_ms' in r]), 3)} / "
                               f"{fmt(med([r['p99_ms'] for r in p if 'p99_ms' in r]), 3)} | {t[0].get('sanity')} |")
                refs = [n for n in ("nsd", "knot", "gdnsd") if n in fig]
                if refs:
                    out += ["", "Ratios (max q/s: higher is better; CPU % at the fixed rate: lower is better):", "",
                            "| server | " + " | ".join(f"q/s vs {NAMES[n]}" for n in refs) + " | " +
                            " | ".join(f"CPU vs {NAMES[n]}" for n in refs) + " |",
                            "|---|" + "---:|" * (2 * len(refs))]
                    for name, (q, c) in fig.items():
                        out.append(f"| {NAMES.get(name, name)} | " + " | ".join(ratio(q, fig[n][0]) for n in refs) +
                                   " | " + " | ".join(ratio(c, fig[n][1]) for n in refs) + " |")
                out.append("")

    for setup in meta["setups"]:
        t = sel(workload="flip", setup=setup, kind="throughput")
        if not t:
            continue
        out += [f"## flip, {setup}, UDP (Tack: failover pool, primary flipping every 100 ms vs steady)", "",
                "| primary | max q/s median | lost | CPU % at max | CPU % at fixed rate | lost at fixed rate | file changes | answer changes seen | sampler queries unanswered | sanity |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        fig = {}
        for variant in ("steady", "flip"):
            tv = sel(workload="flip", setup=setup, kind="throughput", variant=variant)
            pv = sel(workload="flip", setup=setup, kind="probe", variant=variant)
            fv = sel(workload="flip", setup=setup, kind="flipper", variant=variant)
            if not tv:
                continue
            fig[variant] = (med([r["qps"] for r in tv]), med([r["server_cpu_pct"] for r in pv]))
            out.append(f"| {variant} | {fmt(fig[variant][0])} | {sum(r['lost'] for r in tv)} | "
                       f"{fmt(med([r['server_cpu_pct'] for r in tv]))} | {fmt(fig[variant][1])} | "
                       f"{sum(r['lost'] for r in pv) if pv else '-'} | {sum(r['file_changes'] for r in fv)} | "
                       f"{sum(r['answer_changes'] for r in fv)} | {sum(r['no_answer'] for r in fv)} | {tv[0].get('sanity')} |")
        if len(fig) == 2:
            out += ["", f"flip / steady: max q/s {ratio(fig['flip'][0], fig['steady'][0])}, "
                        f"CPU % at the fixed rate {ratio(fig['flip'][1], fig['steady'][1])}."]
        out.append("")

    for setup in meta["setups"]:
        if not sel(workload="pool", setup=setup, kind="throughput"):
            continue
        out += [f"## pool, {setup}, UDP (Tack: one question over and over; server CPU per answer)", "",
                "| pool policy | question | max q/s median | server CPU % at max | µs server CPU per answer | pool / static | CPU % at fixed rate | lost |",
                "|---|---|---:|---:|---:|---:|---:|---:|"]
        for policy in ("failover", "multivalue"):
            cost = {}
            for qset in ("static1", "fo1"):
                t = sel(workload="pool", setup=setup, kind="throughput", policy=policy, query_set=qset)
                pr = sel(workload="pool", setup=setup, kind="probe", policy=policy, query_set=qset)
                if not t:
                    continue
                cost[qset] = med([r["server_cpu_pct"] / 100 / r["qps"] * 1e6 for r in t if r["qps"]])
                rel = ratio(cost.get("fo1"), cost.get("static1")) if qset == "fo1" else ""
                out.append(f"| {policy} | {qset} | {fmt(med([r['qps'] for r in t]))} | "
                           f"{fmt(med([r['server_cpu_pct'] for r in t]))} | {fmt(cost[qset], 2)} | {rel} | "
                           f"{fmt(med([r['server_cpu_pct'] for r in pr]))} | {sum(r['lost'] for r in t + pr)} |")
        out.append("")

    z = sel(kind="zoneload")
    if z:
        out += ["## zoneload (seconds from start until the SOA is answered; peak RSS)", "",
                "| records | server | load s median (min-max) | peak RSS MiB | time vs Knot | RSS vs NSD |",
                "|---:|---|---:|---:|---:|---:|"]
        for size in sorted({r["records"] for r in z}):
            fig = {}
            for name in ("tack", "knot", "nsd"):
                rs = sel(kind="zoneload", records=size, server=name)
                if rs:
                    fig[name] = ([r["load_s"] for r in rs], med([r["peak_rss_kib"] / 1024 for r in rs]))
            for name, (ts, mem) in fig.items():
                out.append(f"| {size:,} | {NAMES[name]} | {fmt(med(ts), 2)} ({fmt(min(ts), 2)}-{fmt(max(ts), 2)}) | "
                           f"{fmt(mem)} | {ratio(med(ts), med(fig['knot'][0])) if 'knot' in fig else '-'} | "
                           f"{ratio(mem, fig['nsd'][1]) if 'nsd' in fig else '-'} |")
        out.append("")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workloads", default="mix,distinct,flip,pool,zoneload", help="comma-separated, from " + ",".join(WORKLOADS))
    p.add_argument("--servers", default="nsd,knot,gdnsd,tack", help="comma-separated, from " + ",".join(servers.SERVERS))
    p.add_argument("--setups", default="pin1,both", help="pin1 and/or both")
    p.add_argument("--proto", default="udp,tcp", help="protocols of the mix workload (the others are UDP)")
    p.add_argument("--duration", type=float, help="seconds per closed-loop run (default 10; --quick 3)")
    p.add_argument("--warmup", type=float, help="seconds of warm-up before each run (default 2; --quick 1)")
    p.add_argument("--repeats", type=int, help="interleaved repeats (default 3; --quick 1)")
    p.add_argument("--probe-rate", type=int, default=20000, help="fixed rate of the UDP probe, q/s (0: none)")
    p.add_argument("--probe-rate-tcp", type=int, default=2000, help="fixed rate of the TCP probe, q/s (0: none)")
    p.add_argument("--probe-duration", type=float, help="seconds per probe (default 4; --quick 2)")
    p.add_argument("--mix-queries", type=int, default=100000, help="lines of the mix query file")
    p.add_argument("--distinct-names", type=int, default=300000, help="names of the distinct workload")
    p.add_argument("--zoneload-10m", action="store_true", help="zoneload at 10M records too (GiBs of RAM)")
    p.add_argument("--zoneload-records", type=lambda s: [int(x) for x in s.split(",")],
                   help="zoneload sizes instead of 1M (and 10M), e.g. 200000")
    p.add_argument("--zoneload-timeout", type=float, default=600, help="seconds a server may take to load")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run in a few minutes: 3 s runs, 1 s warm-up, 2 s probes, 1 repeat, "
                        "200,000 records for zoneload (not for results)")
    p.add_argument("--tack", default=os.path.join(REPO, ".build/release/tack"), help="the tack binary")
    p.add_argument("--port-base", type=int, default=45300, help="servers listen on port-base+1..4")
    p.add_argument("--out", help="output directory (default /tmp/tack-bench/<time>)")
    a = p.parse_args()
    # Defaults, and --quick's shorter ones; options given on the command line win.
    for key, full, quick in (("duration", 10, 3), ("warmup", 2, 1), ("probe_duration", 4, 2), ("repeats", 3, 1)):
        if getattr(a, key) is None:
            setattr(a, key, quick if a.quick else full)
    if a.quick and not a.zoneload_records and not a.zoneload_10m:
        a.zoneload_records = [200_000]
    a.workloads = a.workloads.split(",")
    a.servers = a.servers.split(",")
    a.setups = a.setups.split(",")
    a.proto = a.proto.split(",")
    for w in a.workloads:
        if w not in WORKLOADS:
            p.error(f"unknown workload {w}")
    for s in a.servers:
        if s not in servers.SERVERS:
            p.error(f"unknown server {s}")
    for s in a.setups:
        if s not in ("pin1", "both"):
            p.error(f"unknown setup {s}")
    if "pin1" in a.setups and not {0, 1} <= os.sched_getaffinity(0):
        p.error("setup pin1 needs CPUs 0 and 1 (server on CPU 1, dnsperf on CPU 0)")
    for tool, pkg in (("dnsperf", "dnsperf"), ("taskset", "util-linux"), ("nsd", "nsd"), ("knotd", "knot"),
                      ("gdnsd", "gdnsd")):
        if (tool in ("nsd", "knotd", "gdnsd") and {"nsd": "nsd", "knotd": "knot", "gdnsd": "gdnsd"}[tool] not in a.servers):
            continue
        if not shutil.which(tool):
            p.error(f"{tool} not found (Debian package {pkg}; scripts/ensure-packages.sh {pkg})")
    needs_tack = "tack" in a.servers or "flip" in a.workloads
    if needs_tack:
        if not os.access(a.tack, os.X_OK):
            p.error(f"no tack binary at {a.tack} (swift build -c release --product tack)")
        a.tack = os.path.abspath(a.tack)
    a.out = os.path.abspath(a.out or os.path.join("/tmp/tack-bench", time.strftime("%Y%m%d-%H%M%S")))
    os.makedirs(a.out, exist_ok=True)

    h = Harness(a)
    commit = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    for s in a.servers:
        h.versions[s] = servers.version(s, a.tack, commit)
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    dp = subprocess.run(["dnsperf", "-h"], capture_output=True, text=True)
    meta = dict(date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                host_cpus=os.cpu_count(), cpu_model=cpu_model, kernel=platform.release(),
                dnsperf=(re.search(r"Version [\d.]+", dp.stdout + dp.stderr) or re.search("", "")).group(0).replace("Version", "dnsperf"),
                tack_commit=commit, duration_s=a.duration, warmup_s=a.warmup, probe_s=a.probe_duration,
                repeats=a.repeats, setups=a.setups, servers=a.servers, workloads=a.workloads,
                versions=h.versions, quick=a.quick, command=" ".join(["bench/harness.py"] + sys.argv[1:]))
    json.dump(meta, open(os.path.join(a.out, "meta.json"), "w"), indent=2)
    log(f"results -> {a.out}; servers {', '.join(f'{k} ({v})' for k, v in h.versions.items())}")
    t0 = time.monotonic()

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    # SIGTERM/SIGHUP (make interrupted, a closed terminal) stop the running server like Ctrl-C.
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    try:
        for w in a.workloads:
            if w in ("mix", "distinct"):
                h.query_workload(w)
            elif w == "flip":
                h.flip_workload()
            elif w == "pool":
                h.pool_workload()
            else:
                h.zoneload_workload()
    except KeyboardInterrupt:
        log("interrupted; stopping the running server")
    finally:
        h.stop()
        h.raw.close()
    meta["total_wall_s"] = round(time.monotonic() - t0)
    json.dump(meta, open(os.path.join(a.out, "meta.json"), "w"), indent=2)
    md = report(os.path.join(a.out, "raw.jsonl"), meta)
    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write(md + "\n")
    print(md)
    log(f"total {meta['total_wall_s']} s; summary: {a.out}/summary.md")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Anycast lab measurements (python3 stdlib only).

  labtool.py window CSV T0 T1 [--away SITE | --back SITE]
      Summarise the probes sent in [T0, T1]: `probes= lost= switch_ms= sites=`.
      --away SITE: switch_ms = first answer from another site, measured from T0.
      --back SITE: switch_ms = first answer from SITE, measured from T0.
  labtool.py route-watch OUT [--duration S]
      In the core namespace: poll the kernel route to the anycast /32 and /128 every 5 ms
      and write `time,family,nexthops` on every change.
  labtool.py route-change ROUTES T0 --family 4 [--not-via ADDR | --via ADDR]
      Milliseconds from T0 to the first route change matching the condition (or `none`).
  labtool.py plot CSV EVENTS PNG [--title T]
      Draw which site answered each probe over time (gnuplot), failures as red marks,
      events as vertical lines.
"""
import argparse, csv, os, subprocess, sys, tempfile, time



def read_probes(path):
    rows = []
    with open(path) as f:
        for r in csv.DictReader(f):
            try:
                rows.append((float(r["time"]), r["site"], float(r["rtt_ms"]) if r["rtt_ms"] else None,
                             r["lost"] == "1"))
            except (KeyError, ValueError):
                continue
    rows.sort()
    return rows


def cmd_window(a):
    rows = [r for r in read_probes(a.csv) if a.t0 <= r[0] <= a.t1]
    lost = sum(1 for r in rows if r[3])
    switch = None
    for t, site, rtt, is_lost in rows:
        if is_lost:
            continue
        arrival = t + rtt / 1000.0
        if (a.away and site != a.away) or (a.back and site == a.back):
            switch = (arrival - a.t0) * 1000.0
            break
    sites = sorted({r[1] for r in rows if not r[3]})
    print(f"probes={len(rows)} lost={lost} switch_ms={'none' if switch is None else f'{switch:.0f}'} "
          f"sites={','.join(sites) or '-'}")


def route_table():
    """(IPv4 next hop, IPv6 next hop) of the anycast routes, read from /proc/net (cheap to poll;
    with ECMP only the first next hop shows)."""
    import ipaddress, socket, struct
    v4 = "none"
    with open("/proc/net/route") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == "353512C6" and fields[7] == "FFFFFFFF":
                v4 = socket.inet_ntoa(struct.pack("<I", int(fields[2], 16)))
    v6 = "none"
    with open("/proc/net/ipv6_route") as f:
        for line in f:
            fields = line.split()
            if fields[0] == "fd530000000000000000000000000053" and fields[1] == "80":
                v6 = str(ipaddress.IPv6Address(bytes.fromhex(fields[4])))
    return [v4, v6]


def cmd_route_watch(a):
    out = open(a.out, "w", buffering=1)
    last = [None, None]
    start = time.monotonic()
    while time.monotonic() - start < a.duration:
        now = route_table()
        t = time.time()
        for i, fam in enumerate(("4", "6")):
            if now[i] != last[i]:
                out.write(f"{t:.6f},{fam},{now[i]}\n")
                last[i] = now[i]
        time.sleep(0.005)


def cmd_route_change(a):
    with open(a.routes) as f:
        for line in f:
            t, fam, hops = line.strip().split(",", 2)
            t = float(t)
            if t < a.t0 or fam != a.family:
                continue
            hop_list = hops.split("+")
            if (a.not_via and a.not_via not in hop_list) or (a.via and a.via in hop_list):
                print(f"{(t - a.t0) * 1000:.0f}")
                return
    print("none")


def cmd_plot(a):
    rows = read_probes(a.csv)
    if not rows:
        sys.exit(f"plot: {a.csv} has no probes")
    t0 = rows[0][0]
    sites = sorted({r[1] for r in rows if not r[3]})
    level = {s: i + 1 for i, s in enumerate(sites)}
    events = []
    for path in a.events.split(","):
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    parts = line.rstrip("\n").split(",", 2)
                    if len(parts) == 3 and parts[1] == "lab":
                        events.append((float(parts[0]) - t0, parts[2]))
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "probes.dat")
        with open(data, "w") as f:
            for t, site, rtt, is_lost in rows:
                f.write(f"{t - t0:.3f} {0 if is_lost else level[site]} {1 if is_lost else 0}\n")
        script = [
            "set terminal pngcairo size 1400,520 font 'DejaVu Sans,10'",
            f"set output '{a.png}'",
            f"set title '{a.title}'",
            "set xlabel 'seconds since the first probe'",
            "set ylabel 'answering site (NSID)'",
            f"set yrange [-0.6:{len(sites) + 1.2}]",
            "set ytics (" + ", ".join([f"'lost' 0"] + [f"'{s}' {level[s]}" for s in sites]) + ")",
            "set grid ytics",
            "set key outside bottom center horizontal",
        ]
        for i, (t, label) in enumerate(events):
            script.append(f"set arrow from {t:.3f}, graph 0 to {t:.3f}, graph 1 nohead lc rgb '#888888' dt 2")
            y = len(sites) + 0.35 + (i % 3) * 0.3
            script.append(f"set label \"{label}\" at {t:.3f},{y:.2f} font ',8' tc rgb '#333333'")
        script.append(
            f"plot '{data}' using 1:($3==0?$2:1/0) with points pt 7 ps 0.5 lc rgb '#1f77b4' title 'answered', "
            f"'{data}' using 1:($3==1?$2:1/0) with points pt 2 ps 1.0 lc rgb '#d62728' title 'lost (no answer in 1 s)'")
        gp = os.path.join(tmp, "plot.gp")
        with open(gp, "w") as f:
            f.write("\n".join(script) + "\n")
        subprocess.run(["gnuplot", gp], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("window"); w.add_argument("csv"); w.add_argument("t0", type=float); w.add_argument("t1", type=float)
    w.add_argument("--away"); w.add_argument("--back")
    rw = sub.add_parser("route-watch"); rw.add_argument("out"); rw.add_argument("--duration", type=float, default=600)
    rc = sub.add_parser("route-change"); rc.add_argument("routes"); rc.add_argument("t0", type=float)
    rc.add_argument("--family", default="4"); rc.add_argument("--not-via"); rc.add_argument("--via")
    p = sub.add_parser("plot"); p.add_argument("csv"); p.add_argument("events"); p.add_argument("png")
    p.add_argument("--title", default="Tack anycast lab: which site answered each probe")
    a = ap.parse_args()
    {"window": cmd_window, "route-watch": cmd_route_watch, "route-change": cmd_route_change,
     "plot": cmd_plot}[a.cmd](a)

if __name__ == "__main__":
    main()

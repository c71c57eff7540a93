#!/usr/bin/env python3
"""Stand-in for `tack announce` in the anycast lab: announce the site's anycast prefixes in BIRD
only while the local DNS server answers.

Every INTERVAL seconds it sends a real DNS query (SOA of the zone, over UDP, to the local server on
the anycast address) and requires a response with the same ID, QR and AA set and RCODE NOERROR
within TIMEOUT. After FALL consecutive failures it withdraws (`birdc -s SOCKET disable PROTOCOL`
for each protocol); after RISE consecutive successes it announces (`enable`). While DRAIN_FILE
exists it withdraws regardless of health (a drain). Every state change is logged as
`time,site,event` to --events.
"""
import argparse, os, signal, socket, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labdns

def check(sock, qid, qname, timeout):
    try:
        sock.send(labdns.build_query(qid, qname, nsid=False))
    except OSError:
        return False
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            data = sock.recv(4096)
        except socket.timeout:
            return False
        except OSError:
            return False  # ICMP port unreachable: nothing listens
        try:
            rid, flags, rcode, _ = labdns.parse_response(data)
        except labdns.ParseError:
            continue
        if rid == qid:
            return bool(flags & 0x8000) and bool(flags & 0x0400) and rcode == 0

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--site", required=True)
    ap.add_argument("--server", required=True, help="local server address to check")
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--qname", default="example.test")
    ap.add_argument("--socket", required=True, help="BIRD control socket")
    ap.add_argument("--protocols", default="anycast4,anycast6")
    ap.add_argument("--interval", type=float, default=0.1)
    ap.add_argument("--timeout", type=float, default=0.1)
    ap.add_argument("--rise", type=int, default=3)
    ap.add_argument("--fall", type=int, default=2)
    ap.add_argument("--drain-file", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--duration", type=float, default=900.0, help="hard stop after this many seconds")
    a = ap.parse_args()
    if a.rise < 1 or a.fall < 1:
        ap.error("--rise and --fall must be at least 1")

    stop = False
    def on_signal(*_):
        nonlocal stop
        stop = True
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    events = open(a.events, "a", buffering=1)
    def log(event):
        events.write(f"{time.time():.6f},{a.site},{event}\n")

    def birdc(action):
        for proto in a.protocols.split(","):
            r = subprocess.run(["birdc", "-s", a.socket, action, proto],
                               capture_output=True, text=True, timeout=5)
            if r.returncode != 0:
                log(f"birdc {action} {proto} failed: {r.stdout.strip()} {r.stderr.strip()}")

    family = socket.AF_INET6 if ":" in a.server else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.connect((a.server, a.port))  # connected: ICMP port unreachable reports at once

    # BIRD re-applies each protocol's configured `disabled` on `birdc configure`, so a reload would
    # silently withdraw an announced site: the desired state is re-asserted every REASSERT seconds.
    REASSERT = 1.0
    last_assert = time.monotonic()
    announced = False
    healthy = False
    ok_run = fail_run = 0
    qid = 0
    start = time.monotonic()
    next_check = start
    while not stop and time.monotonic() - start < a.duration:
        qid = (qid + 1) & 0xFFFF
        if check(sock, qid, a.qname, a.timeout):
            ok_run, fail_run = ok_run + 1, 0
            if not healthy and ok_run >= a.rise:
                healthy = True
                log("healthy")
        else:
            ok_run, fail_run = 0, fail_run + 1
            if healthy and fail_run >= a.fall:
                healthy = False
                log("unhealthy")
        draining = os.path.exists(a.drain_file)
        want = healthy and not draining
        if want != announced:
            birdc("enable" if want else "disable")
            announced = want
            last_assert = time.monotonic()
            log("announce" if want else ("withdraw (drain)" if draining and healthy else "withdraw"))
        elif time.monotonic() - last_assert >= REASSERT:
            birdc("enable" if announced else "disable")
            last_assert = time.monotonic()
        next_check += a.interval
        delay = next_check - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_check = time.monotonic()
    if announced:
        birdc("disable")
        log("withdraw (stop)")

if __name__ == "__main__":
    main()

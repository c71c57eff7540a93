#!/usr/bin/env python3
"""Anycast lab prober: one DNS query every INTERVAL seconds, recording which site answered.

Writes CSV lines `time,site,rtt_ms,lost` (time = UNIX send time in seconds; site = the NSID of
the answering server, empty when lost; a probe is lost when no answer arrives within TIMEOUT).
Lines are flushed as probes resolve, so another process can read the file while it runs.
Runs until SIGTERM/SIGINT or --duration seconds.
"""
import argparse, os, selectors, signal, socket, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labdns

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--server", required=True, help="address to query (the anycast address)")
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--qname", default="example.test")
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--duration", type=float, default=600.0, help="hard stop after this many seconds")
    ap.add_argument("--out", required=True, help="CSV file to write")
    a = ap.parse_args()
    if not 0.005 <= a.interval <= 10 or not 0.01 <= a.timeout <= 10:
        ap.error("--interval must be in [0.005, 10] and --timeout in [0.01, 10] seconds")

    stop = False
    def on_signal(*_):
        nonlocal stop
        stop = True
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    family = socket.AF_INET6 if ":" in a.server else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    out = open(a.out, "w", buffering=1)
    out.write("time,site,rtt_ms,lost\n")

    pending = {}  # id -> (wall send time, monotonic send time)
    qid = 0
    start = time.monotonic()
    next_send = start
    while not stop and time.monotonic() - start < a.duration:
        now = time.monotonic()
        if now >= next_send:
            qid = (qid + 1) & 0xFFFF
            try:
                sock.sendto(labdns.build_query(qid, a.qname), (a.server, a.port))
            except OSError:
                pass  # unreachable right now: counted as lost by the timeout
            pending[qid] = (time.time(), now)
            next_send += a.interval
            if next_send < now:
                next_send = now + a.interval  # never burst to catch up
        for key, _ in sel.select(timeout=max(0.0, min(next_send - time.monotonic(), 0.01))):
            while True:
                try:
                    data = sock.recv(4096)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break  # ICMP error queued on the socket: the probe times out
                arrived = time.monotonic()
                try:
                    rid, flags, rcode, nsid = labdns.parse_response(data)
                except labdns.ParseError:
                    continue
                sent = pending.pop(rid, None)
                if sent is None or not flags & 0x8000:
                    continue
                out.write(f"{sent[0]:.6f},{nsid or '?'},{(arrived - sent[1]) * 1000:.3f},0\n")
        now = time.monotonic()
        for rid in [r for r, s in pending.items() if now - s[1] > a.timeout]:
            wall, _ = pending.pop(rid)
            out.write(f"{wall:.6f},,,1\n")
    # Probes still in flight at the stop are neither answered nor lost: they are not written.
    out.close()

if __name__ == "__main__":
    main()

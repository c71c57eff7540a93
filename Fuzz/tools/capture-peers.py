#!/usr/bin/env python3
"""Captures real client queries and real Knot responses as fuzz seeds (run once, by hand).

Starts knotd on 127.0.0.1 (an ephemeral high port) serving zones/example.test.zone, and a UDP
relay in front of it. dig, kdig and drill query the relay with a spread of options; the relay
saves each query as the client sent it and each response as knotd sent it:
  Fuzz/corpus/message_decode/peer-<client>-<n>-query, ...-response
  Fuzz/corpus/query_answer/peer-<client>-<n>    (2 octets of size limit, then the query)
Only loopback traffic. knotd is stopped by PID. Usage: python3 Fuzz/tools/capture-peers.py
"""
import os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")

QUERIES = [
    # (client, arguments after server and port)
    ("dig", ["www.example.test", "A"]),
    ("dig", ["www.example.test", "AAAA", "+dnssec"]),
    ("dig", ["example.test", "SOA", "+nsid", "+cookie"]),
    ("dig", ["example.test", "MX", "+subnet=192.0.2.0/24"]),
    ("dig", ["example.test", "ANY", "+noedns", "+notcp"]),
    ("dig", ["nothere.example.test", "TXT", "+bufsize=512", "+padding=128"]),
    ("dig", ["_sip._udp.example.test", "SRV", "+norecurse"]),
    ("dig", ["EXAMPLE.test", "NS", "+adflag", "+cdflag"]),
    ("dig", ["example.test", "CAA", "+ednsopt=65001:0102"]),
    ("kdig", ["www.example.test", "A"]),
    ("kdig", ["example.test", "DNSKEY", "+dnssec", "+nsid"]),
    ("kdig", ["example.test", "TXT", "+cookie", "+padding"]),
    ("kdig", ["mail.example.test", "A", "+subnet=2001:db8::/48"]),
    ("kdig", ["example.test", "TYPE65534", "+bufsize=1232"]),
    ("drill", ["www.example.test", "A"]),
    ("drill", ["-D", "example.test", "SOA"]),
    ("drill", ["-b", "4096", "ns1.example.test", "AAAA"]),
]


def start_knot(tmp):
    port = random.randint(20000, 60999)
    shutil.copy(os.path.join(ROOT, "zones", "example.test.zone"), os.path.join(tmp, "example.test.zone"))
    conf = f"""server:
    rundir: "{tmp}"
    listen: 127.0.0.1@{port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: stderr
    any: warning
database:
    storage: "{tmp}/db"
control:
    listen: "{tmp}/knot.sock"
template:
  - id: default
    storage: "{tmp}"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: example.test.
    file: "{tmp}/example.test.zone"
"""
    with open(os.path.join(tmp, "knot.conf"), "w") as f:
        f.write(conf)
    proc = subprocess.Popen(["/usr/sbin/knotd", "-c", os.path.join(tmp, "knot.conf")],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "knotd.log"), "w"))
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.settimeout(0.1)
    q = bytes.fromhex("0001 0000 0001 0000 0000 0000 076578616d706c6504746573740000060001".replace(" ", ""))
    for _ in range(100):  # bounded readiness probe: at most ~10 s
        if proc.poll() is not None:
            break
        try:
            probe.sendto(q, ("127.0.0.1", port))
            data, _ = probe.recvfrom(65535)
            if len(data) > 12 and data[3] & 0xF == 0 and data[7] > 0:
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=5)
    sys.exit("knotd did not answer; log in " + tmp)


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    tmp = tempfile.mkdtemp(prefix="tack-fuzz-capture-")
    knot, kport = start_knot(tmp)
    relay = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    relay.bind(("127.0.0.1", 0))
    relay.settimeout(5)
    rport = relay.getsockname()[1]
    upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    upstream.settimeout(2)
    try:
        for n, (client, args) in enumerate(QUERIES):
            if client == "drill":
                cmd = ["drill", "-p", str(rport)] + args[:-2] + [args[-2], "@127.0.0.1", args[-1]]
            elif client == "kdig":
                cmd = ["kdig", "@127.0.0.1", "-p", str(rport), "+retry=0", "+time=3"] + args
            else:
                cmd = ["dig", "@127.0.0.1", "-p", str(rport), "+tries=1", "+time=3"] + args
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                query, addr = relay.recvfrom(65535)
            except TimeoutError:
                proc.kill()
                proc.wait()
                print("no query from:", " ".join(cmd))
                continue
            upstream.sendto(query, ("127.0.0.1", kport))
            response, _ = upstream.recvfrom(65535)
            relay.sendto(response, addr)
            proc.wait(timeout=10)
            tag = f"peer-{client}-{n:02d}"
            write("message_decode", tag + "-query", query)
            write("message_decode", tag + "-knot-response", response)
            write("query_answer", tag, (1232).to_bytes(2, "big") + query)
            print(tag, " ".join(args), len(query), len(response))
    finally:
        knot.send_signal(signal.SIGTERM)
        knot.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

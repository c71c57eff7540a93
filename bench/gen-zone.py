#!/usr/bin/env python3
"""Writes a deterministic zone of about N records for load benchmarks.

Mix per host (fixed seed): one or two A, half with AAAA, one in five with TXT, one in ten
with MX, every 50th a CNAME alias, every 1000th a delegation with glue. Usage:
    gen-zone.py N ORIGIN > file.zone
"""
import random
import sys

def main():
    n = int(sys.argv[1])
    origin = sys.argv[2].rstrip(".") + "."
    rng = random.Random(20261122)
    out = sys.stdout
    out.write(f"$ORIGIN {origin}\n$TTL 3600\n")
    out.write("@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\n@ NS ns2\n")
    out.write("ns1 A 192.0.2.1\nns2 A 192.0.2.2\n")
    count, i = 6, 0
    while count < n:
        h = f"h{i}"
        for _ in range(rng.choice((1, 2))):
            out.write(f"{h} A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{rng.randrange(1, 255)}\n"); count += 1
        if i % 2 == 0:
            out.write(f"{h} AAAA 2001:db8::{i & 0xffff:x}:{rng.randrange(1, 65535):x}\n"); count += 1
        if i % 5 == 0:
            out.write(f'{h} TXT "v=spf1 ip4:10.{i & 255}.0.0/16 -all"\n'); count += 1
        if i % 10 == 0:
            out.write(f"{h} MX 10 mail.{h}\nmail.{h} A 10.9.{(i >> 8) & 255}.{i & 255}\n"); count += 2
        if i % 50 == 0:
            out.write(f"alias{i} CNAME {h}\n"); count += 1
        if i % 1000 == 0:
            out.write(f"sub{i} NS ns.sub{i}\nns.sub{i} A 10.8.{(i >> 8) & 255}.{i & 255}\n"); count += 2
        i += 1

if __name__ == "__main__":
    main()

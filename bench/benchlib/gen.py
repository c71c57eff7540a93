"""Deterministic zones and query files (fixed seeds: the same files on every machine).

mix_zone / mix_queries: the usual query mix against bench.test. (about 24,000 records).
distinct_queries: all-distinct random names, half NXDOMAIN, half under the zone's wildcard.
big_zone: N records of hosts, for the zone-load workload (1M, 10M), written in chunks.
"""
import random

ORIGIN = "bench.test."
SEED = 20261204

# Query mix, per 1,000 queries (sums to 1,000).
MIX = [
    ("a_host", 600),      # existing host, A
    ("aaaa_host", 120),   # existing host with AAAA, AAAA
    ("a_cname", 40),      # A on a CNAME (in-zone target, chains, out-of-zone target)
    ("wildcard", 20),     # A under *.wild
    ("referral", 20),     # A below a delegation (with and without glue)
    ("nxdomain", 100),    # A/AAAA on a name that does not exist
    ("mx", 30),           # MX at the apex and on hosts that have one
    ("txt", 28),          # TXT on hosts that have one
    ("srv", 3),           # SRV
    ("soa_ns", 2),        # SOA/NS at the apex
    ("nodata", 37),       # AAAA on v4-only hosts, MX on hosts without, A on empty non-terminals
]


class MixZone:
    """The names of the mix zone, kept so the query generator asks for what exists."""

    def __init__(self):
        self.hosts = []        # (owner, has_aaaa, has_mx, has_txt)
        self.ents = []         # empty non-terminals
        self.cnames = []
        self.srv = []
        self.delegations = []  # names below a zone cut


def mix_zone(path, hosts=10000):
    """Writes the mix zone to path; returns the MixZone with its names (origin-relative)."""
    rng = random.Random(SEED)
    z = MixZone()
    out = [
        f"$ORIGIN {ORIGIN}", "$TTL 3600",
        "@ 300 SOA ns1 hostmaster 2026120401 7200 900 1209600 300",  # TTL = minimum, as gdnsd wants
        "@ NS ns1", "@ NS ns2",
        "ns1 A 192.0.2.1", "ns1 AAAA 2001:db8::1", "ns2 A 192.0.2.2", "ns2 AAAA 2001:db8::2",
        "@ MX 10 mail", "mail A 192.0.2.25", "mail AAAA 2001:db8::25",
        '@ TXT "v=spf1 mx -all"', '_dmarc TXT "v=DMARC1; p=reject"',
        "*.wild A 192.0.2.80", '*.wild TXT "wildcard"',
        "static1 A 192.0.2.11",  # the pool workload's static answer: one A record
    ]
    ents = set()
    mx_count = 0
    for i in range(hosts):
        depth = i % 3
        if depth == 0:
            owner = f"h{i}"
        elif depth == 1:
            owner = f"h{i}.g{i % 500}"
            ents.add(f"g{i % 500}")
        else:
            owner = f"h{i}.s{i % 40}.g{i % 500}"
            ents.add(f"g{i % 500}")
            ents.add(f"s{i % 40}.g{i % 500}")
        for _ in range(rng.randint(1, 4)):
            out.append(f"{owner} A 10.{(i >> 8) & 255}.{i & 255}.{rng.randrange(1, 255)}")
        has_aaaa = i % 2 == 0
        if has_aaaa:
            for _ in range(rng.randint(1, 2)):
                out.append(f"{owner} AAAA 2001:db8:{(i >> 8) & 255:x}:{i & 255:x}::{rng.randrange(1, 65535):x}")
        has_mx = i % 33 == 1 and mx_count < 300
        mx_count += has_mx
        if has_mx:
            out.append(f"{owner} MX 10 mail.{ORIGIN}")
        has_txt = i % 20 == 3
        if has_txt:
            if i % 500 == 3:  # a few long multi-string TXT
                out.append(f'{owner} TXT "{"a" * 200}" "{"b" * 200}"')
            else:
                out.append(f'{owner} TXT "v=spf1 ip4:10.{i & 255}.0.0/16 -all"')
        z.hosts.append((owner, has_aaaa, has_mx, has_txt))
    z.ents = sorted(ents)
    # CNAMEs: 1,000 to hosts, 30 chains of two, 20 to names outside the zone.
    for i in range(1000):
        out.append(f"c{i} CNAME {z.hosts[rng.randrange(hosts)][0]}")
        z.cnames.append(f"c{i}")
    for i in range(30):
        out.append(f"cc{i} CNAME c{i}")
        z.cnames.append(f"cc{i}")
    for i in range(20):
        out.append(f"cx{i} CNAME www{i}.example.net.")
        z.cnames.append(f"cx{i}")
    # SRV.
    for i in range(20):
        owner = f"_sip._udp.srv{i}"
        out.append(f"{owner} SRV 10 5 5060 {z.hosts[i * 7][0]}")
        z.srv.append(owner)
    # 100 delegations with glue (half with AAAA glue), 20 without.
    for i in range(100):
        out.append(f"d{i} NS ns1.d{i}")
        out.append(f"d{i} NS ns2.d{i}")
        out.append(f"ns1.d{i} A 10.200.{i}.1")
        out.append(f"ns2.d{i} A 10.200.{i}.2")
        if i % 2 == 0:
            out.append(f"ns1.d{i} AAAA 2001:db8:200:{i:x}::1")
        z.delegations.append(f"d{i}")
    for i in range(20):
        out.append(f"e{i} NS ns1.example.net.")
        out.append(f"e{i} NS ns2.example.net.")
        z.delegations.append(f"e{i}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    z.records = sum(1 for line in out if not line.startswith("$"))
    return z


def mix_queries(z, path, n=100000, extra=None):
    """Writes n shuffled dnsperf query lines for the mix; extra=(line, per_1000) adds a share
    of one fixed question (the flip workload's pool name). Returns the count per kind."""
    rng = random.Random(SEED + 1)
    mix = list(MIX)
    if extra:
        # Taken from the A share so the rest of the mix keeps its proportions.
        mix[0] = ("a_host", mix[0][1] - extra[1])
        mix.append(("extra", extra[1]))
    v4only = [h[0] for h in z.hosts if not h[1]]
    v6 = [h[0] for h in z.hosts if h[1]]
    mx_hosts = [h[0] for h in z.hosts if h[2]]
    no_mx = [h[0] for h in z.hosts if not h[2]]
    txt_hosts = [h[0] for h in z.hosts if h[3]]
    o = ORIGIN

    def one(kind):
        if kind == "a_host":
            return f"{rng.choice(z.hosts)[0]}.{o} A"
        if kind == "aaaa_host":
            return f"{rng.choice(v6)}.{o} AAAA"
        if kind == "a_cname":
            return f"{rng.choice(z.cnames)}.{o} A"
        if kind == "wildcard":
            return f"w{rng.randrange(2000)}.wild.{o} A"
        if kind == "referral":
            return f"www.{rng.choice(z.delegations)}.{o} A"
        if kind == "nxdomain":
            return f"nx{rng.randrange(5000)}.{o} {rng.choice(('A', 'AAAA'))}"
        if kind == "mx":
            return f"{o} MX" if rng.random() < 0.2 else f"{rng.choice(mx_hosts)}.{o} MX"
        if kind == "txt":
            return f"{rng.choice(txt_hosts)}.{o} TXT"
        if kind == "srv":
            return f"{rng.choice(z.srv)}.{o} SRV"
        if kind == "soa_ns":
            return f"{o} {rng.choice(('SOA', 'NS'))}"
        if kind == "nodata":
            r = rng.random()
            if r < 0.5:
                return f"{rng.choice(v4only)}.{o} AAAA"
            if r < 0.8:
                return f"{rng.choice(no_mx)}.{o} MX"
            return f"{rng.choice(z.ents)}.{o} A"
        if kind == "extra":
            return extra[0]
        raise ValueError(kind)

    lines, counts = [], {}
    for kind, per in mix:
        k = n * per // 1000
        counts[kind] = k
        lines.extend(one(kind) for _ in range(k))
    while len(lines) < n:
        lines.append(one("a_host"))
        counts["a_host"] += 1
    rng.shuffle(lines)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return counts


def distinct_queries(path, n=300000, seed=SEED + 2, tag="r"):
    """n all-distinct names: half random labels under the apex (NXDOMAIN), half under
    *.wild (answered by the wildcard). No name repeats within the file; the tag keeps the
    names of two files with different tags apart."""
    rng = random.Random(seed)
    seen = set()
    lines = []
    while len(lines) < n:
        label = f"{tag}{rng.getrandbits(64):016x}"
        if label in seen:
            continue
        seen.add(label)
        if len(lines) % 2 == 0:
            lines.append(f"{label}.{ORIGIN} A")
        else:
            lines.append(f"{label}.wild.{ORIGIN} A")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def big_zone(path, records):
    """About `records` records of generated hosts (A, AAAA, TXT, MX, CNAME, delegations with
    glue), written in chunks so 10M records take about a minute, not the memory of a list."""
    rng = random.Random(SEED + 3)
    with open(path, "w", buffering=1 << 20) as f:
        f.write(f"$ORIGIN {ORIGIN}\n$TTL 3600\n")
        f.write("@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\n@ NS ns2\n")
        f.write("ns1 A 192.0.2.1\nns2 A 192.0.2.2\n")
        count, i = 5, 0
        chunk = []
        while count < records:
            h = f"h{i}"
            chunk.append(f"{h} A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{rng.randrange(1, 255)}\n")
            count += 1
            if i % 2 == 0:
                chunk.append(f"{h} AAAA 2001:db8::{i & 0xffff:x}:{rng.randrange(1, 65535):x}\n")
                count += 1
            if i % 5 == 0:
                chunk.append(f'{h} TXT "v=spf1 ip4:10.{i & 255}.0.0/16 -all"\n')
                count += 1
            if i % 10 == 0:
                chunk.append(f"{h} MX 10 mail.{h}\nmail.{h} A 10.9.{(i >> 8) & 255}.{i & 255}\n")
                count += 2
            if i % 50 == 0:
                chunk.append(f"alias{i} CNAME {h}\n")
                count += 1
            if i % 1000 == 0:
                chunk.append(f"sub{i} NS ns.sub{i}\nns.sub{i} A 10.8.{(i >> 8) & 255}.{i & 255}\n")
                count += 2
            i += 1
            if len(chunk) >= 65536:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))
    return count

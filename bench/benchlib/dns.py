"""A minimal DNS client over UDP (readiness, sanity checks, the flip sampler). Loopback use."""
import random
import socket
import struct

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def _name(qname):
    out = b""
    for label in qname.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def _skip(msg, off):
    while True:
        n = msg[off]
        if n == 0:
            return off + 1
        if n & 0xC0 == 0xC0:
            return off + 2
        off += 1 + n


class Reply:
    def __init__(self, rcode, aa, answers, authority):
        self.rcode = rcode      # "NOERROR", "NXDOMAIN", ...
        self.aa = aa
        self.answers = answers  # [(type, rdata bytes)]
        self.authority = authority


def parse(msg):
    qid, flags, qd, an, ns, _ = struct.unpack("!6H", msg[:12])
    off = 12
    for _ in range(qd):
        off = _skip(msg, off) + 4
    sections = []
    for count in (an, ns):
        rrs = []
        for _ in range(count):
            off = _skip(msg, off)
            rtype, _cls, _ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
            off += 10
            rrs.append((rtype, msg[off:off + rdlen]))
            off += rdlen
        sections.append(rrs)
    return Reply(RCODES.get(flags & 15, str(flags & 15)), bool(flags & 0x0400), sections[0], sections[1])


def query(addr, port, qname, qtype="A", timeout=0.5):
    """One UDP query (RD clear, no EDNS); returns a Reply, or None on timeout or error."""
    qid = random.randrange(65536)
    msg = struct.pack("!6H", qid, 0, 1, 0, 0, 0) + _name(qname) + struct.pack("!HH", TYPES[qtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(msg, (addr, port))
            while True:
                data, _ = s.recvfrom(65535)
                if len(data) >= 12 and struct.unpack("!H", data[:2])[0] == qid:
                    return parse(data)
        except (OSError, struct.error, IndexError):
            return None


def port_free(addr, port):
    """True when neither UDP nor TCP port is bound on addr."""
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind((addr, port))
            except OSError:
                return False
    return True

"""Minimal DNS query/response helpers for the anycast lab (python3 stdlib only).

Builds a query with an EDNS(0) OPT record carrying an empty NSID option (RFC 5001) and parses
just enough of a response to return its ID, flags, RCODE and NSID. Lab tooling only: the product
has its own codec (DNSWire).
"""
import struct

NSID_OPTION = 3      # RFC 5001 section 2.3
OPT_TYPE = 41        # RFC 6891 section 6.1.1
TYPE_SOA = 6


class ParseError(Exception):
    """A response too short or malformed to read."""


def encode_name(name):
    out = bytearray()
    for label in name.rstrip(".").split("."):
        if label:
            raw = label.encode("ascii")
            if len(raw) > 63:
                raise ValueError(f"label {label!r} in {name!r} is longer than 63 octets")
            out.append(len(raw))
            out += raw
    out.append(0)
    return bytes(out)


def build_query(qid, qname, qtype=TYPE_SOA, nsid=True):
    """A query with RD clear and one OPT record (UDP size 1232, NSID option when asked)."""
    header = struct.pack("!HHHHHH", qid, 0x0000, 1, 0, 0, 1)
    question = encode_name(qname) + struct.pack("!HH", qtype, 1)
    options = struct.pack("!HH", NSID_OPTION, 0) if nsid else b""
    opt = b"\x00" + struct.pack("!HHIH", OPT_TYPE, 1232, 0, len(options)) + options
    return header + question + opt


def _skip_name(msg, pos):
    while True:
        if pos >= len(msg):
            raise ParseError("name runs past the end of the message")
        length = msg[pos]
        if length & 0xC0 == 0xC0:
            return pos + 2
        if length == 0:
            return pos + 1
        pos += 1 + length


def parse_response(msg):
    """Returns (id, flags, rcode, nsid or None). Raises ParseError on malformed input."""
    if len(msg) < 12:
        raise ParseError(f"response of {len(msg)} octets is shorter than a DNS header")
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    pos = 12
    for _ in range(qd):
        pos = _skip_name(msg, pos) + 4
    nsid = None
    rcode = flags & 0xF
    for index in range(an + ns + ar):
        pos = _skip_name(msg, pos)
        if pos + 10 > len(msg):
            raise ParseError("record header runs past the end of the message")
        rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", msg[pos:pos + 10])
        pos += 10
        rdata = msg[pos:pos + rdlen]
        if len(rdata) != rdlen:
            raise ParseError("RDATA runs past the end of the message")
        pos += rdlen
        if rtype == OPT_TYPE and index >= an + ns:
            rcode |= (ttl >> 24) << 4
            opos = 0
            while opos + 4 <= len(rdata):
                code, olen = struct.unpack("!HH", rdata[opos:opos + 4])
                value = rdata[opos + 4:opos + 4 + olen]
                if code == NSID_OPTION:
                    nsid = value.decode("ascii", "replace")
                opos += 4 + olen
    return qid, flags, rcode, nsid

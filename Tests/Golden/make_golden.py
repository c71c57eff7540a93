# Independent encoder for GoldenMessageTests: dnspython 2.9.2 (pip install dnspython in a venv).
# Run: python3 make_golden.py ; paste the hex into GoldenMessageTests.swift.
import dns.message, dns.rrset, dns.flags, dns.name, dns.rdatatype, dns.rdataclass
def msg(qname, qtype, sections, tc=False):
    m = dns.message.Message(id=0xBEEF)
    m.flags = dns.flags.QR | dns.flags.AA | dns.flags.RD | (dns.flags.TC if tc else 0)
    m.question.append(dns.rrset.RRset(dns.name.from_text(qname), dns.rdataclass.IN, dns.rdatatype.from_text(qtype)))
    for sec, rrs in zip((m.answer, m.authority, m.additional), sections):
        for (owner, ttl, typ, datas) in rrs:
            for d in datas:  # one RRset per record keeps the order (rdatasets are unordered)
                sec.append(dns.rrset.from_text(owner, ttl, "IN", typ, d))
    m.use_edns(0, payload=1232)
    return m.to_wire()
ans = [("www.example.com.", 300, "CNAME", ["web.example.com."]),
       ("web.example.com.", 300, "A", ["192.0.2.1", "192.0.2.2"])]
auth = [("example.com.", 3600, "NS", ["ns1.example.com.", "ns.example.net."])]
add = [("NS1.example.com.", 3600, "A", ["192.0.2.53"]), ("ns.example.net.", 3600, "AAAA", ["2001:db8::53"])]
w = msg("www.example.com.", "A", (ans, auth, add))
print("compression", len(w), w.hex().upper())
t1 = '"' + "a" * 60 + '"'; t2 = '"' + "b" * 60 + '"'
big_ans = [("big.example.com.", 60, "TXT", [t1, t2]), ("big.example.com.", 60, "A", ["192.0.2.10", "192.0.2.11"]),
           ("big.example.com.", 60, "AAAA", ["2001:db8::10"])]
big_auth = [("example.com.", 3600, "NS", ["ns1.example.com.", "ns2.example.com."])]
big_add = [("ns1.example.com.", 3600, "A", ["192.0.2.53"]), ("ns2.example.com.", 3600, "A", ["192.0.2.54"])]
full = msg("big.example.com.", "ANY", (big_ans, big_auth, big_add))
p1 = msg("big.example.com.", "ANY", (big_ans[:1], [], []), tc=True)
p2 = msg("big.example.com.", "ANY", (big_ans, big_auth, big_add[:1]))
print("full", len(full))
print("tc", len(p1), p1.hex().upper())
print("noTC", len(p2), p2.hex().upper())

#!/usr/bin/env python3
"""Checks docker/docker-compose.yml without a Docker engine.

1. JSON-schema validation against the Compose specification schema given with --schema (the
   one Debian's docker-compose package installs), anchors and merge keys resolved.
2. Lab rules: every network is internal with subnets inside 198.18.0.0/15 and fd00::/8; every
   fixed address lies in its network's subnet and is unique; services that run BIRD have
   NET_ADMIN and mount lab/bird; each site's addresses agree with lab/bird/nodes/<site>.conf.
Prints one line per problem (file, where, what) and exits 1 if there is any.
"""
import argparse, ipaddress, json, os, re, sys
import yaml

LAB4 = ipaddress.ip_network("198.18.0.0/15")
ULA = ipaddress.ip_network("fd00::/8")


def bird_defines(path):
    text = open(path).read()
    return dict(re.findall(r"define\s+(\w+)\s*=\s*\"?([^;\"]+)\"?\s*;", text))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("compose")
    ap.add_argument("--schema", help="compose-spec JSON schema file")
    a = ap.parse_args()
    problems = []
    def bad(where, what):
        problems.append(f"{a.compose}: {where}: {what}")

    doc = yaml.safe_load(open(a.compose))
    if a.schema:
        import jsonschema
        schema = json.load(open(a.schema))
        validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)(schema)
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            bad("/".join(str(p) for p in err.path) or "(top)", f"schema: {err.message}")

    base = os.path.dirname(os.path.abspath(a.compose))
    nets = {}
    for name, net in (doc.get("networks") or {}).items():
        net = net or {}
        if not net.get("internal"):
            bad(f"networks/{name}", "must be internal: true (no traffic may leave the lab)")
        subnets = [ipaddress.ip_network(c["subnet"]) for c in (net.get("ipam") or {}).get("config", [])]
        for s in subnets:
            if not (s.version == 4 and s.subnet_of(LAB4)) and not (s.version == 6 and s.subnet_of(ULA)):
                bad(f"networks/{name}", f"subnet {s} is outside 198.18.0.0/15 and fd00::/8")
        if not any(s.version == 6 for s in subnets) or not net.get("enable_ipv6"):
            bad(f"networks/{name}", "needs enable_ipv6 and an IPv6 ULA subnet")
        nets[name] = subnets

    seen = {}
    for sname, svc in (doc.get("services") or {}).items():
        for nname, cfg in (svc.get("networks") or {}).items():
            if nname not in nets:
                bad(f"services/{sname}/networks", f"unknown network {nname}")
                continue
            for key in ("ipv4_address", "ipv6_address"):
                if not cfg or key not in cfg:
                    bad(f"services/{sname}/networks/{nname}", f"needs a fixed {key}")
                    continue
                addr = ipaddress.ip_address(cfg[key])
                if not any(addr in s for s in nets[nname]):
                    bad(f"services/{sname}/networks/{nname}/{key}", f"{addr} is not in {nname}'s subnets")
                if addr in seen:
                    bad(f"services/{sname}/networks/{nname}/{key}", f"{addr} is also used by {seen[addr]}")
                seen[addr] = sname
        command = svc.get("command") or []
        role = command[0] if command else ""
        if role in ("core", "site"):
            if "NET_ADMIN" not in (svc.get("cap_add") or []):
                bad(f"services/{sname}/cap_add", "BIRD needs NET_ADMIN")
            mounts = [v.split(":") for v in svc.get("volumes") or []]
            if not any(m[1] == "/etc/bird/lab" and os.path.isdir(os.path.join(base, m[0])) for m in mounts if len(m) >= 2):
                bad(f"services/{sname}/volumes", "must mount lab/bird at /etc/bird/lab (and the directory must exist)")
        if role == "site":
            env = svc.get("environment") or {}
            conf = os.path.join(base, "..", "lab", "bird", "nodes", f"{env.get('SITE')}.conf")
            if not os.path.exists(conf):
                bad(f"services/{sname}/environment/SITE", f"no BIRD file {conf}")
                continue
            d = bird_defines(conf)
            for env_key, bird_key in (("SITE4", "ROUTER_ID"), ("CORE4", "CORE4"), ("CORE6", "CORE6")):
                if str(env.get(env_key)) != d.get(bird_key):
                    bad(f"services/{sname}/environment/{env_key}", f"{env.get(env_key)} disagrees with {bird_key} = {d.get(bird_key)} in {conf}")
            addrs = {str(v) for c in (svc.get("networks") or {}).values() for v in (c or {}).values()}
            if str(env.get("SITE4")) not in addrs or str(env.get("SITE6")) not in addrs:
                bad(f"services/{sname}/environment", "SITE4/SITE6 must be the service's own network addresses")

    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"{a.compose}: {len(doc.get('services', {}))} services, {len(nets)} networks: ok")


if __name__ == "__main__":
    main()

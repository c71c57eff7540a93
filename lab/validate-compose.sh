#!/usr/bin/env bash
# Validates docker/docker-compose.yml and the BIRD files it mounts, without a Docker engine:
#  1. `docker-compose config -q` (Debian's docker-compose: parses, interpolates and validates
#     against its bundled Compose specification schema; it does not contact a daemon);
#  2. lab/validate_compose.py: the same schema through python jsonschema, plus the lab's rules
#     (internal networks, subnets inside 198.18.0.0/15 and fd00::/8, fixed unique addresses,
#     NET_ADMIN, lab/bird mounted, site addresses agreeing with lab/bird/nodes/*.conf);
#  3. `bird -p` on every BIRD node file;
#  4. docker/Dockerfile: every file it COPYs from the build context exists; the shell scripts
#     it installs parse (`bash -n`).
set -euo pipefail
cd "$(dirname "$0")/.."
COMPOSE=docker/docker-compose.yml
fail=0
command -v docker-compose >/dev/null || { echo "validate-compose: docker-compose is not installed (apt-get install docker-compose)" >&2; exit 2; }
docker-compose -f "$COMPOSE" config -q && echo "$COMPOSE: docker-compose config: ok" || fail=1
SCHEMA=$(/usr/bin/python3 -c 'import compose.config, os; print(os.path.join(os.path.dirname(compose.config.__file__), "compose_spec.json"))')
/usr/bin/python3 lab/validate_compose.py "$COMPOSE" --schema "$SCHEMA" || fail=1
for f in lab/bird/nodes/*.conf; do
    bird -p -c "$f" && echo "$f: bird -p: ok" || fail=1
done
while read -r src; do
    [ -e "$src" ] && echo "docker/Dockerfile: COPY $src: ok" || { echo "docker/Dockerfile: COPY $src: no such file in the build context"; fail=1; }
done < <(awk '$1 == "COPY" && $2 !~ /^--/ { for (i = 2; i < NF; i++) print $i }' docker/Dockerfile)
bash -n docker/lab-entrypoint.sh || fail=1
bash -n lab/tack-site.sh || fail=1
exit $fail

#!/usr/bin/env bash
# Rewrites bench/micro/Thresholds/ (the static thresholds `make benchmark-check` compares with)
# from a fresh run of the PoolAnswer benchmarks. Run it after a change that intentionally moves
# a malloc count (fewer mallocs fail the check as an "improvement" until the file is updated).
#
# Kept: mallocCountTotal (exact, deterministic). Dropped: wall clock (this machine is shared;
# compare wall clock between two baselines instead: swift package benchmark baseline check).
# The pool/static ratio is not a measured value but the issue's budget: 525 +- 525 per mille,
# i.e. the check passes for a p90 ratio up to 1050 (see ratioThresholdMidpoint in
# bench/micro/Benchmarks/PoolAnswer/PoolAnswer.swift).
set -euo pipefail
cd "$(dirname "$0")"
swift package --allow-writing-to-package-directory benchmark thresholds update --target PoolAnswer --no-progress
python3 - <<'PY'
import glob, json
for f in sorted(glob.glob("Thresholds/PoolAnswer.*.p90.json")):
    d = json.load(open(f))
    d.pop("wallClock", None)
    if "pool over static (per mille)" in d:
        d["pool over static (per mille)"] = 525
    with open(f, "w") as out:
        json.dump(d, out, indent=2, sort_keys=True)
        out.write("\n")
    print(f, d)
PY

# Tack: the two commands a newcomer needs.
#   make run    serve the bundled zones with the default config
#   make test   install what the tests need (Debian packages), build, and run every test
SHELL := /bin/bash
SWIFT ?= swift

# Debian packages the tests use: libldns (codec oracle), dig/kdig/drill (clients),
# knot (reference answers), pkg-config (to find libldns), bind9-utils (named-checkzone, the
# zone-file parser oracle for $GENERATE and $INCLUDE), openssl (self-signed certificates for
# the HTTPS monitor tests), dnsperf (the soak), util-linux (setpriv: serving port 53 without root).
TEST_PACKAGES := pkg-config libldns-dev ldnsutils bind9-dnsutils bind9-utils knot-dnsutils knot openssl dnsperf util-linux

# Debian packages the anycast lab uses (make lab): BIRD, dig, ip/tc, nft (the silent link cut),
# gnuplot (the timeline PNG), python3, and docker-compose (validates docker/docker-compose.yml
# without an engine). The sites run tack itself (TACK_BIN, default .build/debug/tack: make build).
LAB_PACKAGES := bird2 bind9-dnsutils iproute2 nftables gnuplot-nox python3 docker-compose

.PHONY: all build run test deps benchmark benchmark-check dnsperf lab lab-deps lab-validate soak sanitize
all: build

build:
	$(SWIFT) build

run: build
	$(SWIFT) run tack serve

deps:
	@bash scripts/ensure-packages.sh $(TEST_PACKAGES)

# Everything: the short fuzz pass, the build, a short soak, the anycast lab (network namespaces
# need root; without it the lab is skipped with a message), then swift test, whose summary
# closes the output.
test: deps lab-deps
	bash scripts/fuzz.sh --ci
	$(SWIFT) build --build-tests
	SOAK_OUT=.build/soak bash scripts/soak.sh 30 5000
	@if [ "$$(id -u)" -eq 0 ]; then \
		bash lab/validate-compose.sh && bash lab/netns-lab.sh && bash lab/compose-sim.sh; \
	else echo "make test: skipping the anycast lab (network namespaces need root)"; fi
	$(SWIFT) test --skip-build

# The whole test suite under AddressSanitizer (with LeakSanitizer), then ThreadSanitizer, each
# in its own scratch directory (a full build each the first time).
sanitize: deps
	bash scripts/sanitize.sh address
	bash scripts/sanitize.sh thread

# The soak for the report: 30 minutes at 20,000 queries per second (release build).
soak:
	$(SWIFT) build -c release --product tack
	SOAK_TACK=.build/release/tack bash scripts/soak.sh 1800 20000

# Micro benchmarks in bench/micro (its own package): the codec, and a pool answer against a
# static one (issue #5).
benchmark:
	cd bench/micro && $(SWIFT) package --allow-writing-to-package-directory benchmark

# Issue #5's budget as a check against bench/micro/Thresholds: exact malloc counts per query,
# and a pool answer at most 5% dearer than a static one (p90 of the batched ratio). After a change
# that moves a malloc count on purpose: bench/micro/update-thresholds.sh
benchmark-check:
	cd bench/micro && $(SWIFT) package benchmark thresholds check --target PoolAnswer

# Tack beside NSD, Knot DNS and gdnsd with the project's own harness (bench/harness.py; see
# bench/README.md): installs the Debian packages, builds the release binary, then runs every
# workload (mix, distinct, flip, pool, zoneload) in setups pin1 and both: about 30 minutes on an idle
# 2-core machine. Loopback only; results in /tmp/tack-bench/<time>/summary.md.
#   make dnsperf BENCH_ARGS="--quick"                    a smoke run of a few minutes (not results)
#   make dnsperf BENCH_ARGS="--workloads mix --setups pin1"
#   make dnsperf TACK=/path/to/tack                      use that binary, skip the build
BENCH_PACKAGES := dnsperf nsd knot knot-dnsutils gdnsd util-linux python3
BENCH_ARGS ?=
TACK ?=
dnsperf:
	@bash scripts/ensure-packages.sh $(BENCH_PACKAGES)
	@if [ -z "$(TACK)" ]; then $(SWIFT) build -c release --product tack; fi
	python3 bench/harness.py --tack "$(or $(TACK),.build/release/tack)" $(BENCH_ARGS)

lab-deps:
	@bash scripts/ensure-packages.sh $(LAB_PACKAGES)

# The multi-site anycast lab in network namespaces (root; ~1 minute), the compose file checks,
# and the compose containers' entrypoint run in namespaces (no Docker engine needed).
lab: lab-deps lab-validate
	bash lab/netns-lab.sh
	bash lab/compose-sim.sh

lab-validate: lab-deps
	bash lab/validate-compose.sh

# Tack: the two commands a newcomer needs.
#   make run    serve the bundled zones with the default config
#   make test   install what the tests need (Debian packages), build, and run every test
SHELL := /bin/bash
SWIFT ?= swift

# Debian packages the tests use: libldns (codec oracle), dig/kdig/drill (clients),
# knot (reference answers), pkg-config (to find libldns), bind9-utils (named-checkzone, the
# zone-file parser oracle for $GENERATE and $INCLUDE), openssl (self-signed certificates for
# the HTTPS monitor tests).
TEST_PACKAGES := pkg-config libldns-dev ldnsutils bind9-dnsutils bind9-utils knot-dnsutils knot openssl

.PHONY: all build run test deps benchmark
all: build

build:
	$(SWIFT) build

run: build
	$(SWIFT) run tack serve

deps:
	@bash scripts/ensure-packages.sh $(TEST_PACKAGES)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

benchmark:
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

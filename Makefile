# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: demo test build release

demo:
	@scripts/ensure-system-packages
	swift run gloss demo

# Suites that run a server or client on loopback inside the test process (the live sync server,
# the web client, the page fetcher) run on their own: the simulation suites keep Swift's
# cooperative threads busy with SQLite work, which on a 2-core machine starves an event loop
# that shares the process, and its deadlines then fire. Everything else runs in parallel.
# The relay's tests (GlossRelayTests) talk to a private PostgreSQL through PostgresNIO's event
# loops, which starve the same way: they run apart too, after the others, with the cluster
# started for them. (Run together, the two halves' deadlines of 0.2–0.5 s took 5–6 s to fire on
# a slow 2-core machine in December 2026, and a relay took over 15 s to migrate its schema.)
IN_PROCESS_SERVERS = LiveServerTests|ServerSnapshotTests|HostileServerTests|BusyStoreTests|WebClientTests|PageFetcherTests
RELAY = GlossRelayTests
IN_PROCESS_NETWORK = $(IN_PROCESS_SERVERS)|$(RELAY)
# The many-relays tests restart their PostgreSQL cluster in the middle of a sync, which would cut
# every other suite's connections: they run last, alone, on a cluster of their own.
CLUSTER_RESTARTING = RelayManyServersTests

# The browser tests (Tests/Browser) drive headless Chromium against .build/debug/gloss, which
# `swift test` built (glossTests depends on the executable).
test:
	@scripts/ensure-system-packages --with-test-tools
	swift test --skip '$(IN_PROCESS_NETWORK)'
	swift test --skip-build --filter '$(IN_PROCESS_SERVERS)'
	scripts/with-postgres swift test --skip-build --filter '$(RELAY)' --skip '$(CLUSTER_RESTARTING)'
	scripts/with-postgres swift test --skip-build --filter '$(CLUSTER_RESTARTING)'
	scripts/browser-tests .build/debug/gloss

build:
	@scripts/ensure-system-packages
	swift build

# The Swift runtime and Foundation linked into the binary: every command starts about 7 ms
# sooner (no symbols bound across shared libraries at run time), and .build/release/gloss runs
# on a machine without Swift (it still links the system's libsqlite3, libxml2 with ICU and
# liblzma, zlib and libstdc++). SwiftPM sets this for every module, so it is a build flag and not
# a line of Package.swift; gloss-bench's figures are for this build (BENCHMARKS.md).
release:
	@scripts/ensure-system-packages
	swift build -c release --static-swift-stdlib

# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: demo test build release

demo:
	@scripts/ensure-system-packages
	swift run gloss demo

# The in-process live-server tests run on their own: the simulation suites keep Swift's
# cooperative threads busy with SQLite work, which on a 2-core machine starves a server that
# shares the process (requests then time out). Everything else runs in parallel.
test:
	@scripts/ensure-system-packages --with-test-tools
	swift test --skip LiveServerTests
	swift test --skip-build --filter LiveServerTests

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

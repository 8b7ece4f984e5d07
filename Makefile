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

release:
	@scripts/ensure-system-packages
	swift build -c release

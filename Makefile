# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: demo test build release

demo:
	@scripts/ensure-system-packages
	swift run gloss demo

test:
	@scripts/ensure-system-packages --with-test-tools
	swift test

build:
	@scripts/ensure-system-packages
	swift build

release:
	@scripts/ensure-system-packages
	swift build -c release

#!/usr/bin/env bash
# The test command: builds everything (the integration tests spawn the built `fulcrum` binary)
# with warnings as errors, then runs every test suite, one at a time: the integration suites spawn real
# processes and time real sockets, so they must not compete with each other for the two cores. The Python tools'
# own tests (tools/tests) run first.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pytest -q tools
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build --no-parallel "$@"

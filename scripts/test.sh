#!/usr/bin/env bash
# The test command: builds everything (the integration tests spawn the built `fulcrum` binary)
# with warnings as errors, then runs every test suite, one at a time: the integration suites spawn real
# processes and time real sockets, so they must not compete with each other for the two cores. The Python tools'
# own tests (tools/tests) run first, the Python client's after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pytest -q tools
swift build --build-tests -Xswiftc -warnings-as-errors
# The Python client's tests (clients/python/tests), in the venv .ci/run installs it into, against the binary just
# built ($FULCRUM_BINARY, else .build/debug/fulcrum, as for the Swift suites). Without that venv one is made; with
# one, the checkout's package is reinstalled so that it is what runs.
client_venv=/tmp/fulcrum-client-venv
rm -rf clients/python/build  # setuptools would package stale copies of removed modules from it
if [ -x "$client_venv/bin/python" ]; then
    "$client_venv/bin/pip" install -q --disable-pip-version-check --no-deps --force-reinstall ./clients/python
else
    python3 -m venv "$client_venv" && "$client_venv/bin/pip" install -q --disable-pip-version-check './clients/python[test]'
fi
"$client_venv/bin/python" -m pytest -q clients/python/tests
swift test --skip-build --no-parallel "$@"

#!/usr/bin/env bash
# Sets up a fresh machine, builds Fulcrum, runs it on its embedded simulated market and shows the
# published parameters live. Ctrl-C stops both (Fulcrum shuts down gracefully).
set -euo pipefail
cd "$(dirname "$0")/.."
# libzmq for the sockets, SQLite's headers for the checkpoint store (GRDB).
if ! pkg-config --exists libzmq sqlite3 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq libzmq3-dev libsqlite3-dev pkg-config >/dev/null
fi
swift build -c release --product fulcrum
.build/release/fulcrum run 2> fulcrum.log &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; echo "fulcrum stopped (log: fulcrum.log)"' EXIT INT TERM
sleep 2
echo "fulcrum is running (pid $pid, log in fulcrum.log); watching tcp://127.0.0.1:7601"
.build/release/fulcrum watch tcp://127.0.0.1:7601

#!/usr/bin/env bash
# Backtest throughput from a recorded file: 10 assets, TICKS ticks at RATE ticks per asset per second of event
# time, release build. Prints the replay rate `fulcrum backtest` reports (reading and checking the recording,
# decoding, validation, estimation, optimizer, coverage and update encoding; loading and report writing excluded).
#
#   scripts/backtest/benchmark.sh                # 10 M ticks, 100 ticks/asset/s, 1 s grid
#   TICKS=20000000 RATE=1000 GRID=1s scripts/backtest/benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
TICKS=${TICKS:-10000000}
RATE=${RATE:-100}
GRID=${GRID:-1s}
SCRATCH=${SCRATCH:-.build}
WORK=${WORK:-$(mktemp -d)}
swift build -c release --product fulcrum --scratch-path "$SCRATCH"
BIN="$SCRATCH/release/fulcrum"
if [ ! -f "$WORK/ticks.frec" ]; then
    python3 scripts/backtest/synthetic_ticks.py "$WORK/ticks.csv" --ticks "$TICKS" --assets 10 --rate "$RATE"
    "$BIN" record --from "$WORK/ticks.csv" --out "$WORK/ticks.frec"
    rm -f "$WORK/ticks.csv"
fi
cat > "$WORK/bench.yaml" <<YAML
estimation:
  gridInterval: $GRID
coverage:
  window: 250
YAML
ls -l "$WORK/ticks.frec"
for run in 1 2 3; do
    "$BIN" backtest "$WORK/ticks.frec" --config "$WORK/bench.yaml" > /dev/null
done
echo "recording kept in $WORK"

#!/usr/bin/env bash
# Backtest replay throughput: 10 assets, a 5 M-tick recording, `fulcrum backtest --no-series` run RUNS times;
# prints each run's "replayed … messages/s" line and the median.
#
#   scripts/bench/replay.sh [--runs N] [--ticks N] [--fulcrum PATH] [--dir DIR]
#
# The recording (≈ 440 MB for 5 M ticks) is written once into DIR (default /tmp/fulcrum-replay-bench) from the
# seeded CSV of `python3 -m fulcrum_tools.bench.replay_ticks`, through `fulcrum record --from`, and reused by later runs.
# The first run reads the file from disk; the median is taken over the runs after it (page cache warm).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS=7 TICKS=5000000 FULCRUM="" DIR=/tmp/fulcrum-replay-bench
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift ;;
        --ticks) TICKS="$2"; shift ;;
        --fulcrum) FULCRUM="$2"; shift ;;
        --dir) DIR="$2"; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$FULCRUM" ]; then
    swift build -c release --package-path "$ROOT" --scratch-path "$ROOT/.build-bench" --product fulcrum >&2
    FULCRUM="$ROOT/.build-bench/release/fulcrum"
fi
mkdir -p "$DIR"
RECORDING="$DIR/ticks-$TICKS.frec"
if [ ! -s "$RECORDING" ]; then
    python3 -m fulcrum_tools.bench.replay_ticks "$TICKS" "$DIR/ticks-$TICKS.csv"
    "$FULCRUM" record --from "$DIR/ticks-$TICKS.csv" --out "$RECORDING" --overwrite >&2
    rm -f "$DIR/ticks-$TICKS.csv"
fi
echo "fulcrum: $FULCRUM; recording: $RECORDING; load: $(cut -d' ' -f1-3 /proc/loadavg)"
rates=()
for run in $(seq 0 "$RUNS"); do
    line="$("$FULCRUM" backtest "$RECORDING" --out "$DIR/report" --no-series 2>&1 | grep '^replayed')"
    echo "run $run: $line"
    [ "$run" = 0 ] && continue
    rates+=("$(echo "$line" | sed -E 's/.*: ([0-9.e+]+) messages\/s.*/\1/')")
done
printf '%s\n' "${rates[@]}" | python3 -c "import statistics, sys
rates = [float(line) for line in sys.stdin if line.strip()]
print(f'median of {len(rates)} warm runs: {statistics.median(rates) / 1e6:.2f} M ticks/s '
      f'(min {min(rates) / 1e6:.2f}, max {max(rates) / 1e6:.2f})')"

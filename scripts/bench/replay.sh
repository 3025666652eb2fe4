#!/usr/bin/env bash
# Backtest replay throughput: 10 assets, a 5 M-tick recording, `fulcrum backtest --no-series` run RUNS times with
# the steps on the step thread (the default) and, interleaved, RUNS times with them on the replaying thread
# (`stepThread: false`, the baseline); prints each run's "replayed … messages/s" line, both medians and their ratio.
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
printf 'stepThread: false\n' >"$DIR/inline.yaml"
: >"$DIR/rates"
for run in $(seq 0 "$RUNS"); do
    for variant in thread inline; do
        config=()
        [ "$variant" = inline ] && config=(--config "$DIR/inline.yaml")
        line="$("$FULCRUM" backtest "$RECORDING" "${config[@]}" --out "$DIR/report" --no-series 2>&1 | grep '^replayed')"
        echo "run $run $variant: $line"
        [ "$run" = 0 ] && continue
        echo "$variant $(echo "$line" | sed -E 's/.*: ([0-9.e+]+) messages\/s.*/\1/')" >>"$DIR/rates"
    done
done
python3 - "$DIR/rates" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    variant, rate = line.split()
    rates.setdefault(variant, []).append(float(rate))
for variant, label in (("thread", "step thread"), ("inline", "steps inline (stepThread: false)")):
    values = rates.get(variant, [])
    if values:
        print(f"{label}: median of {len(values)} warm runs {statistics.median(values) / 1e6:.2f} M ticks/s "
              f"(min {min(values) / 1e6:.2f}, max {max(values) / 1e6:.2f})")
if rates.get("thread") and rates.get("inline"):
    print(f"ratio: {statistics.median(rates['thread']) / statistics.median(rates['inline']):.2f}")
PY

#!/usr/bin/env bash
# Grid-step micro-benchmark through the engine: the dense-grid shape (one tick per symbol per 1 s step) at
# N = 100, 1,000 and 10,000 assets; per step, the thread CPU time and the wall time of the tick that closes the
# interval (estimator, every asset's optimizer update, coverage, the encoding of every update and of the
# portfolio), every asset republished at every step. One JSON line per N (see
# Benchmarks/Sources/fulcrum-step-bench/StepBench.swift). `--factors "0 32"` runs each N once per factor count:
# 0 is the full correlation matrix, K > 0 the estimator's factor model with K factors (`estimation.correlationModel`),
# whose portfolio goes out in factor form.
#
#   scripts/bench/step.sh [--assets "100 1000 10000"] [--factors "0"] [--steps N] [--scratch DIR] [--no-build]
#
# Warm-up: 1,200 steps, so that every asset has the 1,000 residuals the historical tail needs and the steps
# measured are those of a running service (the tail caches, ETA and encoders in their steady state).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ASSETS="100 1000 10000" FACTORS="0" STEPS=1000 SCRATCH="$ROOT/.build-bench/harness" BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --assets) ASSETS="$2"; shift ;;
        --steps) STEPS="$2"; shift ;;
        --factors) FACTORS="$2"; shift ;;
        --scratch) SCRATCH="$2"; shift ;;
        --no-build) BUILD=0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$BUILD" = 1 ]; then
    swift build -c release --package-path "$ROOT/Benchmarks" --scratch-path "$SCRATCH" --product fulcrum-step-bench >&2
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for n in $ASSETS; do
    steps="$STEPS"
    # Fewer measured steps where one step takes milliseconds; the warm-up stays long enough for the tails.
    [ "$n" -ge 10000 ] && steps=$((STEPS / 10 > 20 ? STEPS / 10 : 20))
    for k in $FACTORS; do
        "$SCRATCH/release/fulcrum-step-bench" --assets "$n" --factors "$k" --warmup 1200 --steps "$steps"
    done
done

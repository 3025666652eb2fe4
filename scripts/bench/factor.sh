#!/usr/bin/env bash
# Statistical factor model micro-benchmark: FactorCovariance.update at N = 1,000 and 10,000 assets with k = 10 and 32
# factors (thread CPU time per update, mean and p99; the model's bytes), beside the full EWMA matrix's grid step
# (RiskEstimator, O(N²)) at N = 1,000 in the same run, and the factor model's correlation error against that full
# matrix on the same returns. One JSON line per measurement (see
# Benchmarks/Sources/fulcrum-factor-bench/FactorBench.swift).
#
#   scripts/bench/factor.sh [--assets "1000 10000"] [--factors "10 32"] [--full-assets "1000"] [--steps N]
#                           [--scratch DIR] [--no-build] [--allocations]
#
# --allocations: instead, heap allocations per update of the factor model (N = 1,000, k = 10): two runs under an
# LD_PRELOAD counter (scripts/bench/malloc_count.c) that differ only in the number of measured updates; the
# difference in allocations divided by the difference in updates (must be 0).
#
# Warm-up: 600 steps (10 half-lives of the default 60 s), so that the estimates and the factors have settled.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ASSETS="1000 10000" FACTORS="10 32" FULL="1000" STEPS=400 SCRATCH="$ROOT/.build-bench/factor" BUILD=1 ALLOCATIONS=0
while [ $# -gt 0 ]; do
    case "$1" in
        --assets) ASSETS="$2"; shift ;;
        --factors) FACTORS="$2"; shift ;;
        --full-assets) FULL="$2"; shift ;;
        --steps) STEPS="$2"; shift ;;
        --scratch) SCRATCH="$2"; shift ;;
        --no-build) BUILD=0 ;;
        --allocations) ALLOCATIONS=1 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$BUILD" = 1 ]; then
    swift build -c release --package-path "$ROOT/Benchmarks" --scratch-path "$SCRATCH" --product fulcrum-factor-bench >&2
fi
if [ "$ALLOCATIONS" = 1 ]; then
    work="$(mktemp -d)"
    cc -O2 -shared -fPIC -o "$work/malloc_count.so" "$ROOT/scripts/bench/malloc_count.c"
    for steps in 100 300; do
        MALLOC_COUNT_FILE="$work/allocations-$steps.txt" LD_PRELOAD="$work/malloc_count.so" \
            "$SCRATCH/release/fulcrum-factor-bench" --assets 1000 --factors 10 --full-assets 0 --warmup 100 \
            --steps "$steps" >/dev/null
    done
    a1="$(cat "$work/allocations-100.txt")" a2="$(cat "$work/allocations-300.txt")"
    echo "{\"allocationsPerUpdate\": $(( (a2 - a1) / 200 )), \"allocations100\": $a1, \"allocations300\": $a2}"
    rm -rf "$work"
    exit 0
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$SCRATCH/release/fulcrum-factor-bench" --assets "$ASSETS" --factors "$FACTORS" --full-assets "$FULL" \
    --warmup 600 --steps "$STEPS"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

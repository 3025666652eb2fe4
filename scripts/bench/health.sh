#!/usr/bin/env bash
# Protocol health at scale: 1,000,000 positions over 100 markets, the aggregates of one grid step and the stress
# cascades, beside the code before the flat market arrays and the per-market screen (figures checked equal bit for
# bit) and a streaming floor; thread CPU time, peak RSS. The stress runs serially (thread CPU time) and on
# `--threads` threads (default the active processor count; process CPU and wall time), the two reports checked
# equal bit for bit (`parallelIdentical`). One JSON line per workload (see
# Benchmarks/Sources/fulcrum-health-bench/HealthBench.swift).
#
#   scripts/bench/health.sh [--scratch DIR] [--no-build] [-- extra fulcrum-health-bench options]
#
# Two workloads: books as deep as 1 % of each market's open interest (`--depth-share-bp 100`), and the fixed books
# of the micro-benchmark (0.2–2.2 M a side, about 0.1 % of open interest: cascades of many capacity-bound rounds),
# the latter with fewer scenarios. The baseline's cascades take seconds each at this size, hence a small sample.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="$ROOT/.build-bench/harness" BUILD=1 EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --scratch) SCRATCH="$2"; shift ;;
        --no-build) BUILD=0 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$BUILD" = 1 ]; then
    swift build -c release --package-path "$ROOT/Benchmarks" --scratch-path "$SCRATCH" --product fulcrum-health-bench >&2
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$SCRATCH/release/fulcrum-health-bench" --depth-share-bp 100 --scenarios 1000 --repeats 1 --baseline-scenarios 2 \
    ${EXTRA[@]+"${EXTRA[@]}"}
"$SCRATCH/release/fulcrum-health-bench" --scenarios 20 --repeats 1 --iterations 5 --baseline-scenarios 1 \
    --baseline-iterations 1 ${EXTRA[@]+"${EXTRA[@]}"}

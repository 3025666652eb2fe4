#!/usr/bin/env bash
# End-to-end benchmark of Fulcrum against the physical limit (a raw libzmq relay) and the Python alternative.
#
#   scripts/bench.sh [--smoke] [--repeat N] [--out DIR] [--no-build] [--no-python]
#                    [--ticks-per-event-second N] [--fulcrum PATH] [--perf] [--allocations] [--nice N]
#                    [--shape both|sparse|dense|books]
#
# Separate processes over tcp loopback: load generator → system under test → subscriber, 100 symbols on a
# 1 s event-time grid (see Benchmarks/README.md for the method). Two shapes of load: *sparse*, T ticks per
# event second (default 5,000: 50 ticks per symbol per grid step, which amortizes the step 50×), and *dense*,
# one tick per symbol per step (T = 100: replays, catch-up after a gap, backtests and short grids, where the
# step cost is undiluted; `-dense-inline-` runs are Fulcrum with its steps on the ingest thread, `stepThread: false`,
# beside the default step thread). The dense runs (`-dense-` in their names) have their own relay and Python baselines
# for both encodings, in the same repeat. Per repeat, for the relay, Fulcrum (protobuf,
# cryptofeed JSON, and protobuf with a JSON consumer attached as well: `-jsonsub`, since Fulcrum renders JSON
# renditions only while someone subscribes to them) and Python (protobuf):
#   -max: drain rate of ticks sent as fast as possible (unlimited high-water marks, loss checked against the
#         target's own counters);
#   -sustained: the highest paced rate kept up with (bisection, see `sustained` below);
#   -p10, -p80: closing-tick → last-update latency paced at 10 % and 80 % of the sustained rate; for Fulcrum
#         also its own step latency (receipt of the closing tick → last update queued) from its /metrics.
# Results: DIR/runs.jsonl (one JSON object per run) and DIR/results.md (medians, ratios, targets).
#
# --perf: also samples each max-throughput run of Fulcrum with `perf record -e cpu-clock -g` (DIR/*/perf.data;
# read with `perf report -i FILE --no-children`).
# --allocations: only measures heap allocations per tick of the whole Fulcrum process (LD_PRELOAD counter,
# scripts/bench/malloc_count.c): two max-throughput runs with the same number of grid steps and 600,000 ticks
# apart; the difference in allocations divided by the difference in ticks.
# --nice N: runs the load generator, the target and the subscriber at that niceness (e.g. -15 as root on a
# machine shared with compile jobs, so that other users' processes do not preempt the pipeline).
# --shape: which load shapes to run (default both); the sparse shape keeps all its runs, the dense shape runs
# -max and -sustained for the relay and Fulcrum and -max for Python, each with protobuf and cryptofeed JSON.
# --shape books: only the book shape — top-20 order books of the 100 symbols on one venue, two-level deltas
# (cryptofeed BookZMQ JSON and protobuf MarketUpdate), with one trade per symbol per event second so that the grid
# steps; 20,000 messages per event second (100 trades, 19,900 deltas). -max runs of the relay and Fulcrum per
# encoding; the figure is book-level updates per second (bookLevelThroughput: the deltas' levels over the same span
# as throughput), compared with the relay's in the same repeat.
# --smoke: small counts, one repeat, debug builds are fine; checks that everything works and nothing is lost
# (well under a minute once built). It uses $FULCRUM_BINARY or .build/debug/fulcrum when present.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SMOKE=0 REPEAT=3 OUT="" BUILD=1 PYTHON=1 PER_SECOND=5000 PERF=0 ALLOCATIONS=0 WARMUP=3 NICE=0 FULCRUM="${FULCRUM_BINARY:-}"
SHAPE=both
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) SMOKE=1; REPEAT=1 ;;
        --repeat) REPEAT="$2"; shift ;;
        --out) OUT="$2"; shift ;;
        --no-build) BUILD=0 ;;
        --no-python) PYTHON=0 ;;
        --ticks-per-event-second) PER_SECOND="$2"; shift ;;
        --fulcrum) FULCRUM="$2"; shift ;;
        --perf) PERF=1 ;;
        --allocations) ALLOCATIONS=1 ;;
        --nice) NICE="$2"; shift ;;
        --shape) SHAPE="$2"; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
OUT="${OUT:-$(mktemp -d /tmp/fulcrum-bench.XXXXXX)}"
mkdir -p "$OUT"
: > "$OUT/runs.jsonl"

# Builds: release for measurements, in their own scratch folders (the main tree's .build is left alone).
if [ "$SMOKE" = 1 ]; then CONFIG=debug; else CONFIG=release; fi
HARNESS_SCRATCH="$ROOT/.build-bench/harness"
if [ -z "$FULCRUM" ]; then
    if [ "$SMOKE" = 1 ] && [ -x "$ROOT/.build/debug/fulcrum" ]; then
        FULCRUM="$ROOT/.build/debug/fulcrum"
    else
        [ "$BUILD" = 1 ] && swift build -c "$CONFIG" --scratch-path "$ROOT/.build-bench" --product fulcrum
        FULCRUM="$ROOT/.build-bench/$CONFIG/fulcrum"
    fi
fi
if [ "$BUILD" = 1 ]; then
    for product in fulcrum-bench fulcrum-bench-relay; do
        swift build -c "$CONFIG" --package-path Benchmarks --scratch-path "$HARNESS_SCRATCH" --product "$product"
    done
fi
BENCH="$HARNESS_SCRATCH/$CONFIG/fulcrum-bench"
RELAY="$HARNESS_SCRATCH/$CONFIG/fulcrum-bench-relay"

if [ "$SMOKE" = 1 ]; then
    MAX_TICKS=20000 MAX_TICKS_JSON=20000 MAX_TICKS_PY=10000 P10_SECONDS=1 P80_SECONDS=1 SETTLE=0.3
    PROBES=1 PROBE_SECONDS=1 LAG_MS=1000 DENSE_TICKS=5000 DENSE_TICKS_PY=2000 BOOK_TICKS=40000
else
    MAX_TICKS=3000000 MAX_TICKS_JSON=2000000 MAX_TICKS_PY=300000 P10_SECONDS=15 P80_SECONDS=8 SETTLE=1
    PROBES=4 PROBE_SECONDS=4 LAG_MS=100
    # Dense shape: 3,000 grid steps (the Python service takes about 1,000 in its run).
    DENSE_TICKS=300000 DENSE_TICKS_PY=100000
    # Book shape: 100 event seconds.
    BOOK_TICKS=2000000
fi
BOOK_PER_SECOND=20000
SYMBOLS=100
CLK_TCK="$(getconf CLK_TCK)"

# Processes of the run in progress (emptied once they are reaped), ended on the way out if a run fails half-way.
STARTED=()
stop_started() {
    local pid
    for pid in "${STARTED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
}
trap stop_started EXIT

free_ports() {
    python3 -m fulcrum_tools.ports 4
}

# CPU seconds (user + system) of a process so far.
cpu_seconds() {
    awk -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); print ($12 + $13) / tck }' "/proc/$1/stat"
}

fulcrum_config() { # FEED PUB SNAP HTTP ENCODING
    local names
    names="$(python3 -c "import sys
n, enc = int(sys.argv[1]), sys.argv[2]
print(', '.join(('SYM%03d' if enc == 'fulcrum-protobuf' else 'S%03d-USD') % i for i in range(n)))" "$SYMBOLS" "$5")"
    cat <<YAML
ingest:
  feeds:
    - name: bench
      endpoint: tcp://127.0.0.1:$1
      bind: true
      encoding: $5
  symbols:
    allowList: [$names]
  validation:
    maximumAge: 24h
    maximumFutureSkew: 24h
estimation:
  gridInterval: 1s
model:
  governance:
    refreshIntervalNs: 1s
publisher:
  publishEndpoint: tcp://127.0.0.1:$2
  snapshotEndpoint: tcp://127.0.0.1:$3
  sendHighWaterMark: 0
http:
  address: 127.0.0.1:$4
${STEP_THREAD:+stepThread: $STEP_THREAD}
YAML
}

# run_case NAME TARGET(relay|fulcrum|python) ENCODING(protobuf|cryptofeed) RATE(0 = max) TICKS REPEAT
run_case() {
    local name="$1" target="$2" encoding="$3" rate="$4" ticks="$5" repeat="$6"
    local dir="$OUT/$repeat-$name" ports feed pub snap http pid mode="updates"
    rm -rf "$dir"
    mkdir -p "$dir"
    read -r feed pub snap http <<<"$(free_ports)"
    case "$target" in
        relay)
            mode="count"
            nice -n "$NICE" env ${TARGET_ENV:-} "$RELAY" "tcp://127.0.0.1:$feed" "tcp://127.0.0.1:$pub" >"$dir/target.out" 2>"$dir/target.err" &
            ;;
        fulcrum)
            local feed_encoding="fulcrum-protobuf"
            case "$encoding" in cryptofeed*) feed_encoding="cryptofeed" ;; esac
            fulcrum_config "$feed" "$pub" "$snap" "$http" "$feed_encoding" >"$dir/fulcrum.yaml"
            nice -n "$NICE" env ${TARGET_ENV:-} "$FULCRUM" run --config "$dir/fulcrum.yaml" --log-level info \
                >"$dir/target.out" 2>"$dir/target.err" &
            ;;
        python)
            nice -n "$NICE" python3 -m fulcrum_tools.bench.alternative --feed "tcp://127.0.0.1:$feed" \
                --publish "tcp://127.0.0.1:$pub" --encoding "$encoding" >"$dir/target.out" 2>"$dir/target.err" &
            ;;
    esac
    pid=$!
    STARTED+=("$pid")
    local json_sink=""
    if [ "${JSON_SUBSCRIBER:-0}" = 1 ]; then
        nice -n "$NICE" python3 -m fulcrum_tools.bench.json_sink "tcp://127.0.0.1:$pub" >"$dir/json-sink.json" 2>&1 &
        json_sink=$!
        STARTED+=("$json_sink")
    fi
    nice -n "$NICE" "$BENCH" sink --endpoint "tcp://127.0.0.1:$pub" --mode "$mode" --load-summary "$dir/load.json" \
        --side-table "$dir/closing.bin" >"$dir/sink.json" 2>"$dir/sink.err" &
    local sink=$!
    STARTED+=("$sink")
    sleep "$SETTLE"
    local cpu_before perf=""
    cpu_before="$(cpu_seconds "$pid")"
    if [ "$PERF" = 1 ] && [ "$target" = fulcrum ] && [ "$rate" = 0 ]; then
        perf record -e cpu-clock -F 1999 -g -p "$pid" -o "$dir/perf.data" >/dev/null 2>&1 &
        perf=$!
    fi
    nice -n "$NICE" "$BENCH" load --endpoint "tcp://127.0.0.1:$feed" --encoding "$encoding" --symbols "$SYMBOLS" \
        --ticks "$ticks" --rate "$rate" --ticks-per-event-second "$PER_SECOND" \
        --warmup-seconds "$WARMUP" --summary "$dir/load.json" --side-table "$dir/closing.bin" >/dev/null 2>"$dir/load.err"
    wait "$sink"
    if [ -n "$perf" ]; then kill -INT "$perf"; wait "$perf" || true; fi
    local cpu_after rss
    cpu_after="$(cpu_seconds "$pid")"
    rss="$(awk '/^VmHWM/ { print $2 / 1024 }' "/proc/$pid/status")"
    echo '{}' >"$dir/steps.json"
    [ "$target" = fulcrum ] && python3 -m fulcrum_tools.bench.step_latency "http://127.0.0.1:$http/metrics" >"$dir/steps.json"
    if [ -n "$json_sink" ]; then kill -TERM "$json_sink"; wait "$json_sink" || true; fi
    kill -TERM "$pid"
    wait "$pid" || true
    STARTED=()
    local received
    case "$target" in
        relay) received="$(jq .relayed "$dir/target.out")" ;;
        fulcrum) received="$(grep -o 'fulcrum.ticks.received=[0-9]*' "$dir/target.err" | tail -1 | cut -d= -f2)" ;;
        python) received="$(jq .received "$dir/target.out")" ;;
    esac
    jq -c --arg name "$name" --arg target "$target" --arg encoding "$encoding" --argjson repeat "$repeat" \
        --argjson rate "$rate" --argjson received "${received:-0}" --argjson cpu "$(echo "$cpu_after - $cpu_before" | bc -l)" \
        --argjson rss "${rss:-0}" --slurpfile load "$dir/load.json" --slurpfile steps "$dir/steps.json" '
        . + $steps[0] + {name: $name, target: $target, encoding: $encoding, repeat: $repeat, rate: $rate,
             sent: $load[0].sent, received: $received, lossless: ($received == $load[0].sent),
             lagMs: ((.endNs - $load[0].lastSendNs) / 1e6),
             cpuSeconds: $cpu, cpuPerMillion: ($cpu / ($load[0].sent / 1e6)), rssMB: $rss}' \
        "$dir/sink.json" | tee -a "$OUT/runs.jsonl"
}

throughput_of() { # NAME REPEAT
    jq -r --arg name "$1" --argjson repeat "$2" 'select(.name == $name and .repeat == $repeat) | .throughput' \
        "$OUT/runs.jsonl" | tail -1
}

echo "fulcrum: $FULCRUM; results in $OUT; niceness $NICE; load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$ALLOCATIONS" = 1 ]; then
    cc -O2 -shared -fPIC -o "$OUT/malloc_count.so" scripts/bench/malloc_count.c
    for target in fulcrum relay; do
        for size in 1 2; do
            PER_SECOND=$((size * 100000)) WARMUP=1 \
                TARGET_ENV="LD_PRELOAD=$OUT/malloc_count.so MALLOC_COUNT_FILE=$OUT/$target-allocations-$size.txt" \
                run_case "$target-protobuf-allocations-$size" "$target" protobuf 0 $((size * 600000)) 1 >/dev/null
        done
        jq -rs --arg target "$target" 'map(select(.target == $target)) |
            $target + ": allocations per tick (whole process, 7 grid steps in both runs): " +
            ((($a2 - $a1) / (.[1].sent - .[0].sent)) | tostring) + " = (" + ($a2 | tostring) + " - " +
            ($a1 | tostring) + ") / (" + (.[1].sent | tostring) + " - " + (.[0].sent | tostring) + ")"' \
            --argjson a1 "$(cat "$OUT/$target-allocations-1.txt")" \
            --argjson a2 "$(cat "$OUT/$target-allocations-2.txt")" "$OUT/runs.jsonl" | tee -a "$OUT/allocations.txt"
    done
    exit 0
fi
kept_up() { # NAME: whether the last run recorded under NAME kept up (see `sustained`)
    jq -r --arg name "$1" --argjson lag "$LAG_MS" 'select(.name == $name) | .complete and .lossless and
        .lagMs <= $lag and (.p99us // 0) <= $lag * 1000' "$OUT/runs.jsonl" | tail -1
}

# sustained NAME TARGET ENCODING REPEAT: the highest paced rate the target keeps up with, by bisection between
# 20 % and 105 % of its drain rate (NAME-max of this repeat). A probe is kept up with when it is lossless, the
# last update of its final step arrives within LAG_MS of the last send (no backlog left at the end), and, for
# targets that publish steps (Fulcrum, Python), the p99 closing-tick → last-update latency is within LAG_MS too
# (no backlog built up and drained on the way, which the end alone does not show). The relay publishes no steps,
# so only the first two apply to it: a stricter test for the others, never a looser one. The result is then
# confirmed over a probe twice as long. Records NAME-sustained.
sustained() {
    local name="$1" target="$2" encoding="$3" repeat="$4" drain lo hi rate best=0 probe ok
    drain="$(throughput_of "$name-max" "$repeat")"
    lo="$(echo "$drain * 0.2" | bc -l | cut -d. -f1)"
    hi="$(echo "$drain * 1.05" | bc -l | cut -d. -f1)"
    best="$lo"
    for probe in $(seq 1 "$PROBES"); do
        rate=$(((lo + hi) / 2))
        run_case "$name-probe" "$target" "$encoding" "$rate" "$((rate * PROBE_SECONDS))" "$repeat" >/dev/null
        ok="$(kept_up "$name-probe")"
        if [ "$ok" = true ]; then lo="$rate" best="$rate"; else hi="$rate"; fi
    done
    # A short probe can pass on a quiet stretch: confirm the rate over twice the probe time, stepping down 10 %
    # until it holds (up to 3 tries), so that the 80 % run that follows is within capacity.
    for probe in 1 2 3; do
        run_case "$name-confirm" "$target" "$encoding" "$best" "$((best * PROBE_SECONDS * 2))" "$repeat" >/dev/null
        [ "$(kept_up "$name-confirm")" = true ] && break
        best=$((best * 9 / 10))
    done
    jq -cn --arg name "$name-sustained" --argjson repeat "$repeat" --argjson best "$best" --arg target "$target" \
        '{name: $name, target: $target, repeat: $repeat, throughput: $best, rate: $best, complete: true,
          lossless: true}' | tee -a "$OUT/runs.jsonl"
}

# The dense shape: one tick per symbol per grid step, every encoding against its own relay and Python baselines.
dense_runs() { # REPEAT
    local repeat="$1" encoding
    for encoding in protobuf cryptofeed; do
        PER_SECOND="$SYMBOLS" TARGET_ENV="" run_case "relay-$encoding-dense-max" relay "$encoding" 0 "$DENSE_TICKS" "$repeat"
        PER_SECOND="$SYMBOLS" TARGET_ENV="" run_case "fulcrum-$encoding-dense-max" fulcrum "$encoding" 0 "$DENSE_TICKS" \
            "$repeat"
        # The same with the steps on the ingest thread (stepThread: false): what the step thread gains.
        PER_SECOND="$SYMBOLS" TARGET_ENV="" STEP_THREAD=false run_case "fulcrum-$encoding-dense-inline-max" fulcrum \
            "$encoding" 0 "$DENSE_TICKS" "$repeat"
        [ "$PYTHON" = 1 ] && PER_SECOND="$SYMBOLS" TARGET_ENV="" \
            run_case "python-$encoding-dense-max" python "$encoding" 0 "$DENSE_TICKS_PY" "$repeat"
        PER_SECOND="$SYMBOLS" TARGET_ENV="" sustained "relay-$encoding-dense" relay "$encoding" "$repeat"
        PER_SECOND="$SYMBOLS" TARGET_ENV="" sustained "fulcrum-$encoding-dense" fulcrum "$encoding" "$repeat"
    done
}

# The book shape: book deltas of 100 top-20 books and the trades that step the grid, against the relay.
book_runs() { # REPEAT
    local repeat="$1" encoding
    for encoding in cryptofeed-book protobuf-book; do
        PER_SECOND="$BOOK_PER_SECOND" TARGET_ENV="" run_case "relay-$encoding-max" relay "$encoding" 0 "$BOOK_TICKS" \
            "$repeat"
        PER_SECOND="$BOOK_PER_SECOND" TARGET_ENV="" run_case "fulcrum-$encoding-max" fulcrum "$encoding" 0 \
            "$BOOK_TICKS" "$repeat"
    done
}

for repeat in $(seq 1 "$REPEAT"); do
    if [ "$SHAPE" = books ]; then
        book_runs "$repeat"
        continue
    fi
    [ "$SHAPE" = sparse ] || dense_runs "$repeat"
    [ "$SHAPE" = dense ] && continue
    TARGET_ENV="" run_case relay-protobuf-max relay protobuf 0 "$MAX_TICKS" "$repeat"
    TARGET_ENV="" run_case fulcrum-protobuf-max fulcrum protobuf 0 "$MAX_TICKS" "$repeat"
    TARGET_ENV="" run_case fulcrum-cryptofeed-max fulcrum cryptofeed 0 "$MAX_TICKS_JSON" "$repeat"
    # Fulcrum with a JSON consumer attached, so that every update is also rendered as JSON: what that costs (the
    # Python service publishes protobuf only).
    JSON_SUBSCRIBER=1 TARGET_ENV="" run_case fulcrum-protobuf-jsonsub-max fulcrum protobuf 0 "$MAX_TICKS" "$repeat"
    [ "$PYTHON" = 1 ] && TARGET_ENV="" run_case python-protobuf-max python protobuf 0 "$MAX_TICKS_PY" "$repeat"
    TARGET_ENV="" sustained relay-protobuf relay protobuf "$repeat"
    TARGET_ENV="" sustained fulcrum-protobuf fulcrum protobuf "$repeat"
    TARGET_ENV="" sustained fulcrum-cryptofeed fulcrum cryptofeed "$repeat"
    JSON_SUBSCRIBER=1 TARGET_ENV="" sustained fulcrum-protobuf-jsonsub fulcrum protobuf "$repeat"
    [ "$PYTHON" = 1 ] && TARGET_ENV="" sustained python-protobuf python protobuf "$repeat"
    for variant in fulcrum-protobuf fulcrum-protobuf-jsonsub python-protobuf; do
        target="${variant%%-*}" json=0
        [ "$target" = python ] && [ "$PYTHON" = 0 ] && continue
        [ "$variant" = fulcrum-protobuf-jsonsub ] && json=1
        max="$(throughput_of "$variant-sustained" "$repeat")"
        for level in 10 80; do
            seconds="$P10_SECONDS"
            [ "$level" = 80 ] && seconds="$P80_SECONDS"
            rate="$(echo "$max * $level / 100" | bc -l | cut -d. -f1)"
            [ "${rate:-0}" -gt 0 ] || rate=1000
            JSON_SUBSCRIBER="$json" TARGET_ENV="" \
                run_case "$variant-p$level" "$target" protobuf "$rate" "$((rate * seconds))" "$repeat"
        done
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
SMOKE_FLAG=""
[ "$SMOKE" = 1 ] && SMOKE_FLAG="--smoke"
python3 -m fulcrum_tools.bench.summarize "$OUT/runs.jsonl" --markdown "$OUT/results.md" $SMOKE_FLAG

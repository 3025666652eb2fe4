#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (with AddressSanitizer) and runs each for N seconds (default 20) on its
# seed corpus in Fuzz/Corpus/. Exits non-zero on the first crash; the input is kept in Fuzz/.build/artifacts/.
#
#   scripts/fuzz.sh [seconds-per-target] [target ...]
#
# Environment: FUZZ_CONFIGURATION=release|debug (default release: more executions per second; Swift's overflow
# and bounds checks stay on in both), FUZZ_JOBS (swift build -j, default 2).
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"

seconds="${1:-20}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(ProtobufDecoderFuzzer CryptofeedDecoderFuzzer IngestFuzzer ProtobufMarketDecoderFuzzer)
fi
configuration="${FUZZ_CONFIGURATION:-release}"

started=$(date +%s)
# One combined -sanitize=fuzzer,address for the compiler: SwiftPM passes `--sanitize` values as separate flags in
# a per-process hash order, and in one of the two orders the compiler leaves out the fuzzer's coverage
# instrumentation, so that libFuzzer mutates blindly ("Is the code instrumented for coverage?"). `--sanitize=fuzzer`
# stays so that SwiftPM lets libFuzzer supply `main` at link time; the run below fails without coverage.
swift build -c "$configuration" -j "${FUZZ_JOBS:-2}" --sanitize=fuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
echo "fuzz: build took $(( $(date +%s) - started )) s"

corpus_of() {
    case "$1" in
        ProtobufDecoderFuzzer) echo protobuf ;;
        CryptofeedDecoderFuzzer) echo cryptofeed ;;
        IngestFuzzer) echo ingest ;;
        ProtobufMarketDecoderFuzzer) echo market ;;
        *) echo "unknown fuzz target $1" >&2; exit 2 ;;
    esac
}

binaries=".build/$configuration"
mkdir -p .build/artifacts
for target in "${targets[@]}"; do
    seeds="Corpus/$(corpus_of "$target")"
    work=".build/corpus/$target"
    mkdir -p "$work"
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1
             -artifact_prefix=".build/artifacts/$target-")
    if [ "$target" = CryptofeedDecoderFuzzer ]; then options+=(-dict=cryptofeed.dict); fi
    extra=()
    if [ "$target" = IngestFuzzer ] && [ -d Corpus/regressions ]; then extra+=(Corpus/regressions); fi
    echo "fuzz: $target for $seconds s on $seeds"
    log=".build/fuzz-$target.log"
    # The first directory receives new inputs; the committed seeds are only read.
    set +e
    "$binaries/$target" "${options[@]}" "$work" "$seeds" "${extra[@]}" >"$log" 2>&1
    status=$?
    set -e
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|peak_rss_mb)" "$log" || true
    if [ "$status" -eq 0 ] && ! grep -q "^INFO: Loaded [0-9]* modules" "$log"; then
        echo "fuzz: $target is not instrumented for coverage (see $log)" >&2
        exit 1
    fi
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$log" >&2
        echo "fuzz: $target failed (status $status); the input is in Fuzz/.build/artifacts/" >&2
        exit 1
    fi
done
echo "fuzz: all targets ran $seconds s without a crash"

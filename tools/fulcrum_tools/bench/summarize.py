"""Summarizes the runs of scripts/bench.sh (runs.jsonl): medians over repeats, ratios, targets.

    python3 -m fulcrum_tools.bench.summarize RUNS_JSONL [--markdown FILE] [--smoke]

Prints a Markdown table; with --markdown also writes it to FILE; --smoke leaves out the targets (smoke-test
counts are far too small for the figures to mean anything). Exits 1 when a run lost ticks or did not
complete, so that the smoke mode fails loudly.
"""
import json
import statistics
import sys


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0, unit=""):
    if value is None:
        return "–"
    if digits == 0:
        return f"{value:,.0f}{unit}"
    return f"{value:,.{digits}f}{unit}"


def main():
    path = sys.argv[1]
    markdown_path = sys.argv[sys.argv.index("--markdown") + 1] if "--markdown" in sys.argv else None
    # Bisection probes are diagnostics, summarized by their -sustained record.
    runs = [json.loads(line) for line in open(path) if line.strip()]
    runs = [run for run in runs if not run["name"].endswith(("-probe", "-confirm"))]
    by_name = {}
    for run in runs:
        by_name.setdefault(run["name"], []).append(run)
    repeats = len({run["repeat"] for run in runs})

    def m(name, key):
        return median([run.get(key) for run in by_name.get(name, [])])

    lines = [f"Medians of {repeats} repeat(s). -max: drain rate, measured ticks / (first send → last update "
             "received); -sustained: highest paced rate kept up with; -p10/-p80: paced at 10/80 % of sustained.",
             "", "| run | ticks/s | vs relay | lossless | p50 µs | p99 µs | p99.9 µs | samples | CPU s / M ticks"
             " | peak RSS MB | step p50 µs | step p99 µs |", "|---|---:|---:|:-:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    def relay_of(name):
        # Dense-shape runs compare with the relay of the same encoding and shape; the sparse shape has a protobuf
        # relay only.
        kind = "sustained" if name.endswith("-sustained") else "max"
        if "-book" in name:
            encoding = "cryptofeed" if "-cryptofeed-" in name else "protobuf"
            return m(f"relay-{encoding}-book-{kind}", "throughput")
        if "-dense" in name:
            encoding = "cryptofeed" if "-cryptofeed-" in name else "protobuf"
            return m(f"relay-{encoding}-dense-{kind}", "throughput")
        return m(f"relay-protobuf-{kind}", "throughput")

    for name, group in by_name.items():
        throughput = m(name, "throughput")
        is_max = name.endswith("-max") or name.endswith("-sustained")
        base = relay_of(name)
        ratio = throughput / base if base and throughput and is_max else None
        lossless = all(run.get("lossless") for run in group)
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            name, fmt(throughput) if is_max else f"{fmt(m(name, 'rate'))} (paced)",
            fmt(ratio * 100, 1, " %") if ratio else "–", "yes" if lossless else "**NO**",
            fmt(m(name, "p50us"), 1), fmt(m(name, "p99us"), 1), fmt(m(name, "p999us"), 1),
            fmt(m(name, "latencySamples")), fmt(m(name, "cpuPerMillion"), 3), fmt(m(name, "rssMB"), 1),
            fmt(m(name, "stepP50Us"), 1), fmt(m(name, "stepP99Us"), 1)))

    if "--smoke" in sys.argv:
        lines += ["", "(smoke run: counts too small for the figures to mean anything; targets not evaluated)"]
        finish(lines, markdown_path, runs)
        return
    lines += ["", "| target | measured | required | met |", "|---|---:|---:|:-:|"]

    def target(label, value, required, met):
        lines.append(f"| {label} | {value} | {required} | {'yes' if met else '**no**'} |")

    for kind in ("sustained", "max"):
        base = m(f"relay-protobuf-{kind}", "throughput")
        fulcrum_pb = m(f"fulcrum-protobuf-{kind}", "throughput")
        fulcrum_cf = m(f"fulcrum-cryptofeed-{kind}", "throughput")
        jsonsub = m(f"fulcrum-protobuf-jsonsub-{kind}", "throughput")
        python_pb = m(f"python-protobuf-{kind}", "throughput")
        if base and fulcrum_pb:
            target(f"protobuf ingest / raw relay ({kind}, 50 ticks per symbol per step)",
                   fmt(fulcrum_pb / base * 100, 1, " %"), "≥ 85 %", fulcrum_pb / base >= 0.85)
        if base and fulcrum_cf:
            target(f"cryptofeed JSON ingest / raw relay ({kind})", fmt(fulcrum_cf / base * 100, 1, " %"), "≥ 40 %",
                   fulcrum_cf / base >= 0.40)
        if python_pb and fulcrum_pb:
            target(f"protobuf ingest / Python alternative ({kind})", fmt(fulcrum_pb / python_pb, 1, "×"), "≥ 20×",
                   fulcrum_pb / python_pb >= 20)
        if python_pb and jsonsub:
            target(f"protobuf ingest with a JSON consumer too / Python ({kind})", fmt(jsonsub / python_pb, 1, "×"),
                   "≥ 20×", jsonsub / python_pb >= 20)
        if python_pb and base:
            target(f"raw relay / Python ({kind}): the most any relay-bound service can reach",
                   fmt(base / python_pb, 1, "×"), "–", base / python_pb >= 20)
    for kind in ("sustained", "max"):
        for encoding, required in (("protobuf", 0.70), ("cryptofeed", 0.50)):
            base = m(f"relay-{encoding}-dense-{kind}", "throughput")
            fulcrum = m(f"fulcrum-{encoding}-dense-{kind}", "throughput")
            python = m(f"python-{encoding}-dense-max", "throughput")
            if base and fulcrum:
                target(f"dense grid (one tick per symbol per step): {encoding} / raw relay ({kind})",
                       fmt(fulcrum / base * 100, 1, " %"), f"≥ {required * 100:.0f} %", fulcrum / base >= required)
            if kind == "max" and python and fulcrum:
                target(f"dense grid: {encoding} / Python alternative (max)", fmt(fulcrum / python, 1, "×"),
                       "≥ 10×", fulcrum / python >= 10)
            inline = m(f"fulcrum-{encoding}-dense-inline-{kind}", "throughput")
            if inline and fulcrum:
                target(f"dense grid: {encoding}, step thread / steps on the ingest thread ({kind})",
                       fmt(fulcrum / inline, 2, "×"), "> 1", fulcrum / inline > 1)
    for encoding in ("cryptofeed", "protobuf"):
        base = m(f"relay-{encoding}-book-max", "bookLevelThroughput")
        fulcrum = m(f"fulcrum-{encoding}-book-max", "bookLevelThroughput")
        if base and fulcrum:
            target(f"book deltas, top-20 books of 100 symbols ({encoding}): book-level updates/s (of the raw "
                   "relay's in the same run)", f"{fmt(fulcrum)} ({fmt(fulcrum / base * 100, 1, ' %')})", "≥ 500,000",
                   fulcrum >= 500_000)
    for level in ("p10", "p80"):
        for suffix, label in (("", ""), ("-jsonsub", " (with a JSON consumer)")):
            f99, p99 = m(f"fulcrum-protobuf{suffix}-{level}", "p99us"), m(f"python-protobuf-{level}", "p99us")
            if f99 is not None and p99 is not None:
                target(f"p99 latency at {level[1:]} % load, Fulcrum{label} vs Python",
                       f"{fmt(f99, 1)} vs {fmt(p99, 1)} µs", "lower", f99 < p99)
    for suffix, label in (("", ""), ("-jsonsub", ", with a JSON consumer")):
        s99 = m(f"fulcrum-protobuf{suffix}-p80", "stepP99Us")
        if s99 is not None:
            target(f"step latency p99 at 80 % load (N = 100; Fulcrum's histogram, closing tick received → last "
                   f"update queued{label})", fmt(s99, 1, " µs"), "≤ 250 µs", s99 <= 250)
        f99 = m(f"fulcrum-protobuf{suffix}-p80", "p99us")
        if f99 is not None:
            target(f"end-to-end p99 at 80 % load (closing tick sent → last update received{label})",
                   fmt(f99, 1, " µs"), "≤ 250 µs", f99 <= 250)

    finish(lines, markdown_path, runs)


def finish(lines, markdown_path, runs):
    text = "\n".join(lines)
    print(text)
    if markdown_path:
        with open(markdown_path, "w") as handle:
            handle.write(text + "\n")
    bad = [run["name"] for run in runs if not run.get("lossless") or not run.get("complete")]
    if bad:
        print(f"\nincomplete or lossy runs: {', '.join(sorted(set(bad)))}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

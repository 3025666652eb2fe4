#!/usr/bin/env python3
"""Summarizes the runs of scripts/bench.sh (runs.jsonl): medians over repeats, ratios, targets.

    summarize.py RUNS_JSONL [--markdown FILE]

Prints a Markdown table; with --markdown also writes it to FILE. Exits 1 when a run lost ticks or did not
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
    runs = [json.loads(line) for line in open(path) if line.strip()]
    by_name = {}
    for run in runs:
        by_name.setdefault(run["name"], []).append(run)
    repeats = len({run["repeat"] for run in runs})

    def m(name, key):
        return median([run.get(key) for run in by_name.get(name, [])])

    lines = [f"Medians of {repeats} repeat(s); throughput = measured ticks / (first send → last update received).",
             "", "| run | ticks/s | vs relay | lossless | p50 µs | p99 µs | p99.9 µs | samples | CPU s / M ticks"
             " | peak RSS MB |", "|---|---:|---:|:-:|---:|---:|---:|---:|---:|---:|"]
    relay = m("relay-protobuf-max", "throughput")
    for name, group in by_name.items():
        throughput = m(name, "throughput")
        ratio = throughput / relay if relay and throughput and name.endswith("-max") else None
        lossless = all(run.get("lossless") for run in group)
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            name, fmt(throughput) if name.endswith("-max") else f"{fmt(m(name, 'rate'))} (paced)",
            fmt(ratio * 100, 1, " %") if ratio else "–", "yes" if lossless else "**NO**",
            fmt(m(name, "p50us"), 1), fmt(m(name, "p99us"), 1), fmt(m(name, "p999us"), 1),
            fmt(m(name, "latencySamples")), fmt(m(name, "cpuPerMillion"), 3), fmt(m(name, "rssMB"), 1)))

    fulcrum_pb = m("fulcrum-protobuf-max", "throughput")
    fulcrum_cf = m("fulcrum-cryptofeed-max", "throughput")
    python_pb = m("python-protobuf-max", "throughput")
    lines += ["", "| target | measured | required | met |", "|---|---:|---:|:-:|"]

    def target(label, value, required, met):
        lines.append(f"| {label} | {value} | {required} | {'yes' if met else '**no**'} |")

    if relay and fulcrum_pb:
        target("protobuf ingest / raw relay", fmt(fulcrum_pb / relay * 100, 1, " %"), "≥ 70 %",
               fulcrum_pb / relay >= 0.70)
    if relay and fulcrum_cf:
        target("cryptofeed JSON ingest / raw relay", fmt(fulcrum_cf / relay * 100, 1, " %"), "≥ 40 %",
               fulcrum_cf / relay >= 0.40)
    if python_pb and fulcrum_pb:
        target("protobuf ingest / Python alternative", fmt(fulcrum_pb / python_pb, 1, "×"), "≥ 20×",
               fulcrum_pb / python_pb >= 20)
    for level in ("p10", "p80"):
        f99, p99 = m(f"fulcrum-protobuf-{level}", "p99us"), m(f"python-protobuf-{level}", "p99us")
        if f99 is not None and p99 is not None:
            target(f"p99 latency at {level[1:]} % load, Fulcrum vs Python", f"{fmt(f99, 1)} vs {fmt(p99, 1)} µs",
                   "lower", f99 < p99)
    f99 = m("fulcrum-protobuf-p80", "p99us")
    if f99 is not None:
        target("step latency p99 at 80 % load (N = 100)", fmt(f99, 1, " µs"), "≤ 250 µs", f99 <= 250)
    f99 = m("fulcrum-protobuf-p80-nojson", "p99us")
    if f99 is not None:
        target("the same, JSON renditions off", fmt(f99, 1, " µs"), "≤ 250 µs", f99 <= 250)

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

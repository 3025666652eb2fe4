"""Fulcrum's own grid-step latency from its Prometheus histograms, as JSON.

    python3 -m fulcrum_tools.bench.step_latency URL_OR_FILE

Reads `fulcrum_grid_step_seconds` (receipt of a tick that closed a grid interval → last resulting update
queued for the publisher: estimator, optimizer, encoding), `fulcrum_estimator_step_seconds` and
`fulcrum_optimizer_step_seconds` and prints their sample counts and p50/p99/p99.9 in µs. Quantiles are
interpolated linearly inside the histogram bucket that holds them (Prometheus' histogram_quantile), so
they are exact only to the bucket: 10, 25, 50, 100, 250, 500 µs, 1, 2.5, 5, 10 … ms. `stepShareUnder250us`
is exact: the share of steps at or under the 250 µs bucket bound. Prints {} when the endpoint is gone.
"""
import json
import sys

from fulcrum_tools import metrics

SERIES = {"step": "fulcrum_grid_step_seconds", "estimator": "fulcrum_estimator_step_seconds",
          "optimizer": "fulcrum_optimizer_step_seconds"}


def quantile(q, cumulative):
    total = cumulative[-1][1] if cumulative else 0
    if total == 0:
        return None
    rank = q * total
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in cumulative:
        if count >= rank:
            if bound == float("inf"):
                return lower_bound * 1e6
            share = (rank - lower_count) / (count - lower_count) if count > lower_count else 1.0
            return (lower_bound + (bound - lower_bound) * share) * 1e6
        lower_bound, lower_count = bound, count
    return None


def main():
    try:
        samples = metrics.parse(metrics.fetch(sys.argv[1], timeout=5))
    except OSError:
        print("{}")
        return
    result = {}
    for key, name in SERIES.items():
        cumulative = metrics.histogram(samples, name)[0]
        if not cumulative:
            continue
        result[f"{key}Samples"] = cumulative[-1][1]
        for label, q in (("P50Us", 0.5), ("P99Us", 0.99), ("P999Us", 0.999)):
            result[key + label] = quantile(q, cumulative)
        if key == "step" and cumulative[-1][1] > 0:
            under = next((count for bound, count in cumulative if abs(bound - 250e-6) < 1e-12), None)
            if under is not None:
                result["stepShareUnder250us"] = under / cumulative[-1][1]
    print(json.dumps(result))


if __name__ == "__main__":
    main()

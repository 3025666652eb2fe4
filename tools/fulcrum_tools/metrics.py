"""A running Fulcrum's own measurements: its /metrics page (Prometheus text format)."""
import math
import re
import time
import urllib.request

_LE = re.compile(r'le="([^"]+)"')


def fetch(source: str, timeout: float) -> str:
    """The text of a /metrics URL, or of a file holding a saved page. Raises OSError when it cannot be read."""
    if source.startswith("http"):
        with urllib.request.urlopen(source, timeout=timeout) as answer:
            return answer.read().decode()
    with open(source) as handle:
        return handle.read()


def parse(text: str) -> dict[str, float]:
    """{series (name with labels): value} of every sample line; comments and unreadable lines are skipped."""
    samples = {}
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        series, value = line.rsplit(" ", 1)
        try:
            samples[series] = float(value)
        except ValueError:
            pass
    return samples


def scrape(url: str, timeout: float) -> dict[str, float]:
    """parse(fetch(url)); raises OSError when the endpoint does not answer."""
    return parse(fetch(url, timeout))


def wait_until_up(url: str, seconds: float, interval: float) -> dict[str, float]:
    """Polls `url` until it answers with samples, for at most `seconds`; the samples, or {} if it never did."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            samples = scrape(url, timeout=2)
        except OSError:
            samples = {}
        if samples or time.monotonic() >= deadline:
            return samples
        time.sleep(interval)


def histogram(samples: dict[str, float], name: str):
    """(buckets, sum, count) of histogram `name`: buckets are (upper bound, cumulative count) sorted by bound, the
    last one +Inf."""
    buckets = []
    for series, value in samples.items():
        if series.startswith(name + "_bucket{"):
            match = _LE.search(series)
            if match:
                bound = math.inf if match.group(1) == "+Inf" else float(match.group(1))
                buckets.append((bound, value))
    return sorted(buckets), samples.get(name + "_sum", 0.0), samples.get(name + "_count", 0.0)

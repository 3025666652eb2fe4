"""Calibration table of Fulcrum's margins: backtests of real index history and simulated crypto series.

Usage: python3 -m fulcrum_tools.calibration.run --fulcrum PATH/TO/fulcrum --out DIR [--config YAML] [--check]
         [--bars N]

1. Exports arch's S&P 500 and NASDAQ Composite daily bars (1999-2018, `arch.data.sp500`, `arch.data.nasdaq`).
2. Simulates two crypto series of 15-minute bars (fulcrum_tools.calibration.simulate: GJR-GARCH clustering,
   Hansen skewed Student-t innovations with nu = 4 and 3.5, opposite skews, calm/stressed regimes, an intraday
   volatility profile), one year each, seeded.
3. Runs `fulcrum backtest` on each with the configuration given (default: none, i.e. the model's defaults; the
   backtest fits grid, horizon and staleness to the bars), the crypto series at horizons of 15 minutes and 1 hour.
4. Prints and writes (DIR/calibration.md, DIR/calibration.json) per series and side: horizons, exceptions, rate,
   Kupiec p, Christoffersen independence p, conditional coverage p and whether the side is calibrated both ways
   (count inside Kupiec's 95 % band, independence not rejected at 1 %), for each side's own model fraction and
   for the published MMF; the capital efficiency (mean MMF / hindsight-minimal MMF); the cost of
   anti-procyclicality (mean MMF and exception rates with and without the tool).

With --check the exit status is 1 unless every side's model fraction is calibrated.
"""
import argparse
import json
import os
import subprocess
import sys

import yaml

from fulcrum_tools.backtest import arch_history
from fulcrum_tools.calibration.simulate import CryptoSpec, write as write_series

CRYPTO = (
    CryptoSpec(symbol="CRYPTO-A", seed=11, nu=4.0, skew=-0.1),
    CryptoSpec(symbol="CRYPTO-B", seed=23, nu=3.5, skew=0.05, daily_vol=0.045, stressed_multiplier=2.5),
)
HORIZONS = (("15m", 15 * 60 * 10**9), ("1h", 3600 * 10**9))


def backtest(fulcrum, inputs, out, config, horizon_ns=None, title="calibration"):
    settings = dict(config or {})
    if horizon_ns is not None:
        model = dict(settings.get("model", {}))
        coverage = dict(model.get("coverage", {}))
        coverage["liquidationHorizonNs"] = horizon_ns
        model["coverage"] = coverage
        settings["model"] = model
    command = [fulcrum, "backtest", *inputs, "--out", out, "--title", title, "--no-series"]
    if settings:
        path = out + ".yaml"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            yaml.safe_dump(settings, handle)
        command += ["--config", path]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({run.returncode}):\n{run.stderr}")
    with open(os.path.join(out, "report.json")) as handle:
        return json.load(handle)


def side_row(series, horizon, side, margin, summary):
    return {
        "series": series, "horizon": horizon, "side": side, "margin": margin,
        "horizons": summary["observations"], "exceptions": summary["exceptions"],
        "rate": summary["exceptionRate"], "target": summary["targetRate"], "band": summary.get("kupiecBand"),
        "kupiecP": summary["kupiec"]["pValue"], "independenceP": summary["independence"]["pValue"],
        "conditionalCoverageP": summary["conditionalCoverage"]["pValue"], "calibrated": summary["calibrated"],
        "verdict": summary["verdict"],
    }


def rows_of(report, label, horizon):
    rows, efficiency, procyclicality = [], [], []
    for asset in report["assets"]:
        name = asset["symbol"] if label is None else label
        binding = asset["bindingSide"]
        for side, key in (("long", "longSide"), ("short", "shortSide")):
            rows.append(side_row(name, horizon, side, "model", asset[key]))
        for side in ("long", "short"):
            margin = "published (binding)" if side == binding else "published"
            rows.append(side_row(name, horizon, side, margin, asset[side]))
        eff = asset["efficiency"]
        efficiency.append({"series": name, "horizon": horizon, "published": eff["published"]["ratio"],
                           "longSide": eff["longSide"]["ratio"], "shortSide": eff["shortSide"]["ratio"],
                           "meanMaintenance": asset["margin"]["meanMaintenance"],
                           "notReady": asset["status"]["notReadyShare"]})
        if asset.get("antiProcyclicality"):
            cost = asset["antiProcyclicality"]
            procyclicality.append({"series": name, "horizon": horizon, **cost})
    return rows, efficiency, procyclicality


def percent(value, digits=2):
    return "–" if value is None else f"{100 * value:.{digits}f} %"


def number(value):
    return "–" if value is None else f"{value:.3g}"


def markdown(rows, efficiency, procyclicality, config_path):
    lines = ["# Calibration table", "",
             f"Configuration: {config_path or 'the defaults'} (the backtest fits grid, horizon and staleness "
             "to the bars). Exception: a side's loss over the horizon beyond the margin less its liquidation "
             "cost. Calibrated: exceptions inside Kupiec's 95 % band and Christoffersen independence not rejected "
             "at 1 %.", "",
             "| series | H | side | margin | horizons | exceptions | rate (target) | Kupiec band | Kupiec p "
             "| Christoffersen p | cond. coverage p | calibrated |",
             "|---|---|---|---|---:|---:|---:|---|---:|---:|---:|---|"]
    for r in rows:
        band = f"{r['band'][0]}–{r['band'][1]}" if r["band"] else "–"
        lines.append(f"| {r['series']} | {r['horizon']} | {r['side']} | {r['margin']} | {r['horizons']} "
                     f"| {r['exceptions']} | {percent(r['rate'])} ({percent(r['target'], 1)}) | {band} "
                     f"| {number(r['kupiecP'])} | {number(r['independenceP'])} | {number(r['conditionalCoverageP'])} "
                     f"| {'yes' if r['calibrated'] else 'no'} |")
    lines += ["", "## Capital efficiency (mean MMF / hindsight-minimal MMF)", "",
              "| series | H | published MMF | MMF_long | MMF_short | mean MMF | not ready |",
              "|---|---|---:|---:|---:|---:|---:|"]
    for e in efficiency:
        lines.append(f"| {e['series']} | {e['horizon']} | {number(e['published'])} | {number(e['longSide'])} "
                     f"| {number(e['shortSide'])} | {percent(e['meanMaintenance'])} | {percent(e['notReady'], 1)} |")
    if procyclicality:
        lines += ["", "## Cost of anti-procyclicality", "",
                  "| series | H | tool | mean MMF with | without | added | two-sided rate with | without |",
                  "|---|---|---|---:|---:|---:|---:|---:|"]
        for c in procyclicality:
            lines.append(f"| {c['series']} | {c['horizon']} | {c['mode']} | {percent(c['meanMaintenanceWith'])} "
                         f"| {percent(c['meanMaintenanceWithout'])} | {percent(c['marginIncrease'], 1)} "
                         f"| {percent(c['exceptionRateWith'])} | {percent(c['exceptionRateWithout'])} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fulcrum", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--config", help="YAML configuration (default: the model's defaults)")
    parser.add_argument("--bars", type=int, default=35_040, help="bars per simulated series (default one year)")
    parser.add_argument("--check", action="store_true", help="exit 1 unless every model side is calibrated")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    config = None
    if args.config:
        with open(args.config) as handle:
            config = yaml.safe_load(handle) or {}
    bars = os.path.join(out, "bars")
    sys.argv = ["arch_history", bars]
    arch_history.main()
    rows, efficiency, procyclicality = [], [], []
    report = backtest(args.fulcrum, [os.path.join(bars, "SPX.csv"), os.path.join(bars, "NDX.csv")],
                      os.path.join(out, "daily"), config, title="S&P 500 and NASDAQ daily")
    for part, target in zip(rows_of(report, None, "1d"), (rows, efficiency, procyclicality)):
        target += part
    for spec in CRYPTO:
        spec.bars = args.bars
        path = os.path.join(bars, f"{spec.symbol}.csv")
        write_series(spec, path)
        for label, horizon in HORIZONS:
            report = backtest(args.fulcrum, [path], os.path.join(out, f"{spec.symbol}-{label}"), config,
                              horizon_ns=horizon, title=f"{spec.symbol}, 15-minute bars, H = {label}")
            for part, target in zip(rows_of(report, f"{spec.symbol} 15m bars", label),
                                    (rows, efficiency, procyclicality)):
                target += part
    text = markdown(rows, efficiency, procyclicality, args.config)
    with open(os.path.join(out, "calibration.md"), "w") as handle:
        handle.write(text)
    with open(os.path.join(out, "calibration.json"), "w") as handle:
        json.dump({"rows": rows, "efficiency": efficiency, "antiProcyclicality": procyclicality}, handle,
                  indent=2, sort_keys=True)
    print(text)
    failed = [r for r in rows if r["margin"] == "model" and not r["calibrated"]]
    if args.check and failed:
        for r in failed:
            print(f"not calibrated: {r['series']} H={r['horizon']} {r['side']} ({r['verdict']})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Writes the daily S&P 500 and NASDAQ Composite bars that ship with the `arch` package (1999-2018) as CSV.

Usage: python3 -m fulcrum_tools.backtest.arch_history OUTDIR  ->  OUTDIR/SPX.csv, OUTDIR/NDX.csv with
Date,Open,High,Low,Close,Adj Close,Volume
"""
import os
import sys

import arch.data.nasdaq
import arch.data.sp500


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for symbol, module in (("SPX", arch.data.sp500), ("NDX", arch.data.nasdaq)):
        frame = module.load()
        frame.index = frame.index.strftime("%Y-%m-%d")
        frame.index.name = "Date"
        # Full precision so that the prices a backtest replays are exactly the published closes.
        frame.to_csv(os.path.join(out, f"{symbol}.csv"), float_format="%.17g")
        print(f"{symbol}: {len(frame)} sessions {frame.index[0]} .. {frame.index[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

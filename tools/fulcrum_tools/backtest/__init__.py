"""Independent checks of `fulcrum backtest` and its recordings, and real market data to replay."""

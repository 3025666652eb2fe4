"""Calibration of Fulcrum's margin model by backtest: simulated crypto series and real index history."""

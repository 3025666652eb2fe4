// The seeded generator of the tests is the simulated market's SplitMix64 (Steele, Lea & Flood 2014), re-exported
// here so that the package has one implementation of it. Equal seeds give equal streams, and these are the streams
// the tests' inputs were always generated from, so tests that check values computed from generated inputs stay
// reproducible bit for bit. Besides `RandomNumberGenerator`, it offers `nextUnit()`, uniform on (0, 1), and
// `nextGaussian()`, a standard normal by Box–Muller; `nextHalfOpenUnit()` (SplitMix64+HalfOpenUnit.swift) adds the
// uniform on [0, 1).
@_exported import struct MarketSimulator.SplitMix64

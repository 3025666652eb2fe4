"""Generators of the committed reference data the Swift tests check against (deterministic: re-running one writes
the same bytes)."""

"""Benchmarks. Each module measures Heritour against a baseline run in the same process."""

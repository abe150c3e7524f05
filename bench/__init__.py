"""Benchmark and load tools: a synthetic corpus, `make bench` and `make soak`."""

"""Benchmarks: seed through the public API, then measure the hot endpoints under load."""

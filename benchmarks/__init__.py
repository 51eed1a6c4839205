"""Benchmarks: measured, never asserted. ``python -m benchmarks`` (or ``make bench``) runs
every ``bench_*.py`` module's ``main() -> dict`` and writes ``benchmarks/results.json``."""

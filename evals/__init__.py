"""Evaluation suites and benchmarks for the news assistant."""

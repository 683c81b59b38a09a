"""Benchmarks for feedsite: synthetic feeds and sites, timed against whole processes and peers."""

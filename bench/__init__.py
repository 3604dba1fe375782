"""Benchmarks of the portal, run with `make bench`; nothing here is imported by the portal."""

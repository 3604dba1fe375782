"""Demo and synthetic data: the published record as a demo, and data at scale for benchmarks."""

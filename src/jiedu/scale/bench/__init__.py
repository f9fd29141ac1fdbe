"""``python -m jiedu.scale.bench``: the region-scale benchmarks behind docs/performance.md."""

"""teamgraph's own speed benchmarks: ``python -m benchmarks`` (or ``make bench``)."""

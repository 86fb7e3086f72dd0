"""Read-side queries: reports, statistics and metrics."""

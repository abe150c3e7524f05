"""AGI Tracker ETL: news articles in, grounded facts in DuckDB out."""

# Bump when extraction rules change: facts carry it, and the per-source cache is keyed on it.
EXTRACTOR_VERSION = "2.0.1"

"""Vector stores: the embedded DuckDB store (default) and Weaviate (production)."""

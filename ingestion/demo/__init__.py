"""ingestion/demo."""

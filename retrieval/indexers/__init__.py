"""Indexers: each turns one source into the full set of records it owns and `sync`s it."""

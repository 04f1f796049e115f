"""Embedders: wordllama (offline default), sentence-transformers (optional extra), litellm."""

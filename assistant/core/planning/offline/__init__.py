"""The offline planner: a deterministic semantic parser over the catalog (no network, no model)."""

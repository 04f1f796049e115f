"""assistant/cli."""

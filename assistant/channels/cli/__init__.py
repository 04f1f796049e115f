"""assistant/channels/cli."""

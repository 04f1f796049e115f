"""Answers: the narrative, the table, the chart and the follow-ups, built from a result."""

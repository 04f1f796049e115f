"""Insights: what changed, why, what is unusual and what needs attention — from semantic queries."""

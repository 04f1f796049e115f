"""Insight digests: render a tenant's insight report as an email, send it, schedule it once."""

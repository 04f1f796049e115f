"""The app database: tenants, API keys, conversations, turns, feedback and the audit log.

SQLAlchemy 2 models with Alembic migrations; SQLite file by default, PostgreSQL by URL. Every
repository method takes the tenant first and filters on it: a row of another tenant is simply
not found.
"""

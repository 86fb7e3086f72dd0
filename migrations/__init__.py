"""The Alembic history of the database, and functions to apply it."""

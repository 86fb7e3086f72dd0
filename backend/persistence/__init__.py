"""Database engine, unit of work and set-based writers."""

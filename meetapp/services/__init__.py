"""Use cases: plain functions over a database session, no UI framework."""

"""Live updates: services mark what changed, committed changes reach open tabs.

`changes` (no UI imports) records topics on a database session and publishes
them after commit; `hub` (Reflex side) refreshes the browser tabs watching them.
"""

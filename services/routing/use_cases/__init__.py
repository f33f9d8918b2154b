"""Routing's use cases: each event handler is `handler(session, event, settings)` (libs/kit/consuming.py)."""

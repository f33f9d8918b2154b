"""Intake's own rules, framework-free: references and receipts (and their keyed hash), the sealed box a
complaint's text is stored in, what a filed complaint tells the other services, and the in-memory limits on
requests and receipt guesses. No I/O, no nameko, SQLAlchemy or werkzeug (tests/unit/test_boundaries.py)."""

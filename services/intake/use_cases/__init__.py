"""Intake's use cases: filing, following up (status, progress, stop messages, withdraw), the read model of what
routing and notification did, retention, receipt checks and the route explorer. Free of nameko and HTTP; each
writes its state change and its events (outbox) in one transaction. The event handler is
`handler(session, event, settings)` (libs/kit/consuming.py)."""

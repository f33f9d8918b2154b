"""Notification's use cases: each event handler is `handler(session, event, settings)` (libs/kit/consuming.py,
the table in service.py; the handlers are in event_handlers.py). Tables and the outbox, never nameko."""

"""Casework's use cases: staff accounts and sign-in, the case read model from events, the queue, the case file,
mediator grants, the key directory and the audit log. No nameko here; the service and web layers call these."""

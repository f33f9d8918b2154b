"""Casework's rules, framework-free: roles, staff keys, second factors, sign-in throttling, case statuses, queues,
due dates and the audit chain."""

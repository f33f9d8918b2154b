"""Notification's HTTP pages: the mediator's signed link pages (GET confirms, POST acts)."""

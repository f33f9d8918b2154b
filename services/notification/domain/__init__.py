"""Notification's own rules, framework-free and without I/O: business hours and the reaction SLA, matching a
mediator, what each message says (to a mediator, to the person), signed links, the webhook signature and
allow-list, the outcome vocabulary, and the delivery queue's keys and retry rule."""

"""`python -m services.notification`: run the notification service."""
from libs.kit import runner  # noqa: F401  (must come first: eventlet monkey-patching)
from services.notification.service import NotificationService, config

runner.run(NotificationService, config)

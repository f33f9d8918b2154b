"""`python -m services.analytics`: run the analytics service."""
from libs.kit import runner  # noqa: F401  (must come first: eventlet monkey-patching)
from services.analytics.service import AnalyticsService, config

runner.run(AnalyticsService, config)

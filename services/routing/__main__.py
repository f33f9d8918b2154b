"""`python -m services.routing`: run the routing service."""
from libs.kit import runner  # noqa: F401  (must come first: eventlet monkey-patching)
from services.routing.service import RoutingService, config

runner.run(RoutingService, config)

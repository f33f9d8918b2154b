"""`python -m services.intake`: run the intake service."""
from services.common import runner  # noqa: F401  (must come first: eventlet monkey-patching)
from services.intake.service import IntakeService, config

runner.run(IntakeService, config)

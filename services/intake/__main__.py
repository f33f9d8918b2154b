"""`python -m services.intake`: run the intake service."""
from libs.kit import runner  # noqa: F401  (must come first: eventlet monkey-patching)
from services.intake.service import IntakeService, config

runner.run(IntakeService, config)

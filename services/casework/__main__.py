"""`python -m services.casework`: run the casework service (the desk's workspace)."""
from libs.kit import runner  # noqa: F401  (must come first: eventlet monkey-patching)
from services.casework.service import CaseworkService, config

runner.run(CaseworkService, config)

"""Where things are, for tests at any depth of tests/."""
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

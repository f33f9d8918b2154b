"""The workspace's one stylesheet, served from the package (no third-party requests)."""
from pathlib import Path

from werkzeug.wrappers import Response

from services.casework.web.http import secured

STATIC_DIR = Path(__file__).parent / "static"
FILES = {"workspace.css": "text/css"}


def response(name):
    if name not in FILES:
        return None
    return secured(Response((STATIC_DIR / name).read_bytes(), mimetype=FILES[name]))

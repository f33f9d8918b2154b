"""The two same-origin static files: the stylesheet and the small progressive-enhancement script."""
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
CONTENT_TYPES = {
    "voorportaal.css": "text/css; charset=utf-8",
    "voorportaal.js": "text/javascript; charset=utf-8",
}


def static_file(name):
    """(content type, bytes) for a known static file name, else None. Only listed names: no path tricks."""
    if name not in CONTENT_TYPES:
        return None
    return CONTENT_TYPES[name], (STATIC_DIR / name).read_bytes()

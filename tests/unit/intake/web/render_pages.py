"""Render every page in every language to /tmp/voorportaal-pages/<lang>-<page>.html, for a look or a screenshot:

    .venv/bin/python tests/unit/intake/web/render_pages.py [lang ...]
    chromium --headless --no-sandbox --disable-gpu --window-size=400,900 \
        --screenshot=/tmp/voorportaal-pages/nl-start.png file:///tmp/voorportaal-pages/nl-start.html

The stylesheet is copied next to the pages and linked relatively, so file:// views are styled as in the service.
"""
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[4]), str(Path(__file__).resolve().parent)]

from web_sample_pages import all_pages  # noqa: E402
from services.intake.web.languages import SUPPORTED_LANGUAGES  # noqa: E402
from services.intake.web.static_files import static_file  # noqa: E402

OUT = Path("/tmp/voorportaal-pages")


def main(languages):
    OUT.mkdir(exist_ok=True)
    (OUT / "voorportaal.css").write_bytes(static_file("voorportaal.css")[1])
    for lang in languages:
        for name, html in all_pages(lang).items():
            html = html.replace('href="/static/voorportaal.css"', 'href="voorportaal.css"')
            (OUT / f"{lang}-{name}.html").write_text(html, encoding="utf-8")
    print(f"wrote {len(list(OUT.glob('*.html')))} pages to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:] or SUPPORTED_LANGUAGES)

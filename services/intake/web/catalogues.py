"""Load the Babel message catalogues (.po) and compile them in memory at start-up.

Compiling at runtime means there are no committed .mo files that can drift from the .po sources.
"""
import functools
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def po_path(lang):
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"


def read_catalogue(lang):
    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


@functools.lru_cache(maxsize=None)
def translations_for(lang):
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(lang))
    compiled.seek(0)
    return Translations(compiled)

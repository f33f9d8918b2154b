"""Intake's message catalogues (libs/i18n): the public pages' wording in the six languages, in
services/intake/translations/."""
from pathlib import Path

from libs.i18n import Catalogues

CATALOGUES = Catalogues(Path(__file__).parent.parent / "translations")
po_path = CATALOGUES.po_path
read_catalogue = CATALOGUES.read
translations_for = CATALOGUES.translations

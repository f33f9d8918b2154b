"""Translations: every text a person reads comes from Babel message catalogues (.po), in the six languages.

One mechanism for every service: a service keeps its catalogues in `<package>/translations/<lang>/LC_MESSAGES/
messages.po`, English msgids written at B1, and reads them through a `Catalogues`. The .po files are compiled in
memory on first use, so no committed .mo file can drift from its source. `sync` (called by each service's
`cli.py translations sync`) adds new msgids empty, for a translator, and drops unused ones; each service's tests
fail while a msgid lacks a translation. Catalogue headers say which translations await a native speaker's review.
"""
import functools
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

LANGUAGES = ("nl", "en", "es", "ro", "bg", "pl")  # the people the desk serves: the catalogue's order of languages


class Catalogues:
    """The catalogues under one `translations` directory."""

    def __init__(self, directory: Path, domain: str = "messages"):
        self.directory = Path(directory)
        self.domain = domain

    def po_path(self, lang: str) -> Path:
        return self.directory / lang / "LC_MESSAGES" / f"{self.domain}.po"

    def read(self, lang: str) -> Catalog:
        with self.po_path(lang).open("rb") as handle:
            return read_po(handle, locale=lang)

    @functools.lru_cache(maxsize=None)
    def translations(self, lang: str) -> Translations:
        compiled = io.BytesIO()
        write_mo(compiled, self.read(lang))
        compiled.seek(0)
        return Translations(compiled)

    def gettext(self, lang: str):
        return self.translations(lang).gettext

    def untranslated(self, lang: str) -> list:
        """msgids without a translation (or fuzzy): the tests of each service keep this empty."""
        return [message.id for message in self.read(lang) if message.id and (not message.string or message.fuzzy)]

    def sync(self, template: Catalog, project: str, header_comment: str, languages=LANGUAGES) -> int:
        """Bring every language's catalogue in step with `template`: new msgids empty, unused ones dropped."""
        for lang in languages:
            path = self.po_path(lang)
            catalogue = self.read(lang) if path.exists() else Catalog(locale=lang, fuzzy=False)
            catalogue.update(template, no_fuzzy_matching=True)
            catalogue.obsolete.clear()
            catalogue.fuzzy = False
            catalogue.project, catalogue.version = project, "1"
            catalogue.copyright_holder = "Voorportaal"
            catalogue.msgid_bugs_address = ""
            catalogue.header_comment = header_comment
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalogue, width=116, omit_header=False, include_previous=False)
        self.translations.cache_clear()
        return len(template)

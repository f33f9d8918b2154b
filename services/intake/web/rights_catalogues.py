"""The `rights` catalogues: the wording of the rights guide and the letter builder in the six languages, in their
own Babel domain (services/intake/translations/<lang>/LC_MESSAGES/rights.po), apart from the form's messages.po.

In templates: `r_("...")` (like Jinja's `_`, %-formatted with keyword arguments, the arguments escaped). In Python:
`R_("...")` only marks a string for extraction (rights_sync.py); it is translated where it is shown. The letter's
sentences are under the context "letter": their Dutch translation is the letter itself (domain/letter_texts.py).
"""
from markupsafe import Markup

from libs.i18n import Catalogues
from .catalogues import CATALOGUES

RIGHTS = Catalogues(CATALOGUES.directory, domain="rights")
LETTER_CONTEXT = "letter"


def R_(message):  # noqa: N802 - a marker, like N_
    return message


def translations(lang):
    return RIGHTS.translations(lang)


def text(lang, message, **params):
    """`message` (an English msgid) in `lang`, %-formatted with `params` (plain text, not markup). Every string
    is formatted, as Jinja's are, so a literal percent sign is written %%."""
    worded = translations(lang).ugettext(message)
    return worded % params


def letter_text(lang, message, **params):
    """A letter sentence (context "letter") in `lang`, %-formatted with `params`."""
    worded = translations(lang).upgettext(LETTER_CONTEXT, message)
    return worded % params


def template_gettext(lang):
    """`r_` for the templates: the translation is trusted markup, the parameters are escaped."""
    lookup = translations(lang).ugettext

    def r_(message, **params):
        worded = Markup(lookup(message))
        return worded % params
    return r_

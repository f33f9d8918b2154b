"""Which languages the pages speak, and how we pick one from the browser's Accept-Language header."""
from libs.contracts.events import LANGUAGES

SUPPORTED_LANGUAGES = LANGUAGES
DEFAULT_LANGUAGE = "nl"

# Shown in the language switcher in their own language: a reader looks for the name they know.
LANGUAGE_NAMES = {
    "nl": "Nederlands", "en": "English", "es": "Español", "ro": "Română", "bg": "Български", "pl": "Polski",
}


def negotiate_language(accept_language_header):
    """Best supported language for an Accept-Language header ('en-GB,en;q=0.8,nl;q=0.5'); 'nl' if none fits."""
    choices = []
    for position, part in enumerate((accept_language_header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in SUPPORTED_LANGUAGES and quality > 0:
            choices.append((-quality, position, primary))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def checked_language(lang):
    """The language to render in: `lang` if we support it, else the default (never trust a URL segment)."""
    return lang if lang in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE

"""The desk's standard texts: the desk writes to a Romanian- or Bulgarian-speaking person without speaking their
language. Each text is a code with English wording (the msgid) and placeholders filled from the case; its
translations in the six languages are in the `standard_texts` Babel catalogue (translations/<lang>/LC_MESSAGES/
standard_texts.po), which says which await review by native speakers. The person receives the text in their
language; the case handler sees it in Dutch or English beside it. Free text from staff is sent as written.
"""
from dataclasses import dataclass
from datetime import date

import babel.dates

LANGUAGES = ("nl", "en", "es", "ro", "bg", "pl")
PLACEHOLDER_MAX = 200


def N_(text):
    return text


@dataclass(frozen=True)
class StandardText:
    code: str
    english: str  # the msgid
    placeholders: tuple  # what the case handler fills in (channel, date, missing)
    asks: bool = False  # a request: its date is the date the desk asks an answer by (the case then waits)


TEXTS = (
    StandardText("received", N_("We have read your message about case %(ref)s. We will come back to you on this "
                                "page."), ()),
    StandardText("ask_information", N_("To help you further with case %(ref)s, we need some more information: "
                                       "%(missing)s. Please answer on this page before %(date)s."),
                 ("missing", "date"), asks=True),
    StandardText("ask_document", N_("Please send us %(missing)s for case %(ref)s. You can add a photo or a PDF "
                                    "on this page. Please do this before %(date)s."), ("missing", "date"), asks=True),
    StandardText("next_step", N_("The next step for case %(ref)s is a complaint to %(channel)s. You can do this "
                                 "from %(date)s. Your page shows how."), ("channel", "date")),
    StandardText("deadline_reminder", N_("A date in your plan is coming: %(channel)s should answer by %(date)s. "
                                         "Tell us on this page if you get an answer."), ("channel", "date")),
    StandardText("closing", N_("We are closing case %(ref)s. Thank you for your trust. You can still write to "
                               "us on this page if something changes."), ()),
)
BY_CODE = {text.code: text for text in TEXTS}


class TextRefused(ValueError):
    """unknown_text, missing_placeholder"""


def fill(code: str, gettext, lang: str, ref: str, values: dict) -> str:
    """The standard text in `lang` (its catalogue's `gettext`), placeholders filled: a date (YYYY-MM-DD) written the
    way that language writes dates, other values as typed (bounded; plain text, never markup)."""
    text = BY_CODE.get(code)
    if text is None:
        raise TextRefused("unknown_text")
    params = {"ref": ref}
    for name in text.placeholders:
        value = (values.get(name) or "").strip()[:PLACEHOLDER_MAX]
        if not value:
            raise TextRefused("missing_placeholder")
        if name == "date":
            try:
                value = babel.dates.format_date(date.fromisoformat(value), format="long", locale=lang)
            except ValueError:
                raise TextRefused("missing_placeholder") from None
        params[name] = value
    return gettext(text.english) % params


def fill_preview(text: StandardText, gettext) -> str:
    """The text as the case handler chooses it, in the workspace's language, placeholders named."""
    return gettext(text.english) % {"ref": "…", **{name: f"[{name}]" for name in text.placeholders}}

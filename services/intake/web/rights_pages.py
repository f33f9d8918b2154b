"""The rights guide's pages and the letter builder's pages, each a complete HTML string (like pages.py)."""
from markupsafe import Markup

from services.intake.domain.letters import REASONS
from services.intake.use_cases import letters
from services.intake.use_cases.rights_guide import load_guide

from . import labels
from .catalogues import translations_for
from .languages import checked_language
from .letter_form import ERRORS, FIELD_HINTS, FIELD_LABELS, MAX_LENGTH, OUTPUTS
from .letter_output import guidance, word
from .rendering import environment, render
from .route_question import ROUTE_FIELDS


def render_guide(lang):
    return render(checked_language(lang), "rights/index.html", topics=load_guide().topics, errors={})


def render_topic(lang, topic):
    return render(checked_language(lang), "rights/topic.html", topic=topic, errors={})


def _messages(lang, errors):
    """{field: (label, message)} for the error summary and the fields, in the page's language."""
    gettext, r_ = translations_for(lang).gettext, environment(lang).globals["r_"]
    shown = {}
    for name, code in errors.items():
        label = r_(FIELD_LABELS[name]) if name in FIELD_LABELS else gettext(labels.FIELD_LABELS.get(name, name))
        if code in ERRORS:
            message = r_(ERRORS[code], max=MAX_LENGTH.get(name, 0))
        elif code in REASONS:
            message = r_(REASONS[code])
        elif code in labels.ERROR_MESSAGES:
            message = gettext(labels.ERROR_MESSAGES[code]) % {"max": 0}
        else:
            message = r_(ERRORS["required"])
        shown[name] = (label, Markup.escape(message))
    return shown


def render_letter_form(lang, csrf_token, values, errors, status=200):
    lang = checked_language(lang)
    # the facts questions reuse the form's macros, which know only the form's own error codes
    inline = {name: (code if code in labels.ERROR_MESSAGES else
                     "required_choice" if name == "capacity" else "required")
              for name, code in errors.items() if name in ROUTE_FIELDS}
    return render(lang, "rights/letter_form.html", csrf_token=csrf_token, values=values or {},
                  errors=errors or {}, inline_errors=inline, messages=_messages(lang, errors or {}),
                  channels=letters.written_complaint_channels(), field_labels=FIELD_LABELS,
                  field_hints=FIELD_HINTS, text_max=MAX_LENGTH, outputs=OUTPUTS)


def render_letter_page(lang, csrf_token, letter, values):
    """The letter in Dutch and in the page's language, with the notes, and buttons for the PDF and the text."""
    lang = checked_language(lang)
    return render(lang, "rights/letter.html", csrf_token=csrf_token, values=values, errors={},
                  dutch=word(letter, "nl"), mine=word(letter, lang) if lang != "nl" else None,
                  help=guidance(letter, lang), topic=environment(lang).globals["rights_channel_topic"](
                      letter.channel.id))


def render_letter_document(lang, letter):
    """The API's text/html answer: the same letter as a standalone printable page (no form, no cookie)."""
    lang = checked_language(lang)
    return render(lang, "rights/letter_document.html", errors={}, dutch=word(letter, "nl"),
                  mine=word(letter, lang) if lang != "nl" else None, help=guidance(letter, lang))

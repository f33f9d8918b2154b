"""A coded letter (domain/letters.py) worded in a language and printed: as a page (HTML, rights templates), as a PDF
(fpdf2 with DejaVu Sans, which covers Latin, Romanian and Cyrillic) and as plain text.

The letter to send is always Dutch; the person's own language gives the version they read beside it, and the
notes ("before you send it"). The person's words are shown as typed: escaped in HTML, plain characters in the PDF
and the text. Nothing here logs or keeps anything.
"""
import functools
import io
from datetime import date
from pathlib import Path

import babel.dates

from services.intake.domain.letter_texts import LETTER, NOTES
from services.intake.domain.letters import Coded, Letter, OwnWords, dutch_name

from .rights_catalogues import R_, letter_text, text

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
FONT_REGULAR, FONT_BOLD = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
LETTER_LANGUAGE = "nl"

HEADINGS = {
    "letter": R_("Your letter in Dutch: this is the one to send"),
    "translation": R_("The same letter in your language: only for you, do not send it"),
    "notes": R_("Before you send it"),
    "where": R_("Where to send it"),
}
CONTACT_LABELS = {"address": R_("Postal address"), "web": R_("Website"), "email": R_("E-mail"),
                  "phone": R_("Phone")}
CHECKED_ON = R_("checked on %(date)s")
UNCONFIRMED = R_("not confirmed")


def _format(value, lang):
    if isinstance(value, date):
        return babel.dates.format_date(value, format="long", locale=lang)
    return "" if value is None else str(value)


def _sentence(coded: Coded, lang: str) -> str:
    params = {name: _format(value, lang) for name, value in coded.params.items()}
    if lang == LETTER_LANGUAGE and "institution" in params:
        params["institution"] = dutch_name(params["institution"])
    worded = letter_text(lang, LETTER[coded.key], **params)
    for value in params.values():  # a date that ends in a full stop ("3 декември 2026 г.") ends no sentence twice
        if value.endswith("."):
            worded = worded.replace(value + ".", value)
    return worded


def word(letter: Letter, lang: str) -> dict:
    """The letter as plain strings in `lang` (Dutch for the letter to send)."""
    body = []
    for part in letter.body:
        if isinstance(part, OwnWords):
            body.append({"own": True, "text": part.text})
        else:
            body.append({"own": False, "text": " ".join(_sentence(coded, lang) for coded in part)})
    attachments = [letter_text(lang, LETTER["attachment_numbered"], number=str(number),
                               what=_sentence(coded, lang))
                   for number, coded in enumerate(letter.attachments, start=1)]
    return {
        "lang": lang,
        "sender": list(letter.sender),
        "addressee": list(letter.addressee) + [_sentence(coded, lang) for coded in letter.addressee_coded],
        "place_date": _sentence(letter.place_date, lang),
        "subject_label": letter_text(lang, LETTER["subject_label"]),
        "subject": [_sentence(coded, lang) for coded in letter.subject],
        "salutation": letter_text(lang, LETTER["salutation"]),
        "body": body,
        "attachments_label": letter_text(lang, LETTER["attachments_label"]) if attachments else "",
        "attachments": attachments,
        "closing": letter_text(lang, LETTER["closing"]),
        "signature_line": letter_text(lang, LETTER["signature_line"]),
        "signer": letter.signer,
    }


def guidance(letter: Letter, lang: str) -> dict:
    """What the person reads around the letter, in their language: the notes and where to send it."""
    notes = [text(lang, NOTES[coded.key], **{name: _format(value, lang) for name, value in coded.params.items()})
             for coded in letter.notes if not (coded.key == "translation_only" and lang == LETTER_LANGUAGE)]
    notes = [note.replace("..", ".") for note in notes]  # a date ending in a full stop at the end of a note
    where = []
    for kind, value, verified_on, confirmed in letter.channel.contacts:
        checked = text(lang, CHECKED_ON, date=_format(verified_on, lang))
        where.append({"label": text(lang, CONTACT_LABELS[kind]), "value": value,
                      "checked": checked if confirmed else f"{checked}, {text(lang, UNCONFIRMED)}"})
    return {"lang": lang, "channel": letter.channel.name, "notes": notes, "where": where,
            "headings": {key: text(lang, heading) for key, heading in HEADINGS.items()}}


def letter_lines(worded: dict) -> list:
    """The letter as lines of text (an empty string between blocks)."""
    lines = [*worded["sender"], "", *worded["addressee"], "", worded["place_date"], "",
             f"{worded['subject_label']} {worded['subject'][0]}", *worded["subject"][1:], "",
             worded["salutation"], ""]
    for part in worded["body"]:
        lines += [part["text"], ""]
    if worded["attachments"]:
        lines += [worded["attachments_label"], *worded["attachments"], ""]
    lines += [worded["closing"], "", "", worded["signature_line"], worded["signer"]]
    return lines


def as_text(letter: Letter, lang: str) -> str:
    """The plain-text download: the Dutch letter, then the notes, where to send it and the translation."""
    dutch, mine, help_ = word(letter, LETTER_LANGUAGE), word(letter, lang), guidance(letter, lang)
    rule = "=" * 60
    out = [help_["headings"]["letter"], rule, "", *letter_lines(dutch), "", rule, help_["headings"]["notes"], rule]
    out += [f"- {note}" for note in help_["notes"]]
    out += ["", help_["headings"]["where"] + f": {help_['channel']}"]
    out += [f"- {item['label']}: {item['value']} ({item['checked']})" for item in help_["where"]]
    if lang != LETTER_LANGUAGE:
        out += ["", rule, help_["headings"]["translation"], rule, "", *letter_lines(mine)]
    return "\n".join(out).rstrip() + "\n"


# -- PDF ------------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _covered() -> frozenset:
    """The code points DejaVu Sans has a glyph for; anything else is printed as U+FFFD (never a broken PDF)."""
    from fontTools.ttLib import TTFont
    with TTFont(str(FONT_REGULAR), lazy=True) as font:
        regular = set(font.getBestCmap())
    with TTFont(str(FONT_BOLD), lazy=True) as font:
        return frozenset(regular & set(font.getBestCmap()))


def printable(value: str) -> str:
    covered = _covered()
    return "".join(char if char == "\n" or ord(char) in covered else "\ufffd" for char in value)


def as_pdf(letter: Letter, lang: str) -> bytes:
    """An A4 PDF: the Dutch letter to send; then, on a new page, the notes, where to send it and (for another
    language) the translation. CPU-bound (tens of ms): callers on the event loop use libs.kit.blocking."""
    from fpdf import FPDF  # imported here: only the letter builder needs it

    dutch, mine, help_ = word(letter, LETTER_LANGUAGE), word(letter, lang), guidance(letter, lang)
    pdf = FPDF(format="A4")
    pdf.set_title("Klachtbrief")          # no name, no address in the metadata
    pdf.set_creator("Voorportaal")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))

    def lines(block, bold=False, size=11, gap=2.0):
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.5, printable(block), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def letter_pages(worded):
        lines("\n".join(worded["sender"]), gap=6)
        lines("\n".join(worded["addressee"]), gap=8)
        lines(worded["place_date"], gap=6)
        lines(f"{worded['subject_label']} {worded['subject'][0]}", bold=True, gap=0)
        if worded["subject"][1:]:
            lines("\n".join(worded["subject"][1:]), gap=0)
        pdf.ln(4)
        lines(worded["salutation"], gap=3)
        for part in worded["body"]:
            lines(part["text"], gap=3)
        if worded["attachments"]:
            lines(worded["attachments_label"], bold=True, gap=0)
            lines("\n".join(worded["attachments"]), gap=3)
        lines(worded["closing"], gap=16)
        lines(worded["signature_line"], size=9, gap=0)
        lines(worded["signer"], gap=0)

    pdf.add_page()
    letter_pages(dutch)
    pdf.add_page()
    lines(help_["headings"]["notes"], bold=True, size=13, gap=2)
    lines("\n".join(f"• {note}" for note in help_["notes"]), size=10, gap=5)
    lines(f"{help_['headings']['where']}: {help_['channel']}", bold=True, size=12, gap=1)
    if help_["where"]:
        lines("\n".join(f"{item['label']}: {item['value']} ({item['checked']})" for item in help_["where"]),
              size=10, gap=5)
    if lang != LETTER_LANGUAGE:
        pdf.add_page()
        lines(help_["headings"]["translation"], bold=True, size=13, gap=5)
        letter_pages(mine)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()

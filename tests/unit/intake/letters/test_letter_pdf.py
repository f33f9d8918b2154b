"""The letter as a PDF, read back with a PDF text extractor (pypdf): the addressee, the date, the person's name and
the legal points are in it as text, also in Cyrillic; hostile text stays text and never breaks the document."""
import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from letter_cases import CASES, SENDER, TODAY
from services.intake.domain.letters import Sender
from services.intake.domain.plain_text import clean_text
from services.intake.use_cases import letters
from services.intake.web.letter_output import as_pdf, as_text


def pdf_text(request, lang):
    data = as_pdf(letters.build(request, TODAY), lang)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squeeze(text):
    """Text extraction may break lines anywhere a line was wrapped: compare without the whitespace."""
    return "".join(text.split())


@pytest.mark.parametrize("case, points", [
    ("ombudsman", ["Nationale ombudsman", "Postbus 93122, 2509 AC Den Haag", "titel 9.2 van de Algemene wet "
                   "bestuursrecht", "Bijlage 2: het antwoord van de Belastingdienst van 20 mei 2026"]),
    ("awb_municipality", ["Gemeente Amsterdam", "hoofdstuk 9 van de Algemene wet bestuursrecht", "artikel 9:11"]),
    ("kifid", ["Kifid (Klachteninstituut Financiële Dienstverlening)", "als consument (particulier)",
               "binnen drie maanden na het definitieve standpunt"]),
])
def test_the_dutch_pdf_has_addressee_date_name_and_the_legal_points(case, points):
    reader, text = pdf_text(CASES[case], "nl")
    flat = squeeze(text)
    for expected in [SENDER.name, SENDER.address, "Amsterdam, 3 december 2026", "Met vriendelijke groet", *points]:
        assert squeeze(expected) in flat, expected
    assert reader.metadata.title == "Klachtbrief"                     # no name in the document's metadata
    assert SENDER.name not in str(dict(reader.metadata))


def test_a_bulgarian_letter_has_the_dutch_letter_and_the_cyrillic_translation():
    reader, text = pdf_text(replace(CASES["ombudsman"], language="bg"), "bg")
    flat = squeeze(text)
    assert squeeze("Verzoek om onderzoek naar een gedraging van de Belastingdienst") in flat   # page 1: Dutch
    assert squeeze("Искане за проверка на поведението на Belastingdienst") in flat           # the translation
    assert squeeze("Същото писмо на Вашия език: само за Вас, не го изпращайте") in flat
    assert squeeze("3 декември 2026") in flat and squeeze("Postbus 93122, 2509 AC Den Haag") in flat
    assert len(reader.pages) >= 3                                      # letter, notes, translation


def test_romanian_diacritics_survive():
    _reader, text = pdf_text(CASES["care"], "ro")
    assert squeeze("Plângere despre îngrijirile primite la data de") in squeeze(text)
    assert "ș" in text and "ț" in text and "ă" in text


HOSTILE = ("<script>alert(1)</script> & %PDF-1.4 endobj \\) (\n" + "\u202eevil\u202c \u0007\u0000\u009b x"
           + " " + "W" * 4000 + "\n" + "😀 漢字 \ufffe\ud800 end")


def test_hostile_text_renders_as_text_and_never_breaks_the_pdf():
    account = clean_text(HOSTILE, 6000)
    request = replace(CASES["care"], account=account,
                      sender=Sender(clean_text("Anna \u202eNAME", 200, False), SENDER.address, SENDER.postcode_city))
    reader, text = pdf_text(request, "pl")
    flat = squeeze(text)
    assert squeeze("<script>alert(1)</script> & %PDF-1.4 endobj \\) (") in flat
    assert "\u202e" not in text and "\u0007" not in text and "\x00" not in text
    assert "W" * 200 in flat                                           # a 4,000-character word is wrapped, not lost
    assert "end" in flat and len(reader.pages) >= 3


def test_the_text_download_has_the_letter_the_notes_and_the_translation():
    text = as_text(letters.build(replace(CASES["bank"], language="es"), TODAY), "es")
    assert text.startswith("Your letter in Dutch".replace("Your letter in Dutch", "Tu carta en neerlandés"))
    assert "Betreft: Klacht over de weigering of opzegging van mijn betaalrekening" in text
    assert "Asunto: Queja sobre la denegación o cancelación de mi cuenta de pago" in text
    assert "Firma la carta a mano antes de enviarla." in text

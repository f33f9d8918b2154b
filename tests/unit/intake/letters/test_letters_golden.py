"""Golden tests of the complaint letter, one per channel family: the Dutch letter as a whole (golden/<case>.txt),
and, spelled out, what each family's letter must contain (docs/rights-and-letters.md).

After a deliberate change of the Dutch wording: UPDATE_GOLDEN=1 pytest tests/unit/intake/letters, then read the
diff of golden/ as a lawyer would.
"""
import os
from pathlib import Path

import pytest

from letter_cases import CASES, SENDER, TODAY
from services.intake.use_cases import letters
from services.intake.web.letter_output import letter_lines, word

GOLDEN = Path(__file__).parent / "golden"


def dutch(case):
    return "\n".join(letter_lines(word(letters.build(CASES[case], TODAY), "nl"))) + "\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_dutch_letter_is_the_golden_one(case):
    path = GOLDEN / f"{case}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(dutch(case), encoding="utf-8")
    assert dutch(case) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_letter_has_sender_date_addressee_conduct_and_a_place_to_sign(case):
    text = dutch(case)
    lines = text.splitlines()
    assert lines[:3] == [SENDER.name, SENDER.address, SENDER.postcode_city]    # name and address (Awb 9:4, 9:28 a)
    assert "Amsterdam, 3 december 2026" in lines                              # the date (dagtekening)
    assert any(line.startswith("Betreft: ") for line in lines)                 # the subject
    assert "Geachte heer, mevrouw," in lines and "Met vriendelijke groet," in lines
    assert lines[-2:] == ["(handtekening)", SENDER.name]                       # signed by hand
    assert CASES[case].account.splitlines()[0] in lines                        # the conduct, in their own words


def test_awb_letter_asks_for_chapter_9_and_the_six_weeks():
    text = dutch("awb_municipality")
    assert "Gemeente Amsterdam\nT.a.v. de klachtencoördinator" in text
    assert "hoofdstuk 9 van de Algemene wet bestuursrecht (Awb)" in text
    assert "binnen zes weken na ontvangst schriftelijk uw oordeel" in text and "artikel 9:11 Awb" in text
    assert "ontvangstbevestiging" in text


def test_police_letter_names_the_place_and_the_procedure_and_asks_for_confirmation():
    text = dutch("police")
    assert "Aan de politiechef van de politie-eenheid waar het gebeurde" in text
    assert "op 14 oktober 2026" in text and "Plaats waar het gebeurde: Keileweg, Rotterdam" in text
    assert "06-12345678" in text                                               # the police ask for a phone number
    assert "klachtregeling van de politie" in text and "schriftelijke bevestiging" in text


def test_bank_letter_is_the_internal_procedure_with_eight_weeks_the_grounds_and_kifid_next():
    text = dutch("bank")
    assert "ING Bank N.V.\nT.a.v. de klachtenafdeling" in text and "Kenmerk of nummer: NL00 INGB" in text
    assert "via uw interne klachtenprocedure" in text
    assert "op welke grond u dit besluit heeft genomen" in text                # reasons asked, not claimed as a duty
    assert "recht op een basisbetaalrekening" in text
    assert "binnen acht weken een inhoudelijk, schriftelijk antwoord" in text
    assert "Klachteninstituut Financiële Dienstverlening (Kifid)" in text


def test_kifid_letter_covers_kifids_four_points_and_numbers_the_attachments():
    text = dutch("kifid")
    assert "als consument (particulier)" in text                               # 1. a consumer
    assert "op 15 juni 2026 schriftelijk ingediend bij ING Bank N.V. (bijlage 1)" in text   # 2. complained first
    assert "Op 1 oktober 2026 heeft ING Bank N.V. een definitief standpunt ingenomen (bijlage 2)" in text  # 3.
    assert "binnen drie maanden na het definitieve standpunt" in text          # 4. in time
    assert "Bijlage 1: mijn klacht aan ING Bank N.V. van 15 juni 2026" in text


def test_kifid_letter_without_a_final_position_says_eight_weeks_passed_or_when_kifid_takes_it():
    from dataclasses import replace
    from datetime import date
    waited = letters.build(replace(CASES["kifid"], prior_final_answer_on=None), TODAY)
    assert "Ik heb na acht weken nog geen inhoudelijk antwoord ontvangen." in "\n".join(letter_lines(word(waited, "nl")))
    early = letters.build(replace(CASES["kifid"], prior_filed_on=date(2026, 11, 20), prior_final_answer_on=None),
                          TODAY)
    assert "nog geen definitief standpunt" in "\n".join(letter_lines(word(early, "nl")))
    assert [n.params for n in early.notes if n.key == "kifid_wait"] == [{"from": date(2027, 1, 15)}]


def test_ombudsman_letter_has_everything_awb_9_28_asks():
    text = dutch("ombudsman")
    assert "Nationale ombudsman\nPostbus 93122, 2509 AC Den Haag" in text      # from the directory
    assert "onderzoek in te stellen naar de manier waarop de Belastingdienst" in text   # c: conduct and who
    assert "omdat:\n\nIk werd niet respectvol behandeld" in text               # d: the grounds
    assert "op 1 maart 2026 een klacht ingediend bij de Belastingdienst (bijlage 1)" in text   # e: how complained
    assert "Op 20 mei 2026 ontving ik het antwoord (bijlage 2)" in text        # e: the body's answer
    assert "titel 9.2 van de Algemene wet bestuursrecht" in text


def test_care_letter_invokes_the_wkkgz_and_its_six_weeks():
    text = dutch("care")
    assert "Huisartsenpraktijk De Linde\nAan de klachtenfunctionaris" in text
    assert "Wet kwaliteit, klachten en geschillen zorg (Wkkgz)" in text
    assert "binnen zes weken schriftelijk uw oordeel" in text


def test_a_complaint_about_conduct_older_than_a_year_asks_to_be_handled_all_the_same():
    from dataclasses import replace
    from datetime import date
    old = letters.build(replace(CASES["awb_municipality"], incident_date=date(2025, 6, 1)), TODAY)
    assert "meer dan een jaar nadat het gebeurde" in "\n".join(letter_lines(word(old, "nl")))
    assert "late_awb" in [note.key for note in old.notes]

"""What a coordinator may write as an observation for the (published) signal report, and about which quarters."""
from datetime import date

import pytest

from services.casework.domain.signal_observations import ObservationRefused, checked, choosable_quarters

TODAY = date(2027, 2, 10)


def test_the_quarters_are_this_one_and_the_seven_before():
    assert choosable_quarters(TODAY) == ["2027-Q1", "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4",
                                         "2025-Q3", "2025-Q2"]


def test_a_pattern_is_kept_trimmed_and_an_empty_text_withdraws():
    assert checked("banks", "2026-Q4", "  Accounts closed after a check.\r\n", TODAY) == (
        "banks", "2026-Q4", "Accounts closed after a check.")
    assert checked("police", "2027-Q1", "   ", TODAY) == ("police", "2027-Q1", "")


@pytest.mark.parametrize("sector, quarter, text, reason", [
    ("banks", "2026-Q4", "Mail anna@example.org for details", "contact_details"),
    ("banks", "2026-Q4", "She called from 06-1234 5678", "contact_details"),
    ("banks", "2026-Q4", "Bel +31 20 123 4567", "contact_details"),
    ("banks", "2026-Q4", "As in case vp-ab12-cd34", "case_reference"),
    ("banks", "2026-Q4", "x" * 2001, "too_long"),
    ("bank", "2026-Q4", "ok", "sector"),
    ("banks", "2024-Q4", "too old", "quarter"),
    ("banks", "2027-Q2", "the future", "quarter"),
])
def test_what_cannot_be_published_is_refused_with_its_reason(sector, quarter, text, reason):
    with pytest.raises(ObservationRefused) as refused:
        checked(sector, quarter, text, TODAY)
    assert str(refused.value) == reason


def test_numbers_that_are_not_phone_numbers_pass():
    assert checked("banks", "2026-Q4", "In 2026 about 40 of 120 complaints; 3 banks, 12 weeks.", TODAY)[2]

"""The 342 Dutch municipalities of 2025 (CBS codes), read from the CSV shipped with the package."""
import csv
from functools import lru_cache
from pathlib import Path

CSV_PATH = Path(__file__).parent / "data" / "nl-gemeenten-2025.csv"
EXPECTED_COUNT = 342


class MunicipalityDataError(Exception):
    pass


@lru_cache(maxsize=1)
def municipalities():
    """GM code → {"name", "province"}; validated: unique codes, GM#### format, exactly 342 rows."""
    result = {}
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.get("gm_code") or "").strip()
            if len(code) != 6 or not code.startswith("GM") or not code[2:].isdigit():
                raise MunicipalityDataError(f"{CSV_PATH.name} line {line_no}: bad gm_code")
            if code in result:
                raise MunicipalityDataError(f"{CSV_PATH.name} line {line_no}: duplicate {code}")
            result[code] = {"name": row["gm_naam"].strip(), "province": row["provincie"].strip()}
    if len(result) != EXPECTED_COUNT:
        raise MunicipalityDataError(f"{CSV_PATH.name}: expected {EXPECTED_COUNT} municipalities, got {len(result)}")
    return result


def province_of(code):
    entry = municipalities().get(code) if code else None
    return entry["province"] if entry else None

"""The 342 Dutch municipalities of 2025 (CBS codes, names, provinces): the repository's one copy and its reader.

Source and provenance of the CSV: docs/reference-data.md. Intake's form, routing's ombudsman mapping, notification's
mediator matching and analytics' regions all read this file through this module.
"""
import csv
from functools import lru_cache
from pathlib import Path

CSV_PATH = Path(__file__).parent / "data" / "nl-gemeenten-2025.csv"
EXPECTED_COUNT = 342
PROVINCES = (
    "Drenthe", "Flevoland", "Friesland", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
    "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
)


class MunicipalityDataError(Exception):
    pass


@lru_cache(maxsize=1)
def rows() -> tuple:
    """The CSV's rows as dicts (gm_code, cbs_code, gm_naam, provincie, jaar), in file order."""
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@lru_cache(maxsize=1)
def municipalities() -> dict:
    """GM code → {"name", "province"}; validated: unique codes, GM#### format, known provinces, exactly 342."""
    result = {}
    for line_no, row in enumerate(rows(), start=2):
        code = (row.get("gm_code") or "").strip()
        if len(code) != 6 or not code.startswith("GM") or not code[2:].isdigit():
            raise MunicipalityDataError(f"{CSV_PATH.name} line {line_no}: bad gm_code")
        if code in result:
            raise MunicipalityDataError(f"{CSV_PATH.name} line {line_no}: duplicate {code}")
        province = row["provincie"].strip()
        if province not in PROVINCES:
            raise MunicipalityDataError(f"{CSV_PATH.name} line {line_no}: unknown province {province!r}")
        result[code] = {"name": row["gm_naam"].strip(), "province": province}
    if len(result) != EXPECTED_COUNT:
        raise MunicipalityDataError(f"{CSV_PATH.name}: expected {EXPECTED_COUNT} municipalities, got {len(result)}")
    return result


def name_of(code):
    entry = municipalities().get(code) if code else None
    return entry["name"] if entry else None


def province_of(code):
    """None for no municipality or a code not in the 2025 list."""
    entry = municipalities().get(code) if code else None
    return entry["province"] if entry else None


@lru_cache(maxsize=1)
def by_name() -> tuple:
    """((gm_code, name), ...) sorted as people look for a name: a leading apostrophe ignored ('s-Gravenhage under G)."""
    return tuple(sorted(((code, entry["name"]) for code, entry in municipalities().items()),
                        key=lambda pair: pair[1].lstrip("'").casefold()))

"""Municipality → province, read from the CSV shipped inside this package (no runtime dependency on ../shared).

The fact store keeps the province only: a municipality plus month plus institution type can single out a person
in a small place, twelve provinces cannot.
"""
import csv
from functools import lru_cache
from pathlib import Path

CSV_PATH = Path(__file__).parent / "data" / "nl-gemeenten-2025.csv"

PROVINCES = (
    "Drenthe", "Flevoland", "Friesland", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
    "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
)


@lru_cache(maxsize=1)
def municipality_provinces() -> dict[str, str]:
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        table = {row["gm_code"].strip(): row["provincie"].strip() for row in csv.DictReader(handle)}
    unknown = set(table.values()) - set(PROVINCES)
    if unknown:
        raise ValueError(f"{CSV_PATH.name}: unknown province(s) {sorted(unknown)}")
    return table


def province_of(municipality_code: str | None) -> str | None:
    """None for no municipality or a code not in the 2025 list (the fact then has no region)."""
    if not municipality_code:
        return None
    return municipality_provinces().get(municipality_code)

"""The 342 Dutch municipalities (2025), for the <select> and for checking a submitted GM code.

A private copy of the shared CSV lives in ./data so the running service depends on nothing outside its package.
"""
import csv
from pathlib import Path

_CSV = Path(__file__).parent / "data" / "nl-gemeenten-2025.csv"


def _load():
    with _CSV.open(encoding="utf-8") as handle:
        rows = [(row["gm_code"], row["gm_naam"]) for row in csv.DictReader(handle)]
    # Sorted by name, ignoring a leading apostrophe ('s-Gravenhage files under G, as people look for it).
    return tuple(sorted(rows, key=lambda row: row[1].lstrip("'").casefold()))


MUNICIPALITIES = _load()                       # ((gm_code, name), ...) in alphabetical order
MUNICIPALITY_NAMES = dict(MUNICIPALITIES)      # gm_code -> name

"""Sectors of the signal report: which institution types each covers.

The signal report speaks to a sector (all banks, all municipalities), never to one institution: the events name
only the type of institution, and a sector is a fixed group of types. `other_institutions` holds the remaining
types so that the sectors partition every quarter's complaints; that is what makes the sector tables add up to
the evaluation's totals, so one disclosure block can protect both reports (docs/analytics.md, "Signal report").
"""
from libs.contracts.events import INSTITUTION_TYPES, SIGNAL_SECTORS

SECTOR_TYPES = {
    "banks": ("bank",),
    "insurers": ("insurer", "health_insurer"),
    "municipalities": ("municipality",),
    "police": ("police",),
    "care": ("care_provider",),
    "tax": ("tax_authority",),
    "landlords": ("landlord",),
}
OTHER_SECTOR = "other_institutions"
SECTOR_TYPES[OTHER_SECTOR] = tuple(t for t in INSTITUTION_TYPES
                                   if not any(t in types for types in SECTOR_TYPES.values()))
SECTORS = tuple(SECTOR_TYPES)
# the sectors institutions can subscribe to (the rest is shown in the report, not announced to anyone)
SUBSCRIBABLE_SECTORS = tuple(s for s in SECTORS if s != OTHER_SECTOR)

assert SECTORS == SIGNAL_SECTORS  # the event catalogue names the same sectors
assert sorted(t for types in SECTOR_TYPES.values() for t in types) == sorted(INSTITUTION_TYPES)


def sector_of(institution_type: str) -> str:
    return next(sector for sector, types in SECTOR_TYPES.items() if institution_type in types)

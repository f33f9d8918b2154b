"""The indicators' definitions: which cases each published cell counts, how a quarter's totals add up, and the
duration statistics (nearest-rank median and 90th percentile). In words: docs/indicators.md.

A cell counts the cases whose fact row matches all of its criteria ({fact column: value}, where None means "not
known" and True/False a flag). use_cases/indicator_counts.py turns the criteria into one SQL scan per report, so
the database does the counting; this module holds no I/O.
"""
import math

from libs.contracts.events import INSTITUTION_TYPES, ISSUES, MEDIATION_OUTCOMES, REPORTER_ROLES
from services.analytics.domain import published_tables
from services.analytics.domain.disclosure import Block
from services.analytics.domain.facts import STAGES
from services.analytics.domain.sectors import SECTOR_TYPES, sector_of
from services.analytics.domain.signal_tables import cell_key, total_key


def cell_criteria():
    """(cell key, {fact column: value}) for every counted cell of a quarter; totals are added up afterwards."""
    yield from ((f"type:{t}", {"institution_type": t}) for t in INSTITUTION_TYPES)
    yield from ((f"issue:{i}", {"issue": i}) for i in ISSUES)
    yield from ((f"signal_role:{r}", {"signal": True, "reporter_role": r}) for r in REPORTER_ROLES)
    yield from ((f"stage:{s}", {"stage": s}) for s in STAGES)
    yield ("term:within_term", {"answered_within_term": True})
    yield ("term:after_term", {"answered_within_term": False})
    yield ("term:unknown", {"answered_within_term": None})
    yield from ((f"mediation:{m}", {"mediation_outcome": None, "mediation": m})
                for m in published_tables.MEDIATION_OPEN_STATES)
    yield from ((f"mediation:outcome_{o}", {"mediation_outcome": o}) for o in MEDIATION_OUTCOMES)
    yield from ((f"prior:{t}", {"had_prior_complaint": True, "institution_type": t}) for t in INSTITUTION_TYPES)
    yield from ((f"solved:{a}", {"solved": None if a == "no_answer" else a}) for a in published_tables.SOLVED_STATES)
    for who in ("institution_respect", "desk_respect"):
        yield from ((f"{who}:{a}", {who: {"yes": True, "no": False, "no_answer": None}[a]})
                    for a in published_tables.RESPECT_STATES)
    yield ("reopen:requested", {"reopen_requested": True})
    yield ("reopen:not_requested", {"reopen_requested": False})


# The signal report's cells (a sector's complaints by issue, by stage, by legal term) are counted by grouping on
# (quarter, institution type, column) rather than by a conditional sum each: 144 more sums would triple the scan.
# column of the fact row -> the signal report's dimension; a term cell is the answered-within-term flag
SIGNAL_COLUMNS = {"issue": "issue", "stage": "stage", "answered_within_term": "term"}
_TERM_OF_FLAG = {True: "within_term", False: "after_term", None: "unknown"}


def signal_cell(column: str, institution_type: str, value) -> str:
    """The sector cell a group of fact rows (institution type, column value) is counted in."""
    dimension = SIGNAL_COLUMNS[column]
    return cell_key(dimension, sector_of(institution_type), _TERM_OF_FLAG[value] if dimension == "term" else value)


def _parts_of(prefix):
    return [key.split(":", 1)[1] for key in published_tables.block_keys() if key.startswith(prefix + ":")]


def add_totals(values: dict) -> dict:
    """Set a quarter's totals to the sums of their parts (mutates and returns `values`).

    The totals are sums of their parts by construction, so every line of the block adds up exactly."""
    keys = published_tables.keys
    values["total"] = sum(values[k] for k in keys("type", _parts_of("type")))
    values["signal"] = sum(values[k] for k in keys("signal_role", _parts_of("signal_role")))
    values["prior_total"] = sum(values[k] for k in keys("prior", _parts_of("prior")))
    for sector, types in SECTOR_TYPES.items():
        values[total_key(sector)] = sum(values[f"type:{t}"] for t in types)
    return values


def quarter_block(quarter: str, values: dict) -> Block:
    """A quarter's true counts as one disclosure block (before disclosure control)."""
    return Block(published_tables.BLOCK_NAME, quarter, values, published_tables.block_lines())


def nearest_rank(histogram: list[tuple[int, int]], fraction: float) -> int:
    """The nearest-rank quantile of a sorted (value, count) histogram: the smallest value covering ceil(f*n)."""
    n = sum(count for _value, count in histogram)
    rank = max(1, math.ceil(fraction * n))
    covered = 0
    for value, count in histogram:
        covered += count
        if covered >= rank:
            return value
    raise ValueError("empty histogram")


def duration_stats(histogram: list[tuple[int, int]], threshold: int) -> dict:
    """{"median", "p90"} of a sorted (days, cases) histogram; None for both when fewer than `threshold` cases."""
    enough = sum(count for _days, count in histogram) >= threshold
    return {"median": nearest_rank(histogram, 0.5) if enough else None,
            "p90": nearest_rank(histogram, 0.9) if enough else None}

"""The signal report's cells: per sector, its complaints by issue, by stage at the institution's own step (the
second line = `escalation_available`) and by legal term, and how each of them adds up.

These cells live in the same quarterly disclosure block as the evaluation's (published_tables.block_lines adds
`signal_lines()`): a sector's issue counts add up to the evaluation's issue totals across sectors, and a sector's
total is the sum of the evaluation's institution-type counts. Protected apart, the two reports could be
subtracted from each other; protected together, every cell either report publishes comes from one suppression
pattern, which depends on the quarter's data only (so every release repeats a quarter exactly).
"""
from libs.contracts.events import ISSUES
from services.analytics.domain.disclosure import Line
from services.analytics.domain.facts import STAGES
from services.analytics.domain.sectors import SECTOR_TYPES, SECTORS

TERM_STATES = ("within_term", "after_term", "unknown")
SECOND_LINE_STAGE = "escalation_available"  # the institution's own step did not settle it: the second line is open
assert SECOND_LINE_STAGE in STAGES

DIMENSIONS = (("issue", ISSUES), ("stage", STAGES), ("term", TERM_STATES))


def total_key(sector: str) -> str:
    return f"sector:{sector}"


def cell_key(dimension: str, sector: str, value: str) -> str:
    return f"sector_{dimension}:{sector}:{value}"


def signal_lines() -> tuple[Line, ...]:
    lines = [Line(total_key(s), tuple(f"type:{t}" for t in SECTOR_TYPES[s])) for s in SECTORS]
    lines.append(Line("total", tuple(total_key(s) for s in SECTORS)))
    for dimension, values in DIMENSIONS:
        lines += [Line(total_key(s), tuple(cell_key(dimension, s, v) for v in values)) for s in SECTORS]
        lines += [Line(f"{dimension}:{v}", tuple(cell_key(dimension, s, v) for s in SECTORS)) for v in values]
    return tuple(lines)

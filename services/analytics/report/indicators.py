"""Count the indicators per quarter with SQL aggregation (GROUP BY in the database, never a loop over rows).

The counts take one scan (a conditional sum per cell, grouped by quarter); each duration takes one scan
grouped by (quarter, days), and quantiles come from those small histograms. The report's cost is a handful
of sequential scans, linear in the number of cases, and its memory does not grow with them.
"""
import math

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from libs.contracts.events import INSTITUTION_TYPES, ISSUES, MEDIATION_OUTCOMES, REPORTER_ROLES
from services.analytics.disclosure import Block
from services.analytics.facts import STAGES
from services.analytics.report import tables
from services.analytics.report.periods import quarters_between
from services.analytics.store import case_facts_table

facts = case_facts_table.c


def _in_period(period_from: str, period_to: str):
    # by quarter, which has no index on purpose: a report reads most of the table, and a sequential scan beats
    # an index walk plus a row lookup per case (3x on SQLite with 100,000 cases)
    quarters = quarters_between(period_from, period_to)
    return and_(facts.received, facts.quarter >= quarters[0], facts.quarter <= quarters[-1])


def cell_conditions():
    """(cell key, SQL condition) for every counted cell of a quarter; totals are added up afterwards."""
    yield from ((f"type:{t}", facts.institution_type == t) for t in INSTITUTION_TYPES)
    yield from ((f"issue:{i}", facts.issue == i) for i in ISSUES)
    yield from ((f"signal_role:{r}", and_(facts.signal.is_(True), facts.reporter_role == r)) for r in REPORTER_ROLES)
    yield from ((f"stage:{s}", facts.stage == s) for s in STAGES)
    yield ("term:within_term", facts.answered_within_term.is_(True))
    yield ("term:after_term", facts.answered_within_term.is_(False))
    yield ("term:unknown", facts.answered_within_term.is_(None))
    yield from ((f"mediation:{m}", and_(facts.mediation_outcome.is_(None), facts.mediation == m))
                for m in tables.MEDIATION_OPEN_STATES)
    yield from ((f"mediation:outcome_{o}", facts.mediation_outcome == o) for o in MEDIATION_OUTCOMES)
    yield from ((f"prior:{t}", and_(facts.had_prior_complaint.is_(True), facts.institution_type == t))
                for t in INSTITUTION_TYPES)


def count_blocks(session: Session, quarters: list[str], period_from: str, period_to: str) -> list[Block]:
    """True counts per quarter (before disclosure control): one scan, one conditional sum per cell."""
    keys = tables.block_keys()
    values = {quarter: dict.fromkeys(keys, 0) for quarter in quarters}
    conditions = list(cell_conditions())
    assert {key for key, _c in conditions} <= set(keys)
    sums = [func.sum(case((condition, 1), else_=0)) for _key, condition in conditions]
    rows = session.execute(select(facts.quarter, *sums).where(_in_period(period_from, period_to))
                           .group_by(facts.quarter))
    for quarter, *counts in rows:
        if quarter in values:
            values[quarter].update({key: count or 0 for (key, _c), count in zip(conditions, counts)})
    for quarter_values in values.values():
        # the totals are sums of their parts by construction, so every line adds up exactly
        quarter_values["total"] = sum(quarter_values[k] for k in tables.keys("type", _parts_of("type")))
        quarter_values["signal"] = sum(quarter_values[k] for k in tables.keys("signal_role", _parts_of("signal_role")))
        quarter_values["prior_total"] = sum(quarter_values[k] for k in tables.keys("prior", _parts_of("prior")))
    return [tables_block(quarter, values[quarter]) for quarter in quarters]


def _parts_of(prefix):
    return [key.split(":", 1)[1] for key in tables.block_keys() if key.startswith(prefix + ":")]


def tables_block(quarter: str, values: dict) -> Block:
    return Block(tables.BLOCK_NAME, quarter, values, tables.block_lines())


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


def durations(session: Session, quarters: list[str], period_from: str, period_to: str, threshold: int) -> dict:
    """{quarter: {measure: {"median", "p90"}}}; None where fewer than `threshold` cases have the duration."""
    result = {quarter: {} for quarter in quarters}
    for measure, _label in tables.DURATIONS:
        column = facts[measure]
        histograms = {quarter: [] for quarter in quarters}
        rows = session.execute(select(facts.quarter, column, func.count())
                               .where(_in_period(period_from, period_to), column.is_not(None))
                               .group_by(facts.quarter, column).order_by(facts.quarter, column))
        for quarter, days, count in rows:
            if quarter in histograms:
                histograms[quarter].append((days, count))
        for quarter, histogram in histograms.items():
            n = sum(count for _days, count in histogram)
            enough = n >= threshold
            result[quarter][measure] = {
                "median": nearest_rank(histogram, 0.5) if enough else None,
                "p90": nearest_rank(histogram, 0.9) if enough else None,
            }
    return result

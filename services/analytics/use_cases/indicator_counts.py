"""Count the indicators per quarter with SQL aggregation (GROUP BY in the database, never a loop over rows).

The counts take one scan (a conditional sum per cell, grouped by quarter); each duration takes one scan
grouped by (quarter, days), and quantiles come from those small histograms. The report's cost is a handful
of sequential scans, linear in the number of cases, and its memory does not grow with them. What each cell
counts is defined in domain/indicators.py.
"""
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from services.analytics.domain import indicators, published_tables
from services.analytics.domain.disclosure import Block
from services.analytics.domain.periods import quarters_between
from services.analytics.tables import case_facts_table, partner_answers_table

facts = case_facts_table.c


def _in_period(period_from: str, period_to: str):
    # by quarter, which has no index on purpose: a report reads most of the table, and a sequential scan beats
    # an index walk plus a row lookup per case (3x on SQLite with 100,000 cases)
    quarters = quarters_between(period_from, period_to)
    return and_(facts.received, facts.quarter >= quarters[0], facts.quarter <= quarters[-1])


def _matches(criteria: dict):
    """A cell's criteria as SQL: IS for flags and unknowns, = for categories."""
    return and_(*(facts[column].is_(value) if value is None or isinstance(value, bool) else facts[column] == value
                  for column, value in criteria.items()))


def cell_conditions():
    """(cell key, SQL condition) for every counted cell of a quarter; totals are added up afterwards."""
    return [(key, _matches(criteria)) for key, criteria in indicators.cell_criteria()]


def count_blocks(session: Session, quarters: list[str], period_from: str, period_to: str) -> list[Block]:
    """True counts per quarter (before disclosure control): one scan, one conditional sum per cell."""
    keys = published_tables.block_keys()
    values = {quarter: dict.fromkeys(keys, 0) for quarter in quarters}
    conditions = cell_conditions()
    assert {key for key, _c in conditions} <= set(keys)  # the sector cells are counted by _count_sector_cells
    sums = [func.sum(case((condition, 1), else_=0)) for _key, condition in conditions]
    rows = session.execute(select(facts.quarter, *sums).where(_in_period(period_from, period_to))
                           .group_by(facts.quarter))
    for quarter, *counts in rows:
        if quarter in values:
            values[quarter].update({key: count or 0 for (key, _c), count in zip(conditions, counts)})
    _count_sector_cells(session, values, period_from, period_to)
    return [indicators.quarter_block(quarter, indicators.add_totals(values[quarter])) for quarter in quarters]


def _count_sector_cells(session: Session, values: dict, period_from: str, period_to: str) -> None:
    """The signal report's sector cells: one scan grouped by (quarter, type, issue, stage, term) — at most a few
    thousand small groups — each group added to its sector's issue, stage and term cell."""
    columns = list(indicators.SIGNAL_COLUMNS)
    rows = session.execute(select(facts.quarter, facts.institution_type, *(facts[c] for c in columns), func.count())
                           .where(_in_period(period_from, period_to), facts.institution_type.is_not(None))
                           .group_by(facts.quarter, facts.institution_type, *(facts[c] for c in columns)))
    for quarter, institution_type, *group, count in rows:
        if quarter not in values:
            continue
        for column, value in zip(columns, group):
            if column == "answered_within_term" or value is not None:
                values[quarter][indicators.signal_cell(column, institution_type, value)] += count


def durations(session: Session, quarters: list[str], period_from: str, period_to: str, threshold: int) -> dict:
    """{quarter: {measure: {"median", "p90"}}}; None where fewer than `threshold` cases have the duration."""
    result = {quarter: {} for quarter in quarters}
    for measure, _label in published_tables.DURATIONS:
        histograms = {quarter: [] for quarter in quarters}
        if measure == "days_to_partner_answer":
            # by the quarter the complaint was received in, one value per (case, partner) that answered
            column = partner_answers_table.c.days_to_answer
            source = case_facts_table.join(partner_answers_table, partner_answers_table.c.pseudonym == facts.pseudonym)
        else:
            column, source = facts[measure], case_facts_table
        rows = session.execute(select(facts.quarter, column, func.count()).select_from(source)
                               .where(_in_period(period_from, period_to), column.is_not(None))
                               .group_by(facts.quarter, column).order_by(facts.quarter, column))
        for quarter, days, count in rows:
            if quarter in histograms:
                histograms[quarter].append((days, count))
        for quarter, histogram in histograms.items():
            result[quarter][measure] = indicators.duration_stats(histogram, threshold)
    return result

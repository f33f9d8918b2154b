"""The signal report's disclosure control, over random fact stores (hypothesis): no published count of the signal
report is between 1 and the threshold, no hidden count can be recomputed from the published ones (in the signal
report, together with the evaluation report, or together with an earlier release), and bad periods get clear
answers."""
import json
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from libs.contracts.events import ISSUES, MEDIATION_OUTCOMES
from support.analytics_testlib import new_session
from support.disclosure_attacker import disclosed_cells
from services.analytics.domain.disclosure import check_release
from services.analytics.domain.facts import STAGES
from services.analytics.domain.periods import first_month, last_month
from services.analytics.domain.render_signals import render_signals
from services.analytics.domain.signal_report import NothingToReport
from services.analytics.tables import case_facts_table
from services.analytics.use_cases import indicator_counts
from services.analytics.use_cases.reports import ReleaseRefused, build_report
from services.analytics.use_cases.signal_reports import build_signal_report, publish_signals

THRESHOLD = 10
QUARTERS = ("2026-Q1", "2026-Q2")
_ids = count()

# few institution types and issues, so that random stores have many small and many linked counts
fact_rows = st.fixed_dictionaries({
    "quarter": st.sampled_from(QUARTERS),
    "institution_type": st.sampled_from(("bank", "insurer", "health_insurer", "police", "landlord", "uwv")),
    "issue": st.sampled_from(("refused_service", "account_refused_or_closed", "violence", "privacy")),
    "stage": st.sampled_from(("final_answer", "escalation_available", "not_filed")),
    "answered_within_term": st.sampled_from((True, False, None)),
    "days_to_institution_answer": st.one_of(st.none(), st.integers(0, 90)),
})
# a store: a few groups of identical cases (so that counts of 10 and more occur as well as small ones)
stores = st.lists(st.tuples(fact_rows, st.integers(1, 14)), min_size=1, max_size=12)


def _store(groups):
    session = new_session()
    rows = []
    for row, times in groups:
        month = first_month(row["quarter"])
        rows += [{"pseudonym": f"{next(_ids):032x}", "received": True, "month": month, "quarter": row["quarter"],
                  "reporter_role": "sex_worker", "signal": row["issue"] == "violence", "wants_mediation": False,
                  "plan_count": 1, "deadline_due_count": 0, "mediation": "not_requested",
                  "mediation_unmatched": False, "had_prior_complaint": False,
                  **{k: v for k, v in row.items() if k != "quarter"}} for _ in range(times)]
    session.execute(case_facts_table.insert(), rows)
    return session


def _published_counts(document):
    """Every count the json form publishes (growth *changes* are differences of published counts, not counts)."""
    for sector in document["sectors"]:
        for quarter in sector["quarters"]:
            yield quarter["complaints"]
            yield quarter["second_line"]
            for table in ("by_issue", "by_stage", "by_term"):
                yield from quarter[table].values()
            for growth in quarter["growing_issues"]:
                yield growth["from"]
                yield growth["to"]


# each example builds both reports and runs the exhaustive attacker over ~200 linked cells: a few seconds on a busy
# box, so fewer examples than the block-level tests in test_analytics_disclosure.py
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores)
def test_no_published_count_is_small_and_no_hidden_count_can_be_recomputed(groups):
    session = _store(groups)
    try:
        report = build_signal_report(session, "2026-01", "2026-06", THRESHOLD)
    except NothingToReport:
        assert all(row["quarter"] not in QUARTERS for row, _n in groups)
        return
    assert report.problems == []
    document = json.loads(render_signals(report, "json")[1])
    for value in _published_counts(document):
        assert value is None or value == 0 or value >= THRESHOLD, value
    raw = {b.period: b for b in indicator_counts.count_blocks(session, ["2025-Q4", *QUARTERS], "2025-10",
                                                              "2026-06")}
    evaluation = build_report(session, "2026-01", "2026-06", THRESHOLD)
    for quarter in QUARTERS:
        released = report.blocks[quarter]
        # the evaluation report publishes the same block, cell for cell: nothing to difference between the two
        assert evaluation.block(quarter).cells == released.cells
        for key, value in released.cells.items():
            assert value is None or value == raw[quarter].values[key]
        cap = 2 * max(raw[quarter].values.values()) + THRESHOLD
        assert disclosed_cells(released.cells, raw[quarter], cap) == set()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores)
def test_a_later_release_repeats_the_earlier_one_and_a_changed_quarter_is_refused(groups):
    session = _store(groups)
    try:
        first = build_signal_report(session, "2026-01", "2026-03", THRESHOLD)
    except NothingToReport:
        return
    publish_signals(session, first, "json")
    try:
        later = build_signal_report(session, "2026-01", "2026-06", THRESHOLD)
    except NothingToReport:
        return
    assert later.problems == []
    assert later.blocks["2026-Q1"].cells == first.blocks["2026-Q1"].cells
    assert check_release(list(later.blocks.values()), THRESHOLD, previous=list(first.blocks.values())) == []
    # a late event changes 2026-Q1 after its release: the next release of 2026-Q1 is refused, not published
    session.execute(case_facts_table.insert(), [{
        "pseudonym": f"{next(_ids):032x}", "received": True, "month": "2026-02", "quarter": "2026-Q1",
        "institution_type": "bank", "issue": "privacy", "reporter_role": "sex_worker", "signal": False,
        "wants_mediation": False, "plan_count": 1, "deadline_due_count": 0, "stage": "not_filed",
        "mediation": "not_requested", "mediation_unmatched": False} for _ in range(THRESHOLD)])
    changed = build_signal_report(session, "2026-01", "2026-06", THRESHOLD)
    if changed.blocks["2026-Q1"].cells != first.blocks["2026-Q1"].cells:
        assert any("differs from the previous release" in p for p in changed.problems)
        with pytest.raises(ReleaseRefused):
            publish_signals(session, changed, "json")


def test_a_period_with_nothing_in_it_gets_a_clear_answer():
    session = _store([({"quarter": "2026-Q1", "institution_type": "bank", "issue": "privacy", "stage": "not_filed",
                        "answered_within_term": None, "days_to_institution_answer": None}, 12)])
    with pytest.raises(NothingToReport, match="no complaints were received in 2027-Q1: there is nothing to report"):
        build_signal_report(session, "2027-01", "2027-03", THRESHOLD)


def test_a_sector_with_only_small_counts_shows_no_numbers_and_says_so():
    groups = [({"quarter": "2026-Q1", "institution_type": "bank", "issue": issue, "stage": stage,
                "answered_within_term": None, "days_to_institution_answer": 5}, 3)
              for issue in ("privacy", "violence") for stage in ("not_filed", "final_answer")]
    groups.append(({"quarter": "2026-Q1", "institution_type": "police", "issue": "privacy", "stage": "not_filed",
                    "answered_within_term": None, "days_to_institution_answer": None}, 40))
    report = build_signal_report(_store(groups), "2026-01", "2026-03", THRESHOLD)
    assert report.problems == []
    assert report.total("banks", "2026-Q1") is not None  # 12 complaints: the total itself may be shown ...
    assert report.all_hidden("banks", "2026-Q1") is False
    for value in [*report.by_issue("banks", "2026-Q1").values(), *report.by_stage("banks", "2026-Q1").values()]:
        assert value is None or value == 0                # ... but no breakdown of 3s and 6s
    small = build_signal_report(_store([({"quarter": "2026-Q1", "institution_type": "landlord", "issue": "privacy",
                                          "stage": "not_filed", "answered_within_term": None,
                                          "days_to_institution_answer": 3}, 4), groups[-1]]),
                                "2026-01", "2026-03", THRESHOLD)
    assert small.all_hidden("landlords", "2026-Q1")
    assert small.answer_days["2026-Q1"]["landlords"] == {"median": None, "p90": None}
    html = render_signals(small, "html")[1].decode()
    assert "too few complaints about this sector to show any numbers" in html

"""Report numbers equal an independent recomputation straight from the synthetic events."""
import math
from collections import Counter, defaultdict

import pytest

from support.analytics_testlib import KEY, new_session
from services.analytics.domain.periods import PeriodError
from services.analytics.domain.render import render
from services.analytics.use_cases.reports import ReleaseRefused, build_report, publish
from services.analytics.use_cases.synthetic import load_synthetic, synthetic_stream

N, SEED, THRESHOLD = 3000, 41, 10
SIGNAL = {"violence", "exploitation"}
# the signal report's sectors, written out again (not imported) so the recomputation stays independent
SECTOR = {"bank": "banks", "insurer": "insurers", "health_insurer": "insurers", "municipality": "municipalities",
          "police": "police", "care_provider": "care", "tax_authority": "tax", "landlord": "landlords"}


def quarter(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def first(*days):
    days = [d for d in days if d is not None]
    return min(days) if days else None


def expected_from_events(events):
    """Per quarter: Counter of cell key -> count, and duration lists; written from the indicator definitions."""
    cases = defaultdict(list)
    for event_type, data, occurred_at in events:
        cases[data["case_ref"]].append((event_type, data, occurred_at))
    counts, durations = defaultdict(Counter), defaultdict(lambda: defaultdict(list))
    for case in cases.values():
        kinds = [event_type for event_type, _d, _a in case]
        if "complaint.withdrawn" in kinds or "complaint.received" not in kinds:
            continue
        r = next(d for t, d, _a in case if t == "complaint.received")
        q = quarter(r["received_on"])
        prior = r["prior_complaint"] or {}
        progress = [(d["kind"], d["on"]) for t, d, _a in case if t == "complaint.progress_reported"]
        filed = first(prior.get("filed_on"), *[on for k, on in progress if k == "filed_with_institution"])
        final = first(prior.get("final_answer_on"), *[on for k, on in progress if k == "final_answer_received"])
        answer = first(final, *[on for k, on in progress if k == "answer_received"])
        escalation = first(*[d["due_on"] for t, d, _a in case if t == "referral.escalation_available"])
        plans = [(a.date(), d) for t, d, a in case if t == "referral.planned"]
        latest_plan = None
        if plans:  # the plan made last wins; on the same day the one that arrived last
            latest_day = max(p[0] for p in plans)
            latest_plan = [d for day, d in plans if day == latest_day][-1]
        due = next((s["answer_due"] for s in latest_plan["steps"] if s["answer_due"]), None) if latest_plan else None
        assigned = first(*[d["assigned_on"] for t, d, _a in case if t == "mediation.assigned"])
        outcomes = sorted((d["recorded_on"], d["outcome"]) for t, d, _a in case if t == "mediation.outcome_recorded")
        unmatched = "mediation.unmatched" in kinds
        wants = r["wants_mediation"] or any(d["wants_mediation"] for _day, d in plans)

        c = counts[q]
        c["total"] += 1
        c[f"type:{r['institution_type']}"] += 1
        c[f"issue:{r['issue']}"] += 1
        if r["issue"] in SIGNAL:
            c["signal"] += 1
            c[f"signal_role:{r['reporter_role']}"] += 1
        if prior.get("filed_on"):
            c["prior_total"] += 1
            c[f"prior:{r['institution_type']}"] += 1
        if final and (escalation is None or final <= escalation):
            stage = "final_answer"
        elif escalation:
            stage = "escalation_available"
        else:
            stage = "answered" if answer else ("filed_waiting" if filed else "not_filed")
        c[f"stage:{stage}"] += 1
        term = "unknown" if answer is None or due is None else "within_term" if answer <= due else "after_term"
        c["term:" + term] += 1
        sector = SECTOR.get(r["institution_type"], "other_institutions")
        c[f"sector:{sector}"] += 1
        c[f"sector_issue:{sector}:{r['issue']}"] += 1
        c[f"sector_stage:{sector}:{stage}"] += 1
        c[f"sector_term:{sector}:{term}"] += 1
        if outcomes:
            mediation = f"outcome_{outcomes[-1][1]}"
        else:
            mediation = "assigned" if assigned else "unmatched" if unmatched else "waiting" if wants else "not_requested"
        c[f"mediation:{mediation}"] += 1
        # I-9 "did it help?": the latest answer speaks; a reopen request counts once per case
        answers = sorted((d["given_on"], i, d) for i, (t, d, _a) in enumerate(case) if t == "complaint.feedback_given")
        latest = answers[-1][2] if answers else {}
        c["solved:" + latest.get("solved", "no_answer")] += 1
        for who, field in (("institution_respect", "institution_treatment"), ("desk_respect", "desk_treatment")):
            level = latest.get(field)
            c[f"{who}:" + ("no_answer" if level is None else "yes" if level >= 4 else "no")] += 1
        c["reopen:" + ("requested" if any(d["reopen"] for _g, _i, d in answers) else "not_requested")] += 1
        changes = [d for t, d, _a in case if t == "case.status_changed"]
        first_action = first(*[d["changed_on"] for d in changes])
        closed = first(*[d["changed_on"] for d in changes if d["status"] == "closed"])

        received_on = r["received_on"]
        first_plan = min(p[0] for p in plans) if plans else None
        outcome_day = first(*[d for d in (final, outcomes[0][0] if outcomes else None)
                              if d is not None and d >= received_on])
        for name, start, end in (("days_to_referral", received_on, first_plan),
                                 ("days_to_institution_answer", filed, answer),
                                 ("days_to_mediator", received_on, assigned),
                                 ("days_to_outcome", received_on, outcome_day),
                                 ("days_to_first_response", received_on, first_action),
                                 ("days_to_closure", received_on, closed)):
            if start is not None and end is not None and end >= start:
                durations[q][name].append((end - start).days)
        answered_by = {}  # a partner's first answer (answered or closed) about its referral, in days
        for t, d, _a in sorted(case, key=lambda event: event[2]):
            if t == "referral.partner_status_changed" and d["status"] in ("answered", "closed"):
                answered_by.setdefault(d["partner_id"], (d["changed_at"].date() - d["referred_on"]).days)
        durations[q]["days_to_partner_answer"].extend(answered_by.values())
    return counts, durations


def nearest_rank(values, fraction):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


@pytest.fixture(scope="module")
def built():
    session = new_session()
    load_synthetic(session, N, SEED, pseudonym_key=KEY)
    report = build_report(session, "2026-01", "2028-12", THRESHOLD)
    return session, report


def test_published_counts_equal_the_recomputation_and_small_counts_are_hidden(built):
    _session, report = built
    expected, _durations = expected_from_events(synthetic_stream(N, SEED))
    assert report.problems == []
    assert len(report.quarters) == 12
    published = suppressed = 0
    for q in report.quarters:
        for key, value in report.block(q).cells.items():
            truth = expected[q][key]
            if value is None:
                suppressed += 1
                assert truth > 0, (q, key)            # zeros are published, never hidden
            else:
                published += 1
                assert value == truth, (q, key, value, truth)
            if 0 < truth < THRESHOLD:
                assert value is None, (q, key, truth)
    assert published > 300 and suppressed > 20      # the data exercise both paths


def test_durations_equal_the_recomputation(built):
    _session, report = built
    _counts, expected = expected_from_events(synthetic_stream(N, SEED))
    for q in report.quarters:
        for measure, stats in report.durations[q].items():
            values = expected[q][measure]
            if len(values) < THRESHOLD:
                assert stats == {"median": None, "p90": None}
            else:
                assert stats == {"median": nearest_rank(values, 0.5), "p90": nearest_rank(values, 0.9)}, (q, measure)


def test_a_release_for_a_longer_period_repeats_the_shorter_one_exactly(built):
    session, report = built
    shorter = build_report(session, "2026-01", "2026-12", THRESHOLD)
    assert [b.cells for b in shorter.blocks] == [b.cells for b in report.blocks[:4]]


def test_periods_must_be_whole_quarters(built):
    session, _report = built
    for period in (("2026-02", "2026-12"), ("2026-01", "2026-11"), ("2026-13", "2026-12"), ("2027-01", "2026-12")):
        with pytest.raises(PeriodError):
            build_report(session, *period)


def test_every_format_renders_and_a_report_with_problems_is_not_published(built):
    session, report = built
    for fmt, content_type in (("json", "application/json"), ("csv", "text/csv"), ("html", "text/html")):
        got_type, body = render(report, fmt)
        assert got_type.startswith(content_type) and body
    with pytest.raises(ValueError):
        render(report, "pdf")
    report.problems = ["made up"]
    try:
        with pytest.raises(ReleaseRefused):
            publish(session, report, "json")
    finally:
        report.problems = []

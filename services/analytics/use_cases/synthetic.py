"""Seeded synthetic activity for demos, tests and benchmarks: three years of complaints and what follows them.

`case_events` simulates one case as the catalogue events the services would emit (data in validated form:
dates are `datetime.date`; `wire_form` turns them into the JSON the broker carries). `synthetic_stream` gives a
time-ordered stream for many cases; `load_synthetic` folds cases straight into the store in bulk (same fold as
`record.apply_event`, batched inserts) so 200,000 complaints load in seconds. Distributions: docs/analytics.md.

    voorportaal-synthetic --complaints 100000 --database-url sqlite:///var/analytics.db   (cli.py)
"""
import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from libs.contracts.events import (
    CLOSURE_REASONS, INSTITUTION_TYPES, ISSUES, LANGUAGES, MEDIATION_OUTCOMES, REPORTER_ROLES,
)
from libs.reference.municipalities import municipalities
from services.analytics.domain import facts as case_facts
from services.analytics.domain.pseudonyms import pseudonym
from services.analytics.tables import (case_clocks_table, case_facts_table, erased_cases_table, partner_answers_table,
                                       plan_steps_table)
from services.analytics.use_cases.record import PARTNER_ANSWER_EVENTS, partner_answer_row

START, UNTIL = date(2026, 1, 1), date(2028, 12, 31)
INSTITUTION_WEIGHTS = dict(zip(INSTITUTION_TYPES, (20, 12, 15, 5, 4, 8, 7, 4, 2, 3, 10, 7, 3)))
ISSUE_WEIGHTS = dict(zip(ISSUES, (18, 12, 18, 15, 10, 6, 4, 7, 10)))
ROLE_WEIGHTS = dict(zip(REPORTER_ROLES, (75, 8, 12, 5)))
LANGUAGE_WEIGHTS = dict(zip(LANGUAGES, (55, 20, 8, 7, 5, 5)))
OUTCOME_WEIGHTS = dict(zip(MEDIATION_OUTCOMES, (40, 20, 10, 10, 20)))
CLOSURE_WEIGHTS = dict(zip(CLOSURE_REASONS, (40, 30, 12, 8, 7, 3)))
INSTITUTION_TREATMENT_WEIGHTS = {1: 15, 2: 20, 3: 25, 4: 25, 5: 15}
DESK_TREATMENT_WEIGHTS = {1: 3, 2: 5, 3: 12, 4: 40, 5: 40}
BIG_CITIES = ("GM0363", "GM0599", "GM0518", "GM0344", "GM0772", "GM0014")
# Legal answer terms in days: Awb 6 weeks for public bodies and care, 8 weeks for financial firms and others.
ANSWER_TERM_DAYS = {t: 56 if t in ("bank", "insurer", "health_insurer", "landlord", "employer_or_operator", "other")
                    else 42 for t in INSTITUTION_TYPES}
SECOND_LINE = {"bank": "kifid", "insurer": "kifid", "health_insurer": "skgz", "care_provider": "care-disputes",
               "landlord": "huurcommissie", "employer_or_operator": "crm", "other": "crm"}


_CUMULATIVE = {}


def _pick(rng: random.Random, weights: dict):
    key = id(weights)
    if key not in _CUMULATIVE:  # cumulative weights once per table: choices() is hot in the bulk loader
        population, total, cumulative = list(weights), 0, []
        for weight in weights.values():
            total += weight
            cumulative.append(total)
        _CUMULATIVE[key] = (population, cumulative)
    population, cumulative = _CUMULATIVE[key]
    return rng.choices(population, cum_weights=cumulative)[0]


def _received_on(rng: random.Random, start: date, until: date) -> date:
    """Volume grows linearly from 0.5x to 1.5x as the desk becomes known (density proportional to 0.5 + t)."""
    span = (until - start).days
    fraction = (-0.5 + (0.25 + 2 * rng.random()) ** 0.5)  # inverse CDF of density 0.5 + t on [0, 1]
    return start + timedelta(days=min(span, int(fraction * (span + 1))))


def _at(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(rng.randrange(8, 22), rng.randrange(60)), tzinfo=timezone.utc)


def _municipality(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.25:
        return None
    if roll < 0.55:
        return rng.choice(BIG_CITIES)
    return rng.choice(sorted(municipalities()))


def _plan(case_ref, received, filed_on, planned_on):
    institution_type = received["institution_type"]
    answer_due = (filed_on or planned_on) + timedelta(days=ANSWER_TERM_DAYS[institution_type])
    steps = [{"channel_id": f"{institution_type.replace('_', '-')}-internal", "kind": "internal",
              "status": "waiting" if filed_on else "open", "answer_due": answer_due, "escalate_by": None,
              "why_message": None},  # the reason does not matter to the evaluation
             {"channel_id": SECOND_LINE.get(institution_type, "nationale-ombudsman"), "kind": "external",
              "status": "planned", "answer_due": None, "escalate_by": answer_due + timedelta(days=90),
              "why_message": None}]
    return {"case_ref": case_ref, "directory_version": "2026.1", "institution_type": institution_type,
            "issue": received["issue"], "municipality": received["municipality"], "language": received["language"],
            "wants_mediation": received["wants_mediation"], "steps": steps, "partner_referrals": []}, answer_due


def case_events(rng: random.Random, case_ref: str, start: date = START, until: date = UNTIL) -> list[tuple]:
    """One case's events [(event_type, data, occurred_at)], time-ordered, none after `until`."""
    received_on = _received_on(rng, start, until)
    institution_type = _pick(rng, INSTITUTION_WEIGHTS)
    issue = "account_refused_or_closed" if institution_type == "bank" and rng.random() < 0.4 \
        else _pick(rng, ISSUE_WEIGHTS)
    prior = None
    if rng.random() < 0.3:
        prior_filed = received_on - timedelta(days=rng.randint(7, 90))
        prior_answer = prior_filed + timedelta(days=rng.randint(5, 60)) if rng.random() < 0.4 else None
        prior = {"filed_on": prior_filed, "final_answer_on": prior_answer if prior_answer and prior_answer <= received_on
                 else None, "extension_notified": False, "advisory_committee": None}
    received = {
        "case_ref": case_ref, "received_on": received_on, "institution_type": institution_type, "issue": issue,
        "municipality": _municipality(rng), "capacity": rng.choices(["private", "business", None], [5, 3, 2])[0],
        "incident_date": received_on - timedelta(days=rng.randint(0, 200)) if rng.random() < 0.7 else None,
        "prior_complaint": prior, "language": _pick(rng, LANGUAGE_WEIGHTS), "reporter_role": _pick(rng, ROLE_WEIGHTS),
        "wants_mediation": rng.random() < 0.3, "has_contact": rng.random() < 0.6,
        "consent": {"referral": rng.random() < 0.8, "share_description": rng.random() < 0.5,
                    "contact": rng.random() < 0.5, "share_with_mediator": False},
        # the route facts the clocks use (issue 17); analytics keeps none of them, the stream carries the defaults
        "first_complaint_unreasonable": False, "public_body": False, "about_care": None, "housing_corporation": None,
    }
    events = [("complaint.received", received, _at(rng, received_on))]
    planned_on = received_on + timedelta(days=rng.choices([0, 1, rng.randint(2, 5)], [70, 20, 10])[0])
    filed_on = prior["filed_on"] if prior else None
    plan, answer_due = _plan(case_ref, received, filed_on, planned_on)
    events.append(("referral.planned", plan, _at(rng, planned_on)))

    answered = prior is not None and prior["final_answer_on"] is not None
    if filed_on is None and rng.random() < 0.7:
        filed_on = planned_on + timedelta(days=rng.randint(1, 21))
        events.append(("complaint.progress_reported", {"case_ref": case_ref, "kind": "filed_with_institution",
                                                       "on": filed_on}, _at(rng, filed_on)))
        plan, answer_due = _plan(case_ref, received, filed_on, filed_on)
        events.append(("referral.planned", plan, _at(rng, filed_on)))
    if filed_on is not None and not answered:
        first_step = plan["steps"][0]["channel_id"]
        answer_on = filed_on + timedelta(days=3 + int(rng.expovariate(1 / 30))) if rng.random() < 0.75 else None
        if answer_on is None or answer_on > answer_due:
            events.append(("referral.deadline_due", {"case_ref": case_ref, "channel_id": first_step,
                                                     "due_on": answer_due}, _at(rng, answer_due)))
            if rng.random() < 0.3:
                events.append(("complaint.progress_reported", {"case_ref": case_ref, "kind": "no_answer_yet",
                                                               "on": answer_due}, _at(rng, answer_due)))
            escalation_on = answer_due + timedelta(days=14)
            if answer_on is None or answer_on > escalation_on:
                events.append(("referral.escalation_available", {"case_ref": case_ref, "channel_id": first_step,
                                                                 "due_on": escalation_on}, _at(rng, escalation_on)))
        if answer_on is not None:
            kind = "final_answer_received" if rng.random() < 0.7 else "answer_received"
            events.append(("complaint.progress_reported", {"case_ref": case_ref, "kind": kind, "on": answer_on},
                           _at(rng, answer_on + timedelta(days=rng.randint(0, 3)))))
    if received["consent"]["referral"] and rng.random() < 0.3:  # a partner holds the referral and answers back
        partner = rng.choice(["kifid", "nationale-ombudsman"])
        update_on = planned_on + timedelta(days=rng.randint(1, 5))
        statuses = [("received", None, update_on)]
        if rng.random() < 0.7:
            statuses.append(("answered", rng.choice(["upheld", "partly_upheld", "not_upheld", "settled", None]),
                             update_on + timedelta(days=rng.randint(5, 90))))
        for status, outcome, on in statuses:
            events.append(("referral.partner_status_changed", {
                "case_ref": case_ref, "partner_id": partner, "status": status, "outcome": outcome,
                "changed_at": _at(rng, on), "referred_on": planned_on}, _at(rng, on)))
    if received["wants_mediation"] or rng.random() < 0.05:
        if rng.random() < 0.85:
            assigned_on = received_on + timedelta(days=rng.randint(1, 14))
            events.append(("mediation.assigned", {"case_ref": case_ref, "mediator_id": f"m-{rng.randrange(40):02d}",
                                                  "assigned_on": assigned_on}, _at(rng, assigned_on)))
            if rng.random() < 0.8:
                recorded_on = assigned_on + timedelta(days=rng.randint(7, 90))
                outcome = _pick(rng, OUTCOME_WEIGHTS)
                satisfaction = None if rng.random() < 0.3 else (
                    rng.choice([3, 4, 4, 5, 5]) if outcome == "resolved" else rng.choice([1, 2, 2, 3, 4]))
                events.append(("mediation.outcome_recorded", {
                    "case_ref": case_ref, "outcome": outcome, "satisfaction": satisfaction,
                    "recorded_on": recorded_on}, _at(rng, recorded_on)))
        else:
            events.append(("mediation.unmatched", {"case_ref": case_ref, "reason": "no_mediator_available"},
                           _at(rng, received_on + timedelta(days=1))))
    events.extend(_desk_events(case_ref, received_on, start, until))
    events.sort(key=lambda event: event[2])
    if rng.random() < 0.03:  # withdrawn (and erased) some time after filing; nothing follows a withdrawal
        withdrawn_at = _at(rng, received_on + timedelta(days=rng.randint(1, 60)))
        events = [e for e in events if e[2] < withdrawn_at] + [("complaint.withdrawn", {"case_ref": case_ref},
                                                                withdrawn_at)]
    return [event for event in events if event[2].date() <= until]


def _desk_events(case_ref: str, received_on: date, start: date, until: date) -> list[tuple]:
    """The desk's handling and the person's "did it help?" answer. A generator of their own, seeded by the case, so
    the events above (and every test pinned to them) stay as they were. The desk gets faster and helps more over
    the three years (a trend for the report to show): first action in ~3 days at the start, ~1 at the end; solved
    in ~40% of the answers at the start, ~60% at the end."""
    rng = random.Random(f"desk:{case_ref}")
    progress = (received_on - start).days / max(1, (until - start).days)  # 0 at the start, 1 at the end

    def status(changed_on, new, previous, reason=None):
        return ("case.status_changed", {"case_ref": case_ref, "status": new, "previous_status": previous,
                                        "closure_reason": reason, "changed_on": changed_on}, _at(rng, changed_on))
    first_action = received_on + timedelta(days=int(rng.expovariate(1 / (3 - 2 * progress))))
    events = [status(first_action, "in_progress", "new")]
    if rng.random() >= 0.8:
        return events  # still open (or closed after the period)
    closed_on = first_action + timedelta(days=1 + int(rng.expovariate(1 / 35)))
    events.append(status(closed_on, "closed", "in_progress", _pick(rng, CLOSURE_WEIGHTS)))
    if rng.random() >= 0.45:
        return events  # the person did not answer "did it help?"
    given_on = closed_on + timedelta(days=rng.randint(0, 20))
    solved = rng.choices(("yes", "partly", "no"), (40 + 20 * progress, 25, 35 - 20 * progress))[0]
    reopen = rng.random() < {"yes": 0.02, "partly": 0.15, "no": 0.45}[solved]
    events.append(("complaint.feedback_given", {
        "case_ref": case_ref, "about": "closure", "trigger": "closed_by_desk", "solved": solved, "answer_came": None,
        "institution_treatment": None if rng.random() < 0.2 else _pick(rng, INSTITUTION_TREATMENT_WEIGHTS),
        "desk_treatment": None if rng.random() < 0.2 else _pick(rng, DESK_TREATMENT_WEIGHTS),
        "reopen": reopen, "with_comment": rng.random() < 0.3, "given_on": given_on}, _at(rng, given_on)))
    if reopen:
        events.append(status(given_on, "in_progress", "closed"))
        if rng.random() < 0.7:
            events.append(status(given_on + timedelta(days=rng.randint(3, 45)), "closed", "in_progress", "resolved"))
    return events


def case_ref_for(rng: random.Random, prefix: str = "VP") -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"{prefix}-{''.join(rng.choices(alphabet, k=4))}-{''.join(rng.choices(alphabet, k=4))}"


def synthetic_stream(n_complaints: int, seed: int, case_ref_prefix: str = "VP") -> list[tuple]:
    """All events of n cases, ordered by time as a consumer would see them."""
    rng = random.Random(seed)
    events = []
    for _ in range(n_complaints):
        events.extend(case_events(rng, case_ref_for(rng, case_ref_prefix)))
    events.sort(key=lambda event: event[2])
    return events


def wire_form(value):
    """Validated form → JSON form (dates as ISO strings), as the event travels on the broker."""
    if isinstance(value, dict):
        return {k: wire_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [wire_form(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def _bulk_insert(session: Session, table, rows: list[dict]) -> None:
    """executemany on the driver: SQLAlchemy's per-row parameter processing would dominate the load time.

    Safe here because every value is already a plain Python value the drivers adapt themselves (str, int,
    bool, None, date) and the statement is compiled by SQLAlchemy for the session's dialect.
    """
    connection = session.connection()
    compiled = table.insert().compile(dialect=connection.dialect)
    names = [column.name for column in table.columns]
    if compiled.positional:
        order = [name for name in compiled.positiontup]
        parameters = [tuple(row.get(name) for name in order) for row in rows]
    else:
        parameters = [{name: row.get(name) for name in names} for row in rows]
    connection.exec_driver_sql(str(compiled), parameters)


def load_synthetic(session: Session, n_complaints: int, seed: int, pseudonym_key: bytes | None = None,
                   batch_size: int = 5000) -> int:
    """Fold n synthetic cases into the store in bulk; returns the number of fact rows written (the caller commits)."""
    rng = random.Random(seed)
    key = pseudonym_key or random.Random(seed + 1).randbytes(32)
    batches = {case_facts_table: [], case_clocks_table: [], plan_steps_table: [], erased_cases_table: [],
               partner_answers_table: []}
    written = 0

    def flush():
        for table in (case_facts_table, case_clocks_table, plan_steps_table, erased_cases_table, partner_answers_table):
            if batches[table]:
                _bulk_insert(session, table, batches[table])
                batches[table].clear()

    for _ in range(n_complaints):
        events = case_events(rng, case_ref_for(rng))
        name = pseudonym(events[0][1]["case_ref"], key)
        if events[-1][0] in case_facts.ERASING_EVENTS:
            batches[erased_cases_table].append({"pseudonym": name})
            continue
        state = case_facts.new_state()
        answers = {}
        for event_type, data, occurred_at in events:
            if event_type in PARTNER_ANSWER_EVENTS:
                row = partner_answer_row(name, data)
                if row is not None:
                    answers.setdefault(row["partner"], row)  # the first answer counts
                continue
            case_facts.fold(state, event_type, data, occurred_at)
        batches[case_facts_table].append({"pseudonym": name, **case_facts.fact_row(state)})
        batches[case_clocks_table].append({"pseudonym": name, **case_facts.clock_row(state)})
        batches[plan_steps_table].extend(case_facts.step_rows(name, state))
        batches[partner_answers_table].extend(answers.values())
        written += 1
        if len(batches[case_facts_table]) >= batch_size:
            flush()
    flush()
    return written


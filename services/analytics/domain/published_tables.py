"""The published tables: which counts exist per quarter, how they add up, and how they are shown.

All counts of one quarter form one disclosure block (disclosure.py) because they share totals: every
partition of the quarter's complaints adds up to the same `total`, and the signal sub-total is both the sum of
two issues and the total of the signals-by-role line. The signal report's sector cells (signal_tables.py) belong
to the same block. Display tables are views on that block.
"""
from dataclasses import dataclass

from libs.contracts.events import INSTITUTION_TYPES, ISSUES, MEDIATION_OUTCOMES, REPORTER_ROLES
from services.analytics.domain.disclosure import Line
from services.analytics.domain.facts import SIGNAL_ISSUES, STAGES
from services.analytics.domain.signal_tables import TERM_STATES, signal_lines

BLOCK_NAME = "quarterly_counts"
MEDIATION_OPEN_STATES = ("not_requested", "waiting", "unmatched", "assigned")
MEDIATION_COLUMNS = MEDIATION_OPEN_STATES + tuple(f"outcome_{o}" for o in MEDIATION_OUTCOMES)
# "Did it help?" (I-9): the person's answer, or "no answer" (not asked yet, not answered, or answered without it)
SOLVED_STATES = ("yes", "partly", "no", "no_answer")
RESPECT_STATES = ("yes", "no", "no_answer")
REOPEN_STATES = ("requested", "not_requested")


def keys(prefix: str, values) -> tuple[str, ...]:
    return tuple(f"{prefix}:{value}" for value in values)


def block_lines() -> tuple[Line, ...]:
    return (
        Line("total", keys("type", INSTITUTION_TYPES)),
        Line("total", keys("issue", ISSUES)),
        Line("signal", keys("issue", SIGNAL_ISSUES)),
        Line("signal", keys("signal_role", REPORTER_ROLES)),
        Line("total", keys("stage", STAGES)),
        Line("total", keys("term", TERM_STATES)),
        Line("total", keys("mediation", MEDIATION_COLUMNS)),
        Line("prior_total", keys("prior", INSTITUTION_TYPES)),
        Line("total", keys("solved", SOLVED_STATES)),
        Line("total", keys("institution_respect", RESPECT_STATES)),
        Line("total", keys("desk_respect", RESPECT_STATES)),
        Line("total", keys("reopen", REOPEN_STATES)),
        *signal_lines(),  # the signal report's sector cells: one block, so the two reports cannot be differenced
    )


def block_keys() -> tuple[str, ...]:
    found = []
    for line in block_lines():
        for key in (line.total, *line.parts):
            if key not in found:
                found.append(key)
    return tuple(found)


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    caption: str
    columns: tuple[tuple[str, str], ...]  # (cell key, column label)


def _labelled(prefix, values):
    return tuple((f"{prefix}:{v}", v.replace("_", " ")) for v in values)


TABLES = (
    TableSpec("volume_by_institution_type", "Complaints by institution type",
              "Complaints received per quarter, by type of institution complained about.",
              _labelled("type", INSTITUTION_TYPES) + (("total", "total"),)),
    TableSpec("volume_by_issue", "Complaints by issue",
              "Complaints received per quarter, by issue; 'signal' = violence + exploitation.",
              _labelled("issue", ISSUES) + (("total", "total"), ("signal", "signal"))),
    TableSpec("institution_step", "Where the case stands at the institution's own step",
              "Complaints received per quarter, by the furthest point reached at the institution's own complaint "
              "procedure: final answer before any escalation, escalation available, (non-final) answer, filed "
              "and waiting, not filed.",
              _labelled("stage", STAGES) + (("total", "total"),)),
    TableSpec("legal_term", "Answers within the legal term",
              "Complaints received per quarter: the institution answered within its legal term, after it, or "
              "unknown (no answer reported or no term in the plan).",
              _labelled("term", TERM_STATES) + (("total", "total"),)),
    TableSpec("mediation", "Mediation",
              "Complaints received per quarter by mediation status; closed mediations by outcome.",
              _labelled("mediation", MEDIATION_COLUMNS) + (("total", "total"),)),
    TableSpec("signals_by_reporter_role", "Signals by reporter role",
              "Complaints about violence or exploitation received per quarter, by who reported them.",
              _labelled("signal_role", REPORTER_ROLES) + (("signal", "total signals"),)),
    TableSpec("earlier_complaint_by_institution_type", "Earlier complaint to the institution (repeat proxy)",
              "Complaints received per quarter where the person had already complained to the institution "
              "before coming to the desk, by institution type.",
              _labelled("prior", INSTITUTION_TYPES) + (("prior_total", "total"),)),
    TableSpec("solved", "Did it help? Problem solved",
              "Complaints received per quarter by the person's answer to \"is your problem solved?\" (asked when the "
              "case closed or the institution's answer was due; the latest answer counts); 'no answer': not asked "
              "yet or not answered.",
              _labelled("solved", SOLVED_STATES) + (("total", "total"),)),
    TableSpec("treated_with_respect", "Treated with respect",
              "Complaints received per quarter by whether the person said the institution, and the desk, treated "
              "them well or very well (yes) or not (no).",
              tuple((f"institution_respect:{v}", f"institution: {v.replace('_', ' ')}") for v in RESPECT_STATES)
              + tuple((f"desk_respect:{v}", f"desk: {v.replace('_', ' ')}") for v in RESPECT_STATES)
              + (("total", "total"),)),
    TableSpec("reopened", "Reopen requested",
              "Complaints received per quarter where the person asked the desk to look at the case again (counted "
              "once per case).",
              _labelled("reopen", REOPEN_STATES) + (("total", "total"),)),
)

DURATIONS = (
    ("days_to_referral", "Days from receipt to referral plan"),
    ("days_to_institution_answer", "Days from filing with the institution to its answer"),
    ("days_to_mediator", "Days from receipt to mediator assigned"),
    ("days_to_outcome", "Days from receipt to first outcome"),
    ("days_to_partner_answer", "Days from referral to a partner's answer"),
    ("days_to_first_response", "Days from receipt to the desk's first action (first human contact)"),
    ("days_to_closure", "Days from receipt to the desk closing the case"),
)

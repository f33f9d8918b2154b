"""A referral plan: ordered steps through the regular complaint channels, support options and warnings."""
from dataclasses import dataclass, field, fields
from datetime import date

from libs.contracts.explanations import Explanation

AVAILABLE_NOW = "available_now"
AFTER_PREVIOUS_STEP = "after_previous_step"
DEADLINE_PASSED = "deadline_passed"
NOT_APPLICABLE = "not_applicable"
STATUSES = (AVAILABLE_NOW, AFTER_PREVIOUS_STEP, DEADLINE_PASSED, NOT_APPLICABLE)

# Progress with the institution itself; only first-line steps carry it.
NOT_STARTED, WAITING_FOR_ANSWER, ANSWERED = "not_started", "waiting_for_answer", "answered"
PROGRESS = (NOT_STARTED, WAITING_FOR_ANSWER, ANSWERED)


def _coded(explanation: Explanation | None):
    return explanation.to_dict() if explanation else None


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class StepDates:
    """Every date a step can have; None where it does not apply or the rule behind it is not confirmed."""
    file_by: date | None = None  # file the complaint by this date (older conduct may be refused)
    answer_due: date | None = None  # the institution's answer is due
    extension_limit: date | None = None  # latest answer date if the institution extends once
    escalate_from: date | None = None  # this step opens (previous step answered or late)
    escalate_by: date | None = None  # this step's window closes

    def to_dict(self) -> dict:
        return {f.name: _iso(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class PlanStep:
    order: int
    channel_id: str
    channel_name: str
    kind: str  # first_line | second_line | signal | support (the channel's kind)
    why: str
    preconditions: tuple = ()
    status: str = AVAILABLE_NOW
    dates: StepDates = field(default_factory=StepDates)
    unconfirmed: bool = False  # a fact this step relies on (the body or a deadline) is not confirmed
    progress: str | None = None  # only on first-line steps
    why_message: Explanation | None = None  # `why` as a code + parameters, for translation
    precondition_messages: tuple = ()  # the same for each precondition, in order

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown step status {self.status!r}")
        if self.progress is not None and self.progress not in PROGRESS:
            raise ValueError(f"unknown progress {self.progress!r}")

    def to_dict(self) -> dict:
        return {"order": self.order, "channel_id": self.channel_id, "channel_name": self.channel_name,
                "kind": self.kind, "why": self.why, "preconditions": list(self.preconditions),
                "status": self.status, "dates": self.dates.to_dict(), "unconfirmed": self.unconfirmed,
                "progress": self.progress, "why_message": _coded(self.why_message),
                "precondition_messages": [_coded(message) for message in self.precondition_messages]}


@dataclass(frozen=True)
class SupportOption:
    channel_id: str
    channel_name: str
    why: str
    why_message: Explanation | None = None

    def to_dict(self) -> dict:
        return {"channel_id": self.channel_id, "channel_name": self.channel_name, "why": self.why,
                "why_message": _coded(self.why_message)}


@dataclass(frozen=True)
class PlanWarning:
    code: str  # stable, for translation and statistics (an explanation code, see explanations.py)
    message: str  # plain English
    params: tuple = ()  # the explanation's (name, value) pairs

    @classmethod
    def of(cls, explanation: Explanation) -> "PlanWarning":
        return cls(explanation.code, explanation.text, explanation.params)

    def to_dict(self) -> dict:
        params = Explanation(self.code, self.params).to_dict()["params"]
        return {"code": self.code, "message": self.message, "params": params}


@dataclass(frozen=True)
class PlanBasis:
    """The de-identified facts behind a plan: the most a partner can ever receive (month, province, categories)."""
    institution_type: str
    issue: str
    province: str | None = None
    capacity: str | None = None
    incident_month: str | None = None  # YYYY-MM, never the day
    language: str | None = None
    wants_mediation: bool = False


@dataclass(frozen=True)
class ReferralPlan:
    directory_version: str
    steps: tuple
    support: tuple
    warnings: tuple
    signal: bool  # trafficking / exploitation / violence: signal channels only, never a municipality
    basis: PlanBasis | None = None  # for partner payloads; not part of to_dict()

    def channel_ids(self) -> list:
        return [step.channel_id for step in self.steps]

    def step_for(self, channel_id: str) -> PlanStep | None:
        return next((step for step in self.steps if step.channel_id == channel_id), None)

    def to_dict(self) -> dict:
        return {"directory_version": self.directory_version, "signal": self.signal,
                "steps": [step.to_dict() for step in self.steps],
                "support": [option.to_dict() for option in self.support],
                "warnings": [warning.to_dict() for warning in self.warnings]}

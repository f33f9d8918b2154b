"""The facts a referral plan is made from: categories and dates only (never free text or contact details)."""
from dataclasses import dataclass
from datetime import date

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, LANGUAGES, REPORTER_ROLES


def _as_date(value):
    """Event data carries datetime.date after schema load; the public route question may pass ISO strings."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


@dataclass(frozen=True)
class ComplaintFacts:
    institution_type: str
    issue: str
    municipality: str | None = None  # CBS GM code, e.g. GM0363
    capacity: str | None = None  # private | business (for financial institutions: consumer or zzp business)
    incident_date: date | None = None
    prior_complaint_filed_on: date | None = None
    prior_final_answer_on: date | None = None
    reporter_role: str = "sex_worker"
    wants_mediation: bool = False
    language: str | None = None  # the person's language; travels to partners only if their contract lists it

    def __post_init__(self):
        # A plan built on an unknown category would silently fall back to a wrong route; refuse instead.
        if self.institution_type not in INSTITUTION_TYPES:
            raise ValueError(f"unknown institution_type {self.institution_type!r}")
        if self.issue not in ISSUES:
            raise ValueError(f"unknown issue {self.issue!r}")
        if self.capacity is not None and self.capacity not in CAPACITIES:
            raise ValueError(f"unknown capacity {self.capacity!r}")
        if self.language is not None and self.language not in LANGUAGES:
            raise ValueError(f"unknown language {self.language!r}")
        if self.reporter_role not in REPORTER_ROLES:
            raise ValueError(f"unknown reporter_role {self.reporter_role!r}")

    @property
    def filed_with_institution(self) -> bool:
        """A final answer implies the complaint was filed, even when the filing date is not known."""
        return self.prior_complaint_filed_on is not None or self.prior_final_answer_on is not None

    @classmethod
    def from_event_data(cls, data: dict) -> "ComplaintFacts":
        """From the (loaded) data of `complaint.received` or the route question; extra keys are ignored."""
        prior = data.get("prior_complaint") or {}
        return cls(
            institution_type=data["institution_type"],
            issue=data["issue"],
            municipality=data.get("municipality") or None,
            capacity=data.get("capacity") or None,
            incident_date=_as_date(data.get("incident_date")),
            prior_complaint_filed_on=_as_date(prior.get("filed_on")),
            prior_final_answer_on=_as_date(prior.get("final_answer_on")),
            reporter_role=data.get("reporter_role") or "sex_worker",
            wants_mediation=bool(data.get("wants_mediation", False)),
            language=data.get("language") or None,
        )

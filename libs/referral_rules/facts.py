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


def _optional_bool(value):
    return None if value is None else bool(value)


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
    # Optional facts the event contract does not carry yet (docs/routing.md "Facts"); each defaults to "not known"
    # or "no", so a plan without them is the plan the desk made before they existed.
    first_complaint_unreasonable: bool = False  # Awb 9:20 lid 1 / 9:24 lid 2: complaining to the body first
    #   cannot reasonably be asked (e.g. fear of retaliation): the ombudsman directly, one year from the conduct
    advisory_committee: bool | None = None  # Awb 9.1.3: an advisory complaints committee handles it (10 weeks)
    extension_notified: bool = False  # the institution said in writing it takes (up to) 4 more weeks (Awb 9:11)
    public_body: bool = False  # a care provider that is also a government body (a GGD): Awb chapter 9 applies
    about_care: bool | None = None  # for such a body: the complaint is about the care itself (Wkkgz) or not
    housing_corporation: bool | None = None  # the landlord is a housing corporation (woningcorporatie)

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
        for name in ("first_complaint_unreasonable", "extension_notified", "public_body"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false")
        for name in ("advisory_committee", "about_care", "housing_corporation"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true, false or unknown (None)")

    @property
    def goes_directly_to_ombudsman(self) -> bool:
        """Awb 9:20 lid 1: the person has not complained to the body and that cannot reasonably be asked."""
        return self.first_complaint_unreasonable and not self.filed_with_institution

    @property
    def filed_with_institution(self) -> bool:
        """A final answer implies the complaint was filed, even when the filing date is not known."""
        return self.prior_complaint_filed_on is not None or self.prior_final_answer_on is not None

    @classmethod
    def from_event_data(cls, data: dict) -> "ComplaintFacts":
        """From the (loaded) data of `complaint.received` or the route question; extra keys are ignored.

        The optional facts are read when present (top level, or inside `prior_complaint` for the two that describe
        the complaint already filed) and default to "no" / "unknown", so older events plan as before."""
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
            first_complaint_unreasonable=bool(data.get("first_complaint_unreasonable") or False),
            advisory_committee=_optional_bool(prior.get("advisory_committee", data.get("advisory_committee"))),
            extension_notified=bool(prior.get("extension_notified", data.get("extension_notified")) or False),
            public_body=bool(data.get("public_body") or False),
            about_care=_optional_bool(data.get("about_care")),
            housing_corporation=_optional_bool(data.get("housing_corporation")),
        )

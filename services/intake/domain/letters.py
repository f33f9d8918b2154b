"""The complaint-letter builder's rules: which channels take a written complaint (one family each), what each
family's letter must contain by law or by the body's own rules, and the letter itself as coded sentences (keys of
letter_texts.LETTER with parameters) and the person's own words.

Pure: no I/O, no catalogue. The use case (use_cases/letters.py) finds the channel in the directory; web/
letter_output.py words the coded letter in Dutch and in the person's language and prints it (HTML, PDF, text).
Nothing here keeps anything: the sender's name and address live only in the returned Letter.

Families and their sources (docs/rights-and-letters.md):
  awb            a government body's own procedure, Awb title 9.1 (9:4 name, address, date, conduct; 9:11 terms)
  police         the police complaints procedure (no anonymous complaints; name, address, date, place, conduct)
  financial      a bank's or insurer's internal complaints procedure (in writing; answer within 8 weeks; Kifid next)
  kifid          Kifid's four points: consumer, complained first, final position or 8 weeks, in time
  ombudsman      an ombudsman, Awb title 9.2 (9:28: name, address, date, conduct, grounds, how complained before)
  care           a care provider's complaints officer (Wkkgz: judgment within 6 weeks)
  health_insurer a health insurer's own procedure (SKGZ next)
  skgz           SKGZ, after the insurer's own procedure
  own_procedure  any other organisation's own complaints procedure
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from libs.referral_rules import channel_ids as ids

FAMILIES = ("awb", "police", "financial", "kifid", "ombudsman", "care", "health_insurer", "skgz", "own_procedure")
_FIXED_FAMILIES = {
    **{channel_id: "awb" for channel_id in ids.AWB_FIRST_LINE},
    ids.POLITIE_KLACHTEN: "police",
    "internal:bank": "financial", "internal:insurer": "financial",
    ids.KIFID: "kifid",
    ids.NATIONALE_OMBUDSMAN: "ombudsman",
    "internal:care_provider": "care",
    "internal:health_insurer": "health_insurer",
    ids.SKGZ: "skgz",
    "internal:other": "own_procedure",
}
# Families whose letter is about a third party's conduct (the institution complained about), not the addressee's.
ABOUT_ANOTHER_BODY = ("kifid", "ombudsman", "skgz")

# Proper names of the institutions whose name the desk knows without asking (used without an article).
KNOWN_INSTITUTIONS = {
    "tax_authority": "Belastingdienst", "uwv": "UWV", "svb": "Sociale Verzekeringsbank (SVB)",
    "kvk": "Kamer van Koophandel (KVK)", "police": "Politie",
}

# In the Dutch letter a known institution gets its article ("de Belastingdienst", "het UWV"); the other languages
# use the bare proper name. Names the person typed are used as typed.
DUTCH_WITH_ARTICLE = {
    "Belastingdienst": "de Belastingdienst", "UWV": "het UWV",
    "Sociale Verzekeringsbank (SVB)": "de Sociale Verzekeringsbank (SVB)",
    "Kamer van Koophandel (KVK)": "de Kamer van Koophandel (KVK)", "Politie": "de politie",
}


def dutch_name(name: str) -> str:
    """The institution's name as a Dutch sentence uses it: 'Gemeente Utrecht' → 'de gemeente Utrecht'."""
    if name.startswith("Gemeente "):
        return "de gemeente " + name[len("Gemeente "):]
    return DUTCH_WITH_ARTICLE.get(name, name)


LIMITS = {  # characters, after cleaning (plain_text.clean_text); the API's schema holds the same numbers
    "sender.name": 200, "sender.address": 200, "sender.postcode_city": 100, "sender.phone": 40,
    "sender.email": 254, "institution_name": 200, "reference_number": 100, "incident_place": 200,
    "account": 6000, "grounds": 3000, "request": 2000,
}

# Why a field is needed (a reason code per missing field; English wording for the API, letter_texts for pages).
REASONS = {
    "awb_9_4": "A government body may refuse a written complaint without your name and address (Awb 9:4).",
    "police_not_anonymous": "The police do not handle anonymous complaints: they need your name and address.",
    "police_place": "The police ask where it happened.",
    "ombudsman_9_28": "A request to an ombudsman needs your name and address, what happened, why it was wrong, "
                      "and when you complained to the institution (Awb 9:28).",
    "kifid_points": "Kifid needs your name and address, the company's name and the date you complained to it, "
                    "and handles complaints of private persons only.",
    "kifid_consumer": "Kifid handles complaints of private persons (consumers) only.",
    "skgz_points": "SKGZ needs your name and address, your insurer's name and the date you complained to it.",
    "addressee": "The letter needs the name of the organisation it goes to.",
    "name": "The organisation needs your name to find your file.",
    "conduct": "A complaint must say what happened.",
    "institution": "The letter needs the name of the institution you complain about.",
}


def letter_family(channel_id: str, ombudsman_ids=frozenset()) -> str | None:
    """The letter family of a channel, or None when the channel takes no written complaint from the person
    (a signal or support channel, a form-only body, a landlord or an employer)."""
    if channel_id in _FIXED_FAMILIES:
        return _FIXED_FAMILIES[channel_id]
    if channel_id in ombudsman_ids:
        return "ombudsman"
    return None


@dataclass(frozen=True)
class Sender:
    name: str = ""
    address: str = ""
    postcode_city: str = ""
    phone: str = ""
    email: str = ""

    def lines(self):
        return [line for line in (self.name, self.address, self.postcode_city, self.phone, self.email) if line]

    @property
    def city(self) -> str:
        """'1011 AB Amsterdam' → 'Amsterdam' (the place on the letter's date line)."""
        words = self.postcode_city.split()
        if len(words) >= 2 and words[0].isdigit() and len(words[0]) == 4:
            words = words[2:] if len(words[1]) == 2 and words[1].isalpha() else words[1:]
        elif words and len(words[0]) == 6 and words[0][:4].isdigit():
            words = words[1:]
        return " ".join(words)


@dataclass(frozen=True)
class LetterRequest:
    """Validated and cleaned input (the API's schema or the letter form)."""
    channel_id: str
    institution_type: str
    issue: str
    municipality: str | None = None  # GM code
    incident_date: date | None = None
    capacity: str | None = None
    prior_filed_on: date | None = None
    prior_final_answer_on: date | None = None
    sender: Sender = field(default_factory=Sender)
    institution_name: str = ""
    reference_number: str = ""
    incident_place: str = ""
    account: str = ""
    grounds: str = ""
    request: str = ""
    language: str = "nl"


@dataclass(frozen=True)
class ChannelFacts:
    """What the directory says about the channel: its name, and where to send (kind, value, verified_on,
    confirmed) for a postal address, web address, e-mail and phone when known."""
    id: str
    name: str
    contacts: tuple = ()

    def contact(self, kind):
        return next((c for c in self.contacts if c[0] == kind), None)


@dataclass(frozen=True)
class Coded:
    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class OwnWords:
    """The person's own words, shown as typed (after plain_text.clean_text)."""
    text: str


@dataclass(frozen=True)
class Letter:
    family: str
    channel: ChannelFacts
    sender: tuple  # lines
    addressee: tuple  # lines, Dutch (an address block is not translated)
    addressee_coded: tuple  # extra addressee lines that are sentences (Coded)
    place_date: Coded
    subject: tuple  # Coded, then optional Coded lines (reference number)
    body: tuple  # paragraphs: each a tuple of Coded sentences, or one OwnWords
    attachments: tuple  # Coded
    signer: str
    notes: tuple  # Coded keys of letter_texts.NOTES
    written_on: date


def institution_name(request: LetterRequest, municipality_name: str | None) -> str:
    """The proper name of the institution complained about, as the letter names it (no article): the name the
    person gave, else the one the desk knows for the institution's own procedure (`internal:<type>`) or, for a
    letter about another body's conduct, for the institution type of the facts."""
    if request.institution_name:
        return request.institution_name
    kind = request.institution_type
    if request.channel_id.startswith(ids.INTERNAL_PREFIX):
        kind = request.channel_id[len(ids.INTERNAL_PREFIX):]
    if kind == "municipality":
        return f"Gemeente {municipality_name}" if municipality_name else ""
    return KNOWN_INSTITUTIONS.get(kind, "")


def missing_fields(request: LetterRequest, family: str, municipality_name: str | None = None) -> dict:
    """{field path: reason code} for everything this family's letter needs and the request lacks."""
    missing = {}
    sender = request.sender

    def need(path, present, reason):
        if not present:
            missing.setdefault(path, reason)

    def need_address(reason):
        need("sender.name", sender.name, reason)
        need("sender.address", sender.address, reason)
        need("sender.postcode_city", sender.postcode_city, reason)

    need("account", request.account, "conduct")
    if family == "awb":
        need_address("awb_9_4")
        need("institution_name", institution_name(request, municipality_name), "addressee")
    elif family == "police":
        need_address("police_not_anonymous")
        need("incident_place", request.incident_place or municipality_name, "police_place")
    elif family == "ombudsman":
        need_address("ombudsman_9_28")
        need("grounds", request.grounds, "ombudsman_9_28")
        need("facts.prior_complaint.filed_on", request.prior_filed_on, "ombudsman_9_28")
        need("institution_name", institution_name(request, municipality_name), "institution")
    elif family == "kifid":
        need_address("kifid_points")
        need("institution_name", request.institution_name, "kifid_points")
        need("facts.prior_complaint.filed_on", request.prior_filed_on, "kifid_points")
        need("facts.capacity", request.capacity == "private", "kifid_consumer")
    elif family == "skgz":
        need_address("skgz_points")
        need("institution_name", request.institution_name, "skgz_points")
        need("facts.prior_complaint.filed_on", request.prior_filed_on, "skgz_points")
    else:  # financial, care, health_insurer, own_procedure: the organisation itself
        need("sender.name", sender.name, "name")
        need("institution_name", request.institution_name, "addressee")
    return missing


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _dated(key_plain, key_dated, when, **params):
    return Coded(key_dated, dict(params, date=when)) if when else Coded(key_plain, params)


def _unique(notes):
    """Each note once, in order (Coded holds a dict, so it cannot be a dict key)."""
    seen, kept = set(), []
    for note in notes:
        coded = note if isinstance(note, Coded) else Coded(note)
        if coded.key not in seen:
            seen.add(coded.key)
            kept.append(coded)
    return tuple(kept)


def build_letter(request: LetterRequest, family: str, channel: ChannelFacts, municipality_name: str | None,
                 today: date) -> Letter:
    """The letter for a request that `missing_fields` found complete."""
    institution = institution_name(request, municipality_name)
    sender = request.sender
    when, filed, answered = request.incident_date, request.prior_filed_on, request.prior_final_answer_on
    late = bool(when and _add_months(when, 12) < today)
    notes = ["translation_only", "sign", "own_words_dutch", "keep_copy", "copies_not_originals"]
    body, attachments, subject_extra = [], [], []
    if request.reference_number:
        subject_extra.append(Coded("reference_line", {"reference": request.reference_number}))
    request_words = request.request
    params = {"institution": institution}

    def paragraph(*coded):
        body.append(tuple(c for c in coded if c is not None))

    def own(intro_key, text, **intro_params):
        if text:
            body.append((Coded(intro_key, intro_params),))
            body.append(OwnWords(text))

    def asked(default_key, **default_params):
        if request_words:
            own("request_intro", request_words)
        else:
            paragraph(Coded(default_key, default_params))

    addressee, addressee_coded = [], []
    if family in ABOUT_ANOTHER_BODY:
        addressee.append(channel.name)
    elif family == "police":
        if request.institution_name:
            addressee.append(request.institution_name)
        addressee_coded.append(Coded("police.addressee"))
    else:
        addressee.append(institution)
        addressee_coded.append(Coded("care.addressee" if family == "care" else
                                     "addressee.complaints_coordinator" if family == "awb" else
                                     "addressee.complaints_department"))
    postal = channel.contact("address") if family in ABOUT_ANOTHER_BODY else None
    if postal:
        addressee.append(postal[1])
        if not postal[3]:
            notes.append("address_unconfirmed")
    elif family != "kifid":  # Kifid takes complaints online (how_kifid)
        notes.append("find_address")

    if family == "awb":
        subject = _dated("awb.subject", "awb.subject_dated", when)
        paragraph(_dated("awb.opening", "awb.opening_dated", when))
        own("account_intro", request.account)
        own("grounds_intro", request.grounds)
        asked("awb.default_request")
        paragraph(Coded("late_complaint") if late else None, Coded("awb.legal"), Coded("receipt_please"))
        notes += ["late_awb"] if late else []
        notes += ["attach_more", "how_awb"]
    elif family == "police":
        subject = _dated("police.subject", "police.subject_dated", when)
        paragraph(_dated("police.opening", "police.opening_dated", when))
        paragraph(Coded("place_line", {"place": request.incident_place or municipality_name}))
        own("account_intro_ordered", request.account)
        own("police.grounds_intro", request.grounds)
        asked("police.default_request")
        paragraph(Coded("late_complaint") if late else None, Coded("police.legal"), Coded("police.confirm"))
        notes += [] if sender.phone else ["police_phone"]
        notes += ["attach_more", "police_how"]
    elif family == "financial":
        about_account = request.issue == "account_refused_or_closed"
        subject = Coded("financial.subject_account" if about_account else "financial.subject")
        paragraph(Coded("financial.opening"), Coded("financial.dated", {"date": when}) if when else None)
        own("account_intro_ordered", request.account)
        own("grounds_intro", request.grounds)
        if about_account:
            paragraph(Coded("financial.ask_grounds"),
                      Coded("financial.basic_account") if request.capacity != "business" and
                      request.channel_id == "internal:bank" else None)
        asked("financial.default_request")
        paragraph(Coded("financial.legal"),
                  Coded("financial.kifid_next") if request.capacity != "business" else None)
        notes += ["attach_more", "how_financial"]
    elif family == "kifid":
        subject = Coded("kifid.subject", params)
        paragraph(Coded("kifid.consumer"), Coded("kifid.filed", dict(params, filed_on=filed)))
        waited = filed + timedelta(weeks=8)
        if answered:
            paragraph(Coded("kifid.final_position", dict(params, answer_on=answered)))
        elif waited <= today:
            paragraph(Coded("kifid.eight_weeks"))
        else:
            paragraph(Coded("kifid.no_final_position", params))
            notes.append(Coded("kifid_wait", {"from": waited}))
        own("account_intro_ordered", request.account)
        own("kifid.grounds_intro", request.grounds, **params)
        asked("kifid.default_request")
        in_time = (answered and today <= _add_months(answered, 3)) or today <= _add_months(filed, 12)
        if in_time:
            paragraph(Coded("kifid.in_time", params))
        else:
            notes.append("late_kifid")
        attachments.append(Coded("kifid.attachment_complaint", dict(params, filed_on=filed)))
        if answered:
            attachments.append(Coded("kifid.attachment_answer", dict(params, answer_on=answered)))
        notes += ["how_kifid"]
    elif family == "ombudsman":
        subject = Coded("ombudsman.subject", params)
        paragraph(Coded("ombudsman.opening", params), Coded("ombudsman.dated", {"date": when}) if when else None)
        own("account_intro", request.account)
        paragraph(Coded("ombudsman.filed", dict(params, filed_on=filed)),
                  Coded("ombudsman.answered", {"answer_on": answered}) if answered else Coded("ombudsman.no_answer"))
        own("ombudsman.grounds_intro", request.grounds, **params)
        asked("ombudsman.default_request", **params)
        paragraph(Coded("ombudsman.legal"))
        attachments.append(Coded("ombudsman.attachment_complaint", dict(params, filed_on=filed)))
        if answered:
            attachments.append(Coded("ombudsman.attachment_answer", dict(params, answer_on=answered)))
            if _add_months(answered, 12) < today:
                notes.append("late_ombudsman")
        notes += ["how_ombudsman"]
    elif family == "care":
        subject = _dated("care.subject", "care.subject_dated", when)
        paragraph(Coded("care.opening"), Coded("care.dated", {"date": when}) if when else None)
        own("account_intro", request.account)
        own("care.grounds_intro", request.grounds)
        asked("care.default_request")
        paragraph(Coded("care.legal"))
        notes += ["attach_more", "how_care"]
    elif family == "health_insurer":
        subject = Coded("health_insurer.subject")
        paragraph(Coded("health_insurer.opening"),
                  Coded("health_insurer.dated", {"date": when}) if when else None)
        own("account_intro", request.account)
        own("grounds_intro", request.grounds)
        asked("health_insurer.default_request")
        paragraph(Coded("health_insurer.skgz_next"))
        notes += ["attach_more", "how_own_procedure"]
    elif family == "skgz":
        subject = Coded("skgz.subject", params)
        paragraph(Coded("skgz.opening", params))
        paragraph(Coded("skgz.filed", {"filed_on": filed}),
                  Coded("skgz.answered", {"answer_on": answered}) if answered else Coded("skgz.no_answer"))
        own("account_intro", request.account)
        own("grounds_intro", request.grounds)
        asked("skgz.default_request")
        attachments.append(Coded("skgz.attachment_complaint", dict(params, filed_on=filed)))
        if answered:
            attachments.append(Coded("skgz.attachment_answer", dict(params, answer_on=answered)))
            if _add_months(answered, 12) < today:
                notes.append("late_skgz")
        notes += ["how_skgz"]
    elif family == "own_procedure":
        subject = Coded("own_procedure.subject")
        paragraph(Coded("own_procedure.opening"), Coded("own_procedure.dated", {"date": when}) if when else None)
        own("account_intro", request.account)
        own("grounds_intro", request.grounds)
        asked("own_procedure.default_request")
        paragraph(Coded("own_procedure.legal"))
        notes += ["attach_more", "how_own_procedure"]
    else:
        raise ValueError(f"unknown letter family {family!r}")

    place_date = (Coded("place_date", {"place": sender.city, "date": today}) if sender.city
                  else Coded("date_only", {"date": today}))
    return Letter(
        family=family, channel=channel, sender=tuple(sender.lines()), addressee=tuple(a for a in addressee if a),
        addressee_coded=tuple(addressee_coded), place_date=place_date, subject=(subject, *subject_extra),
        body=tuple(part for part in body if part), attachments=tuple(attachments), signer=sender.name,
        notes=_unique(notes),
        written_on=today)

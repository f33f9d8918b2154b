"""The complaint-letter builder: a request in, a coded letter out (domain/letters.py), with the addressee and
where to send it from the channel directory (libs/referral_rules). Stateless: nothing is stored, emitted, logged or
counted with anything from the request; the sender's name and address exist only in the returned letter.
"""
from datetime import date
from functools import lru_cache

from libs.referral_rules import channel_ids as ids
from libs.referral_rules.directory import load_directory
from services.intake.domain.letters import ChannelFacts, LetterRequest, build_letter, letter_family, missing_fields

CONTACT_KINDS = ("address", "web", "email", "phone")


class LetterRefused(Exception):
    """The request cannot become a letter. `code` names why; `fields` maps field paths to reason codes
    (domain.letters.REASONS) or to the words of the schema; never to what was sent."""

    def __init__(self, code, fields):
        super().__init__(code)
        self.code, self.fields = code, fields


@lru_cache(maxsize=1)
def ombudsman_ids() -> frozenset:
    """The Nationale ombudsman and every ombudsman a municipality is mapped to."""
    directory = load_directory()
    return frozenset({ids.NATIONALE_OMBUDSMAN, *(m.ombudsman for m in directory.municipalities.values())})


def family_of(channel_id: str) -> str | None:
    return letter_family(channel_id, ombudsman_ids())


def written_complaint_channels() -> list:
    """(channel id, name) of every channel the builder writes a letter for, in the directory's order."""
    return [(channel_id, channel.name) for channel_id, channel in load_directory().channels.items()
            if family_of(channel_id)]


def channel_facts(channel_id: str) -> ChannelFacts:
    channel = load_directory().channel(channel_id)
    contacts = tuple((kind, str(channel.contact[kind].value), channel.contact[kind].verified_on,
                      channel.contact[kind].confirmed)
                     for kind in CONTACT_KINDS if kind in channel.contact and channel.contact[kind].value)
    return ChannelFacts(channel.id, channel.name, contacts)


def municipality_name(code: str | None) -> str | None:
    mapping = load_directory().municipalities.get(code) if code else None
    return mapping.name if mapping else None


def check(request: LetterRequest):
    """(family, channel facts, municipality name) or LetterRefused: unknown channel, a channel that takes no
    written complaint, or fields the letter needs."""
    if request.channel_id not in load_directory().channels:
        raise LetterRefused("unknown_channel", {"channel_id": "unknown_channel"})
    family = family_of(request.channel_id)
    if family is None:
        raise LetterRefused("no_written_complaint", {"channel_id": "no_written_complaint"})
    municipality = municipality_name(request.municipality)
    missing = missing_fields(request, family, municipality)
    if missing:
        raise LetterRefused("missing_required_fields", missing)
    return family, channel_facts(request.channel_id), municipality


def build(request: LetterRequest, today: date | None = None):
    family, channel, municipality = check(request)
    return build_letter(request, family, channel, municipality, today or date.today())

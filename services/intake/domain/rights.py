"""The rights-and-duties guide's data: topics, their facts (each with its source and the day it was checked) and
what a person can do, validated when the file is read (services/intake/data/rights.yaml).

Pure: `build_guide` takes the parsed file and returns a `Guide` or raises `RightsDataError` naming the entry at
fault (an unknown key, a fact without a source, a duplicate id, an action pointing at no fact). The English
`text` of each fact is the msgid of its wording in the `rights` catalogue.
"""
from dataclasses import dataclass
from datetime import date
import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

CONFIDENCES = ("high", "medium", "low")
TOPIC_ID = validate.Regexp(r"^[a-z][a-z0-9_]*$")
SOURCE_DATE = validate.Regexp(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # the date the source page shows: YYYY[-MM[-DD]]
STALE_AFTER_MONTHS = 12
RIGHTS_FILE = "rights.yaml"


class RightsDataError(Exception):
    """The guide's data is broken; the message names the file and the entry."""


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class _FactSchema(_Strict):
    id = fields.String(required=True, validate=TOPIC_ID)
    text = fields.String(required=True, validate=validate.Length(min=1, max=600))
    source = fields.String(required=True, validate=validate.Regexp(r"^https?://\S+$"))
    source_date = fields.String(load_default=None, validate=SOURCE_DATE)
    verified_on = fields.Date(required=True)
    confidence = fields.String(required=True, validate=validate.OneOf(CONFIDENCES))
    note = fields.String(load_default=None)  # for the desk; never shown


class _ActionSchema(_Strict):
    fact = fields.String(required=True, validate=TOPIC_ID)
    text = fields.String(required=True, validate=validate.Length(min=1, max=400))


class _TopicSchema(_Strict):
    id = fields.String(required=True, validate=TOPIC_ID)
    title = fields.String(required=True, validate=validate.Length(min=1, max=120))
    facts = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1))
    actions = fields.List(fields.Raw(), load_default=list)


class _FileSchema(_Strict):
    version = fields.String(required=True, validate=validate.Length(min=1, max=32))
    topics = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1))


@dataclass(frozen=True)
class Fact:
    topic: str
    id: str
    text: str  # English, the msgid
    source: str
    source_date: str | None
    verified_on: date
    confidence: str
    note: str | None

    @property
    def key(self) -> str:
        return f"{self.topic}.{self.id}"

    def stale(self, today: date) -> bool:
        """Not checked against its source in the last 12 months."""
        return self.verified_on <= _months_before(today, STALE_AFTER_MONTHS)


@dataclass(frozen=True)
class Action:
    fact: Fact
    text: str  # English, the msgid


@dataclass(frozen=True)
class Topic:
    id: str
    title: str  # English, the msgid
    facts: tuple
    actions: tuple

    @property
    def slug(self) -> str:
        """The topic's address: /{lang}/rights/<slug> (bank_account -> bank-account)."""
        return self.id.replace("_", "-")

    @property
    def last_checked(self) -> date:
        return max(fact.verified_on for fact in self.facts)


@dataclass(frozen=True)
class Guide:
    version: str
    topics: tuple

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(f"unknown topic {topic_id!r}")

    def by_slug(self, slug: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.slug == slug), None)

    def facts(self):
        for topic in self.topics:
            yield from topic.facts

    def stale_facts(self, today: date) -> list:
        """Facts whose `verified_on` is 12 months or more before `today`, oldest first."""
        return sorted((fact for fact in self.facts() if fact.stale(today)), key=lambda f: (f.verified_on, f.key))

    def texts(self):
        """Every English text a person reads (titles, facts, actions): the catalogue's msgids, with where from."""
        for topic in self.topics:
            yield topic.title, f"{topic.id} (title)"
            for fact in topic.facts:
                yield fact.text, fact.key
            for action in topic.actions:
                yield action.text, f"{action.fact.key} (action)"


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 28):  # 29 February minus a year is 28 February
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _load(schema, raw, where):
    if not isinstance(raw, dict):
        raise RightsDataError(f"{RIGHTS_FILE}: {where}: must be a mapping")
    try:
        return schema.load(raw)
    except ValidationError as error:
        raise RightsDataError(f"{RIGHTS_FILE}: {where}: {error.messages}") from None


_ID_IN_RAW = re.compile(r"^[a-z][a-z0-9_]*$")


def _name(raw, index, kind):
    """How an entry is named in an error: its id when it has a usable one, else its position."""
    entry_id = raw.get("id") if isinstance(raw, dict) else None
    return f"{kind} {entry_id!r}" if isinstance(entry_id, str) and _ID_IN_RAW.match(entry_id) else f"{kind} #{index + 1}"


def build_guide(raw) -> Guide:
    """Validate the parsed rights.yaml. Raises RightsDataError naming the entry at fault."""
    data = _load(_FileSchema(), raw, "top level")
    topics, seen_topics, seen_texts = [], set(), {}
    for t_index, topic_raw in enumerate(data["topics"]):
        topic_name = _name(topic_raw, t_index, "topic")
        topic = _load(_TopicSchema(), topic_raw, topic_name)
        if topic["id"] in seen_topics:
            raise RightsDataError(f"{RIGHTS_FILE}: {topic_name}: duplicate topic id")
        seen_topics.add(topic["id"])
        facts = {}
        for f_index, fact_raw in enumerate(topic["facts"]):
            fact_name = f"{topic_name}, {_name(fact_raw, f_index, 'fact')}"
            fact = _load(_FactSchema(), fact_raw, fact_name)
            if fact["id"] in facts:
                raise RightsDataError(f"{RIGHTS_FILE}: {fact_name}: duplicate fact id")
            facts[fact["id"]] = Fact(topic["id"], fact["id"], fact["text"], fact["source"], fact["source_date"],
                                     fact["verified_on"], fact["confidence"], fact["note"])
        actions = []
        for a_index, action_raw in enumerate(topic["actions"]):
            action_name = f"{topic_name}, action #{a_index + 1}"
            action = _load(_ActionSchema(), action_raw, action_name)
            if action["fact"] not in facts:
                raise RightsDataError(f"{RIGHTS_FILE}: {action_name}: no fact {action['fact']!r} in this topic")
            actions.append(Action(facts[action["fact"]], action["text"]))
        built = Topic(topic["id"], topic["title"], tuple(facts.values()), tuple(actions))
        for text, where in _topic_texts(built):
            if text in seen_texts:  # one msgid, one wording: two entries with the same text would share it
                raise RightsDataError(f"{RIGHTS_FILE}: {where}: the same text as {seen_texts[text]}")
            seen_texts[text] = where
        topics.append(built)
    return Guide(data["version"], tuple(topics))


def _topic_texts(topic: Topic):
    yield topic.title, f"topic {topic.id!r} (title)"
    for fact in topic.facts:
        yield fact.text, f"fact {fact.key!r}"
    for action in topic.actions:
        yield action.text, f"action on {action.fact.key!r}"

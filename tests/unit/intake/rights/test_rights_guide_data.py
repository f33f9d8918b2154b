"""The guide's data (services/intake/data/rights.yaml): ten topics, every fact with its source and the day it was
checked, validated on load with errors that name the entry; `voorportaal-case rights stale`."""
from datetime import date

import pytest
import yaml

from services.intake import cli
from services.intake.domain.rights import RightsDataError, build_guide
from services.intake.use_cases.rights_guide import DATA_DIR, load_guide

TOPICS = ["bank_account", "police", "municipality", "tax_registration", "health_insurance", "housing",
          "discrimination", "privacy", "work_exploitation", "help_now"]


def raw():
    return yaml.safe_load((DATA_DIR / "rights.yaml").read_text(encoding="utf-8"))


def test_the_guide_has_the_ten_topics_and_every_fact_its_source_and_check_date():
    guide = load_guide()
    assert [topic.id for topic in guide.topics] == TOPICS
    facts = list(guide.facts())
    assert len(facts) >= 70
    assert all(f.source.startswith(("https://", "http://")) and f.verified_on and f.confidence in ("high", "medium")
               for f in facts)
    assert guide.topic("housing").facts[0].text.startswith("Since 1 January 2024 every municipality has a "
                                                           "reporting point")   # Wet goed verhuurderschap
    assert all(topic.actions for topic in guide.topics)


@pytest.mark.parametrize("breaks, message", [
    (lambda d: d["topics"][1]["facts"][2].pop("source"), "topic 'police', fact 'inspector_or_police'"),
    (lambda d: d["topics"][0]["facts"][0].update(sauce="x"), "topic 'bank_account', fact 'basic_account_right'"),
    (lambda d: d["topics"][2].update(colour="red"), "topic 'municipality'"),
    (lambda d: d["topics"][3]["facts"][0].update(verified_on="yesterday"), "fact 'entrepreneur_kvk'"),
    (lambda d: d["topics"][4]["facts"][0].update(confidence="sure"), "fact 'duty'"),
    (lambda d: d["topics"][5]["actions"][0].update(fact="nothing"), "topic 'housing', action #1"),
    (lambda d: d["topics"][6]["facts"].append(dict(d["topics"][6]["facts"][0])), "duplicate fact id"),
    (lambda d: d.update(extra=1), "top level"),
])
def test_a_broken_entry_stops_the_load_and_is_named(breaks, message):
    data = raw()
    breaks(data)
    with pytest.raises(RightsDataError) as error:
        build_guide(data)
    assert message in str(error.value) and "rights.yaml" in str(error.value)


def test_missing_source_is_named_with_the_field():
    data = raw()
    del data["topics"][0]["facts"][1]["source"]
    with pytest.raises(RightsDataError, match=r"fact 'basic_refusal_grounds'.*source"):
        build_guide(data)


def test_stale_facts_are_those_not_checked_in_the_last_twelve_months():
    guide = load_guide()
    assert guide.stale_facts(date(2027, 12, 2)) == []
    assert len(guide.stale_facts(date(2027, 12, 3))) == len(list(guide.facts()))
    data = raw()
    data["topics"][0]["facts"][0]["verified_on"] = date(2025, 1, 31)
    older = build_guide(data).stale_facts(date(2026, 1, 31))
    assert [fact.key for fact in older] == ["bank_account.basic_account_right"]


def test_the_cli_lists_stale_facts_and_exits_1_when_there_are_any(capsys):
    assert cli.main(["rights", "stale", "--today", "2026-12-04"]) == 0
    assert cli.main(["rights", "stale", "--today", "2028-01-01"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(list(load_guide().facts()))
    assert out[0].startswith("2026-12-03  ") and "https://" in out[0]

"""Every municipality maps to exactly one second-line body that exists in the directory, and a plan shows that body;
where the mapping is not confirmed the plan names the body and says so (research task 17, 2026-12-03)."""
import re
from datetime import date
from pathlib import Path

import yaml
from hypothesis import given, settings, strategies as st

from libs.reference import municipalities as reference
from libs.referral_rules.directory import DATA_DIR, load_directory
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan

DIRECTORY = load_directory()
CBS = {row["gm_code"].strip(): row for row in reference.rows()}
CHANGELOG = Path(__file__).resolve().parents[3] / "docs" / "directory-changelog.md"
TODAY = date(2026, 12, 3)
FILED = dict(prior_complaint_filed_on=date(2026, 9, 1), prior_final_answer_on=date(2026, 10, 15))


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML silently keeps the last of two equal keys; a municipality listed twice must fail instead."""


def _unique_mapping(loader, node, deep=False):
    keys = [loader.construct_object(key, deep=deep) for key, _value in node.value]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates, f"duplicate keys: {sorted(duplicates)}"
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)
RAW = yaml.load((DATA_DIR / "municipalities.yaml").read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)


def _ombudsman_steps(plan):
    return [step for step in plan.steps if step.kind == "second_line"]


@settings(max_examples=342, deadline=None)
@given(st.sampled_from(sorted(CBS)))
def test_every_municipality_maps_to_exactly_one_second_line_body_that_exists(code):
    entry = RAW["municipalities"][code]
    assert entry["name"] == CBS[code]["gm_naam"].strip()
    body = DIRECTORY.channel(entry["ombudsman"])  # KeyError if the body is missing
    assert body.kind == "second_line"
    mapping = DIRECTORY.municipalities[code]
    assert mapping.ombudsman == entry["ombudsman"] and mapping.status in ("confirmed", "unconfirmed")
    assert mapping.source and mapping.verified_on in (date(2026, 12, 3), date(2026, 11, 28))
    plan = make_plan(ComplaintFacts("municipality", "rude_treatment", code, **FILED), TODAY)
    steps = _ombudsman_steps(plan)
    assert [step.channel_id for step in steps] == [entry["ombudsman"]]
    assert steps[0].unconfirmed is (entry["status"] != "confirmed")
    if entry["status"] != "confirmed":
        # the plan names the body and says it is not confirmed, in the step and in a warning
        check = steps[0].precondition_messages[-1]
        assert check.code == "ombudsman.if.check_with_municipality"
        assert dict(check.params) == {"municipality": mapping.name, "body": body.name}
        assert steps[0].preconditions[-1].startswith("Not confirmed:") and body.name in steps[0].preconditions[-1]
        warning = next(w for w in plan.warnings if w.code == "check_with_municipality")
        assert body.name in warning.message and mapping.name in warning.message


def test_the_file_lists_all_342_municipalities_once():
    assert sorted(RAW["municipalities"]) == sorted(CBS) and len(CBS) == 342


def test_every_local_or_regional_body_serves_at_least_one_municipality():
    served = {mapping.ombudsman for mapping in DIRECTORY.municipalities.values()}
    municipal_bodies = {channel_id for channel_id, channel in DIRECTORY.channels.items()
                        if channel.kind == "second_line" and re.match(
                            r"^(ombudsman|ombudscommissie|commissie-ombudsman|gemeentelijke-ombudsman)-", channel_id)}
    assert len(municipal_bodies) == 25  # 10 before 2026-12-03, 15 added from the research
    assert municipal_bodies <= served
    assert served - municipal_bodies == {"nationale-ombudsman"}


def test_research_findings_that_changed_the_route():
    by_code = DIRECTORY.municipalities
    expected = {"GM0361": "ombudsman-alkmaar", "GM0106": "ombudscommissie-assen", "GM0758": "commissie-ombudsman-breda",
                "GM1674": "commissie-ombudsman-breda", "GM1963": "ombudscommissie-hoeksche-waard",
                "GM0118": "ombudsman-de-wolden-hoogeveen", "GM1690": "ombudsman-de-wolden-hoogeveen",
                "GM0275": "ombudscommissie-rheden", "GM0221": "ombudscommissie-rheden",
                "GM0277": "ombudscommissie-rheden", "GM0613": "ombudsman-rotterdam", "GM1930": "ombudsman-rotterdam"}
    for code, body in expected.items():
        assert (by_code[code].ombudsman, by_code[code].confirmed) == (body, True), code
    # Voorne aan Zee (merged 2023 from two ORR members and Brielle): ORR, not confirmed
    assert (by_code["GM1992"].ombudsman, by_code["GM1992"].confirmed) == ("ombudsman-rotterdam", False)
    # the Zeeuwse Ombudsman (2023) and the Overijsselse Ombudsman (2024) are gone: the Nationale ombudsman
    for mapping in by_code.values():
        if mapping.province in ("Zeeland", "Overijssel"):
            assert mapping.ombudsman == "nationale-ombudsman", mapping.code
    assert all(m.confirmed for m in by_code.values() if m.province == "Zeeland")


def test_the_changelog_states_the_current_numbers():
    text = CHANGELOG.read_text(encoding="utf-8")
    confirmed = sum(1 for m in DIRECTORY.municipalities.values() if m.confirmed)
    assert f"version `{DIRECTORY.version}`" in text
    assert f"**{confirmed}** confirmed" in text
    assert f"**{342 - confirmed}** unconfirmed" in text

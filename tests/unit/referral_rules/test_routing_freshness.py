"""Facts that need checking again: older than 12 months or unconfirmed; the CLI lists them by channel."""
import dataclasses
import json
from datetime import date, timedelta

from libs.referral_rules.directory import load_directory
from libs.referral_rules.freshness import stale_facts
from services.routing import cli


def with_kifid_cost(directory, **changes):
    kifid = directory.channels["kifid"]
    channels = dict(directory.channels, kifid=dataclasses.replace(kifid, cost=dataclasses.replace(kifid.cost,
                                                                                                   **changes)))
    return dataclasses.replace(directory, channels=channels)


def test_a_fact_is_stale_the_day_after_it_turns_a_year_old():
    verified = date(2025, 3, 1)
    directory = with_kifid_cost(load_directory(), verified_on=verified, status="confirmed")
    on_the_day = [f for f in stale_facts(directory, verified + timedelta(days=365)) if f.group == "kifid"]
    day_after = [f for f in stale_facts(directory, verified + timedelta(days=366)) if f.group == "kifid"]
    assert not any(f.name == "cost" for f in on_the_day)
    assert [f.reason for f in day_after if f.name == "cost"] == ["older than 12 months"]


def test_unconfirmed_facts_and_municipalities_are_listed_whatever_their_age():
    directory = load_directory()
    found = stale_facts(directory, date(2026, 12, 3))
    unconfirmed_municipalities = [m for m in directory.municipalities.values() if not m.confirmed]
    listed = [f for f in found if f.group == "municipalities"]
    assert len(listed) == len(unconfirmed_municipalities)
    assert all(f.reason == "unconfirmed" for f in listed)


def test_the_cli_prints_groups_and_json(capsys):
    assert cli.main(["stale", "--today", "2026-12-03", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"group", "fact", "reason", "verified_on", "source"} <= set(rows[0])
    assert cli.main(["check"]) == 0
    assert "342 municipalities" in capsys.readouterr().out

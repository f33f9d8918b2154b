"""`voorportaal-report --kind signals`: the signal report in three formats, logged; an announced quarter queues one
partner event per subscribable sector with counts only; clear exits for an empty period, a refused release and bad
arguments."""
import csv
import hashlib
import io
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from libs.contracts.partner_events import SIGNAL_REPORT_EVENT_TYPE, SIGNAL_REPORT_SECTORS, SignalReportPublishedData
from support.analytics_testlib import KEY
from services.analytics.cli import report
from services.analytics.tables import case_facts_table, metadata, outbox
from services.analytics.use_cases.signal_observations import store_observation
from services.analytics.use_cases.signal_reports import signal_releases
from services.analytics.use_cases.synthetic import load_synthetic

CANARY = "CANARY-SIGNAL-8842 accounts closed after a routine check"


@pytest.fixture()
def database(tmp_path):
    path = tmp_path / "analytics.db"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with Session(engine) as session:
        load_synthetic(session, 3000, seed=5, pseudonym_key=KEY)
        store_observation(session, {"sector": "banks", "quarter": "2027-Q2", "observation": CANARY,
                                    "written_at": datetime(2027, 7, 1, tzinfo=timezone.utc)})
        session.commit()
    engine.dispose()
    return f"sqlite:///{path}"


def signals(database, *arguments):
    return report(["--kind", "signals", "--database-url", database, *arguments])


def test_three_formats_with_observations_and_charts_are_written_and_logged(database, tmp_path):
    outputs = {fmt: tmp_path / f"signals.{fmt}" for fmt in ("html", "csv", "json")}
    for fmt, out in outputs.items():
        assert signals(database, "--from", "2027-01", "--to", "2027-06", "--format", fmt, "--out", str(out)) == 0
    page = outputs["html"].read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.count('<img src="data:image/png;base64,') == 2
    assert CANARY in page and page.count("<h2 id=\"sector-") == 8
    for external in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert external not in page
    document = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert document["period"]["quarters"] == ["2027-Q1", "2027-Q2"]
    assert document["period"]["growth_compared_with"] == "2026-Q4"
    banks = next(s for s in document["sectors"] if s["sector"] == "banks")
    assert banks["quarters"][1]["observation"] == CANARY and banks["quarters"][0]["observation"] is None
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].read_text(encoding="utf-8"))))
    assert {row["measure"] for row in rows} >= {"complaints", "issue", "stage", "term", "answer_days"}
    assert CANARY not in outputs["csv"].read_text(encoding="utf-8")  # numbers only in the csv
    engine = create_engine(database)
    with Session(engine) as session:
        logged = signal_releases(session)
        queued = session.execute(select(outbox)).fetchall()
    engine.dispose()
    assert queued == []  # nothing is announced without --announce
    assert {row["format"]: row["sha256"] for row in logged} == {
        fmt: hashlib.sha256(out.read_bytes()).hexdigest() for fmt, out in outputs.items()}
    assert not any(row["announced"] for row in logged)


def test_the_pdf_has_an_overview_page_and_a_page_per_sector(database, tmp_path):
    import re
    out = tmp_path / "signals.pdf"
    assert signals(database, "--from", "2026-01", "--to", "2028-12", "--format", "pdf", "--out", str(out)) == 0
    content = out.read_bytes()
    assert content.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page\b", content)) == 1 + 8
    engine = create_engine(database)
    with Session(engine) as session:
        (logged,) = signal_releases(session)
    engine.dispose()
    assert logged["format"] == "pdf" and logged["sha256"] == hashlib.sha256(content).hexdigest()


def test_an_announced_quarter_queues_one_event_per_sector_with_published_counts_only(database, tmp_path):
    out = tmp_path / "q.html"
    assert signals(database, "--from", "2027-04", "--to", "2027-06", "--format", "html", "--out", str(out),
                   "--announce") == 0
    engine = create_engine(database)
    with Session(engine) as session:
        rows = session.execute(select(outbox)).fetchall()
        (logged,) = signal_releases(session)
    engine.dispose()
    assert logged["announced"] is True
    assert sorted(row.routing_key for row in rows) == sorted(f"signals.{s}" for s in SIGNAL_REPORT_SECTORS)
    for row in rows:
        assert row.exchange == "voorportaal.referrals.v1" and row.content_type == "application/cloudevents+json"
        assert "CANARY" not in row.body and "VP-" not in row.body
        envelope = json.loads(row.body)
        assert envelope["type"] == SIGNAL_REPORT_EVENT_TYPE and envelope["subject"] is None
        data = SignalReportPublishedData().load(envelope["data"])
        assert data["quarter"] == "2027-Q2" and data["report_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
        for value in [data["complaints"], data["second_line"], *data["by_issue"].values(), *data["by_term"].values()]:
            assert value is None or value == 0 or value >= 10
    banks = next(json.loads(r.body)["data"] for r in rows if r.routing_key == "signals.banks")
    assert banks["has_observation"] is True


def test_a_period_with_nothing_in_it_exits_4_and_publishes_nothing(database, capsys):
    assert signals(database, "--from", "2031-01", "--to", "2031-03", "--format", "json") == 4
    assert "no complaints were received in 2031-Q1" in capsys.readouterr().err
    engine = create_engine(database)
    with Session(engine) as session:
        assert signal_releases(session) == []
    engine.dispose()


def test_a_quarter_that_changed_since_its_release_is_refused_with_exit_3(database, tmp_path, capsys):
    assert signals(database, "--from", "2027-04", "--to", "2027-06", "--format", "json",
                   "--out", str(tmp_path / "a.json")) == 0
    engine = create_engine(database)
    with Session(engine) as session:  # a late change to the quarter: 11 more cases about the police
        session.execute(case_facts_table.insert(), [{
            "pseudonym": f"{i:032x}", "received": True, "month": "2027-05", "quarter": "2027-Q2",
            "institution_type": "police", "issue": "violence", "reporter_role": "sex_worker", "signal": True,
            "wants_mediation": False, "plan_count": 1, "deadline_due_count": 0, "stage": "not_filed",
            "mediation": "not_requested", "mediation_unmatched": False} for i in range(11)])
        session.commit()
    engine.dispose()
    out = tmp_path / "b.json"
    assert signals(database, "--from", "2027-04", "--to", "2027-06", "--format", "json", "--out", str(out)) == 3
    assert "differs from the previous release" in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize("arguments, message", [
    (["--from", "2027-01", "--to", "2027-06", "--announce"], "one quarter"),
    (["--kind", "evaluation", "--from", "2027-01", "--to", "2027-03", "--announce"], "one quarter"),
    (["--from", "2027-02", "--to", "2027-06"], "first month of a quarter"),
    (["--kind", "sectors", "--from", "2027-01", "--to", "2027-03"], "invalid choice"),
])
def test_bad_arguments_exit_2_with_a_clear_message(database, capsys, arguments, message):
    if arguments[0] != "--kind":
        arguments = ["--kind", "signals", *arguments]
    with pytest.raises(SystemExit) as exit_info:
        report([*arguments, "--database-url", database])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err

"""`voorportaal-report` produces html, csv and json, logs each release and fails clearly on bad input."""
import csv
import hashlib
import io
import json

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from support.analytics_testlib import KEY
from services.analytics.cli import report
from services.analytics.tables import metadata
from services.analytics.use_cases.reports import releases
from services.analytics.use_cases.synthetic import load_synthetic


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("analytics") / "analytics.db"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with Session(engine) as session:
        load_synthetic(session, 1500, seed=3, pseudonym_key=KEY)
        session.commit()
    engine.dispose()
    return f"sqlite:///{path}"


def run(database, fmt, out):
    return report(["--from", "2026-01", "--to", "2028-12", "--format", fmt, "--database-url", database,
                 "--out", str(out)])


def test_three_formats_are_written_and_logged(database, tmp_path):
    outputs = {fmt: tmp_path / f"report.{fmt}" for fmt in ("html", "csv", "json")}
    for fmt, out in outputs.items():
        assert run(database, fmt, out) == 0

    page = outputs["html"].read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert page.count("<caption>") == 11 and "<h1>" in page and 'scope="col"' in page
    assert page.count('<img src="data:image/png;base64,') == 4 and page.count(' alt="') == 4
    for external in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert external not in page

    rows = list(csv.DictReader(io.StringIO(outputs["csv"].read_text(encoding="utf-8"))))
    assert rows and set(rows[0]) == {"table", "quarter", "column", "value", "status"}
    assert {row["status"] for row in rows} >= {"published", "suppressed"}
    assert all((row["value"] == "") == (row["status"] != "published") for row in rows)

    document = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert document["period"] == {"from": "2026-01", "to": "2028-12",
                                  "quarters": [f"{y}-Q{q}" for y in (2026, 2027, 2028) for q in (1, 2, 3, 4)]}
    assert len(document["tables"]) == 10

    engine = create_engine(database)
    with Session(engine) as session:
        logged = releases(session)
    engine.dispose()
    latest = {row["format"]: row for row in logged}
    for fmt, out in outputs.items():
        assert latest[fmt]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
        assert (latest[fmt]["period_from"], latest[fmt]["period_to"], latest[fmt]["threshold"]) == \
            ("2026-01", "2028-12", 10)


def test_without_out_the_report_goes_to_stdout(database, capsysbinary):
    assert report(["--from", "2027-01", "--to", "2027-03", "--format", "json", "--database-url", database,
                 "--threshold", "15"]) == 0
    document = json.loads(capsysbinary.readouterr().out)
    assert document["threshold"] == 15 and document["period"]["quarters"] == ["2027-Q1"]


@pytest.mark.parametrize("arguments, message", [
    (["--from", "2026-1", "--to", "2026-12"], "YYYY-MM"),
    (["--from", "2026-02", "--to", "2026-12"], "first month of a quarter"),
    (["--from", "2026-01", "--to", "2026-11"], "last month of a quarter"),
    (["--from", "2027-01", "--to", "2026-12"], "before"),
    (["--from", "2026-01", "--to", "2026-12", "--threshold", "1"], "at least 2"),
    (["--from", "2026-01", "--to", "2026-12", "--format", "pdf"], "for the signal report only"),
    (["--from", "2026-01", "--to", "2026-12", "--format", "docx"], "invalid choice"),
])
def test_bad_arguments_exit_2_with_a_clear_message(database, capsys, arguments, message):
    with pytest.raises(SystemExit) as exit_info:
        report(arguments + ["--database-url", database])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_missing_or_foreign_database_exits_1(tmp_path, capsys):
    assert report(["--from", "2026-01", "--to", "2026-12", "--database-url", f"sqlite:///{tmp_path}/none.db"]) == 1
    assert "no database file" in capsys.readouterr().err
    empty = tmp_path / "empty.db"
    create_engine(f"sqlite:///{empty}").connect().close()
    assert report(["--from", "2026-01", "--to", "2026-12", "--database-url", f"sqlite:///{empty}"]) == 1
    assert "no analytics fact store" in capsys.readouterr().err
    assert report(["--from", "2026-01", "--to", "2026-12", "--database-url", "mysql://x/y"]) == 1

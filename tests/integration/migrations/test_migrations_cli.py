"""`voorportaal-migrate` (compose's and Kubernetes' migration step, `make migrate`, `make migration`) and the
relay's wait for a schema that is not there yet."""
import shutil

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError

from libs.kit import migrate_cli, migrations
from libs.kit.config import SERVICES
from libs.kit.relay import outbox_missing


@pytest.fixture()
def database(engine, monkeypatch):
    """Every service's URL points at the test's database (the platform's shared-database layout)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return engine


def test_migrate_all_brings_every_service_to_head_and_names_no_url(database, capsys):
    assert migrate_cli.main(["all"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{s}: empty -> {migrations.head(s)}" for s in SERVICES]
    assert "sqlite" not in out and "postgres" not in out
    assert migrate_cli.main(["intake", "--status"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_migrate_goes_down_and_up_to_a_named_revision(database, capsys):
    assert migrate_cli.main(["routing"]) == 0
    assert migrate_cli.main(["routing", "--to", "0001"]) == 0
    assert migrate_cli.main(["routing", "--status"]) == 0
    assert f"at 0001, newest {migrations.head('routing')}: behind" in capsys.readouterr().out
    assert migrate_cli.main(["routing", "--to", "0009"]) == 2
    assert "no revision '0009'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["billing"], ["all", "--to", "0001"], ["new"], ["new", "billing"]])
def test_migrate_refuses_unknown_services(argv, database):
    with pytest.raises(SystemExit) as exit_:
        migrate_cli.main(argv)
    assert exit_.value.code == 2


def test_migrate_reports_a_half_made_database_without_a_traceback(database, capsys):
    with database.begin() as connection:
        connection.execute(text("CREATE TABLE routing_plans (case_ref VARCHAR(16) PRIMARY KEY)"))
    assert migrate_cli.main(["routing"]) == 2
    assert "routing_inbox, routing_outbox, routing_partner_cases missing" in capsys.readouterr().err


def test_make_migration_writes_the_next_numbered_revision(tmp_path, monkeypatch):
    """On a copy of routing's environment: with tables.py unchanged the new revision is empty, numbered one after
    the newest and follows it; without a message nothing is written."""
    newest = migrations.head("routing")
    shutil.copytree(migrations.migrations_dir("routing"), tmp_path / "routing" / "migrations")
    monkeypatch.setattr(migrations, "SERVICES_DIR", tmp_path)
    with pytest.raises(migrations.MigrationError, match="message"):
        migrate_cli.new_revision("routing", " ")
    path = migrate_cli.new_revision("routing", "nothing yet")
    assert path.name == f"{int(newest) + 1:04d}_nothing_yet.py" and path.parent == tmp_path / "routing" / "migrations" / "versions"
    written = path.read_text()
    assert f"down_revision = '{newest}'" in written and "create_index" not in written and "pass" in written


@pytest.mark.postgres
def test_relay_treats_a_missing_outbox_as_a_schema_still_to_come(new_engine):
    engine = new_engine("postgresql")
    with pytest.raises(ProgrammingError) as missing:
        with engine.connect() as connection:
            connection.execute(select(text("1")).select_from(text("intake_outbox")))
    assert outbox_missing(missing.value)
    with pytest.raises(ProgrammingError) as other:
        with engine.connect() as connection:
            connection.execute(text("SELEC 1"))
    assert not outbox_missing(other.value)

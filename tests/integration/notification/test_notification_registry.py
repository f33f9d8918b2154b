"""The mediator registry in the service's own store, managed with the CLI (real PostgreSQL)."""
import pytest
from sqlalchemy import delete

from libs.kit.db import make_engine, make_session_factory
from services.notification import cli
from services.notification.tables import mediators, metadata
from services.notification.use_cases import registry

pytestmark = pytest.mark.postgres

DOC = {"mediators": [{"id": "med-test-1", "name": "T", "email": "t@x.test", "languages": ["nl"], "capacity": 2}]}


def test_seed_import_and_deactivate(pg_url, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("NOTIFICATION_DATABASE_URL", pg_url)
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        assert registry.seed_missing(session, DOC) == 1
    assert cli.main(["deactivate", "med-test-1"]) == 0
    with sessions() as session:
        assert registry.seed_missing(session, DOC) == 0  # a restart does not undo the coordinator's change
        assert [m.active for m in registry.all_mediators(session) if m.id == "med-test-1"] == [False]
    bad = tmp_path / "bad.yaml"
    bad.write_text("mediators:\n  - id: BAD ID\n    name: x\n    email: nope\n    languages: [nl]\n    capacity: 1\n")
    assert cli.main(["import", str(bad)]) == 2
    assert cli.main(["activate", "no-such-mediator"]) == 1
    capsys.readouterr()
    assert cli.main(["list"]) == 0
    assert '"id": "med-test-1"' in capsys.readouterr().out
    with engine.begin() as conn:
        conn.execute(delete(mediators).where(mediators.c.id == "med-test-1"))
    engine.dispose()

"""The case handlers' CLI opens a complaint sealed before the workspace existed, and key rotation keeps such cases
readable (real PostgreSQL); a case filed since is read in the workspace."""
import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import delete

from libs.kit.db import make_engine
from services.intake import cli
from services.intake.tables import complaints, metadata, outbox
from services.intake.domain.sealing import seal

pytestmark = pytest.mark.postgres


def test_show_and_rotate(pg_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INTAKE_DATABASE_URL", pg_url)
    cli.main(["keygen", "--out", str(tmp_path), "--name", "old"])
    cli.main(["keygen", "--out", str(tmp_path), "--name", "new"])
    capsys.readouterr()
    from services.intake.settings import decode_public_key
    old_public = decode_public_key((tmp_path / "old.pub").read_text())
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    sealed, wrapped = seal({"description": "CANARY-CLI text", "contact": None, "institution_name": None}, [old_public])
    reference = "VP-LEGA-CY01"
    with engine.begin() as conn:  # as intake stored complaints before the workspace
        conn.execute(complaints.insert().values(
            reference=reference, receipt_hash="x" * 64, status="planned", institution_type="police",
            issue="rude_treatment", municipality=None, language="nl", reporter_role="sex_worker",
            wants_mediation=False, consent={"referral": False}, sealed_content=sealed, wrapped_keys=wrapped,
            received_at=datetime(2026, 11, 1, tzinfo=timezone.utc)))
    filed = SimpleNamespace(reference=reference)
    cli.main(["show", filed.reference, "--private-key", str(tmp_path / "old.key")])
    shown = json.loads(capsys.readouterr().out)
    assert shown["content"]["description"] == "CANARY-CLI text"

    cli.main(["rotate", "--private-key", str(tmp_path / "old.key"),
                   "--new-public-key", str(tmp_path / "new.pub")])
    capsys.readouterr()
    cli.main(["show", filed.reference, "--private-key", str(tmp_path / "new.key")])
    assert json.loads(capsys.readouterr().out)["content"]["description"] == "CANARY-CLI text"
    with pytest.raises(KeyError):
        cli.main(["show", filed.reference, "--private-key", str(tmp_path / "old.key")])
    with engine.begin() as conn:
        conn.execute(delete(complaints).where(complaints.c.reference == filed.reference))
        conn.execute(delete(outbox).where(outbox.c.body.contains(filed.reference)))
    engine.dispose()

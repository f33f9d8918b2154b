"""The case handler's CLI opens what intake sealed, and key rotation keeps cases readable (real PostgreSQL)."""
import json

import pytest
from sqlalchemy import delete

from libs.kit.db import make_engine, make_session_factory
from services.intake import cli
from services.intake.tables import complaints, metadata, outbox
from services.intake.use_cases.filing import file_complaint
from services.intake.web.api_schemas import ComplaintRequest

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
    complaint = ComplaintRequest().load({
        "institution_type": "police", "issue": "rude_treatment", "description": "CANARY-CLI text",
        "consent": {"referral": False, "share_description": False, "contact": False}})
    with make_session_factory(engine)() as session:
        filed = file_complaint(session, complaint, b"k" * 32, [old_public])
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

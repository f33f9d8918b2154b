"""The partner client's status updates against the published contract (docs/asyncapi.yaml): its statuses, outcome
codes, event type and exchange are the document's, what it builds passes routing's own check, and it refuses to
send what does not fit; the CLI's `status` subcommand exits 2 without sending."""
import json
import re
from datetime import datetime, timezone

import pytest
import yaml

from support.paths import REPO_ROOT
from voorportaal_partner import cli, status

ASYNCAPI = yaml.safe_load((REPO_ROOT / "docs" / "asyncapi.yaml").read_text(encoding="utf-8"))
SCHEMAS = ASYNCAPI["components"]["schemas"]
SUBJECT = "3f0c9a1e5b7d2c4e6f8a0b1c2d3e4f50"


def test_statuses_outcomes_type_and_exchange_are_the_documents():
    data = SCHEMAS["PartnerStatusData"]["properties"]
    assert list(status.STATUSES) == data["status"]["enum"]
    assert list(status.OUTCOMES) == [code for code in data["outcome"]["enum"] if code is not None]
    envelope = SCHEMAS["PartnerStatusUpdatedEvent"]
    assert envelope["properties"]["type"]["const"] == status.STATUS_TYPE
    channel = ASYNCAPI["channels"]["partnerStatusUpdated"]
    assert channel["bindings"]["amqp"]["exchange"]["name"] == status.UPDATES_EXCHANGE
    event = status.status_event("kifid", SUBJECT, "answered", "upheld")
    assert set(event) <= set(envelope["properties"]) and set(envelope["required"]) <= set(event)
    assert re.match(envelope["properties"]["source"]["pattern"], event["source"])
    assert re.match(envelope["properties"]["id"]["pattern"], event["id"])


def test_what_the_client_builds_passes_routings_check():
    from services.routing.domain.partner_updates import read_update

    moment = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    event = status.status_event("kifid", SUBJECT, "closed", "settled", event_id="kifid-42", time=moment)
    update = read_update(json.dumps(event).encode(), "partner-kifid", {"kifid"}, moment)
    assert (update.partner_id, update.event_id, update.subject, update.status, update.outcome, update.changed_at) == \
        ("kifid", "kifid-42", SUBJECT, "closed", "settled", moment)


@pytest.mark.parametrize("arguments", [
    ("kifid", "not-a-subject", "answered", None),
    ("kifid", SUBJECT, "rejected", None),
    ("kifid", SUBJECT, "received", "upheld"),
    ("kifid", SUBJECT, "closed", None),
    ("kifid", SUBJECT, "answered", "The person was unpleasant"),
    ("Kifid", SUBJECT, "answered", None),
])
def test_what_does_not_fit_is_refused_before_sending(arguments):
    with pytest.raises(status.InvalidStatus):
        status.status_event(*arguments)
    with pytest.raises(status.InvalidStatus):
        status.status_event("kifid", SUBJECT, "answered", time=datetime(2026, 11, 20, 9, 30))  # no time zone


def test_the_user_id_is_the_uris_user():
    assert status.broker_user("amqps://partner-kifid:s3cret@amqp.voorportaal.example:5671/voorportaal") == \
        "partner-kifid"
    with pytest.raises(status.InvalidStatus):
        status.broker_user("amqp://localhost/")


def test_cli_status_refuses_a_bad_subject_without_connecting(capsys):
    code = cli.main(["status", "--partner", "kifid", "--amqp-uri", "amqp://nobody:x@127.0.0.1:1/%2F",
                     "--subject", "CANARY", "--status", "answered"])
    assert code == 2 and "not sent" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["status", "--partner", "kifid", "--subject", SUBJECT, "--status", "answered", "--outcome", "great"])


def test_readme_documents_every_status_and_outcome():
    readme = (REPO_ROOT / "clients" / "partner" / "README.md").read_text(encoding="utf-8")
    for code in status.STATUSES + status.OUTCOMES + (status.STATUS_TYPE, status.UPDATES_EXCHANGE):
        assert f"`{code}`" in readme, code

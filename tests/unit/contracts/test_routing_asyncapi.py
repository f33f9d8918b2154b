"""Contract snapshot: docs/asyncapi.yaml is exactly what the generator builds from the marshmallow schemas."""
from pathlib import Path

import yaml

from libs.contracts.asyncapi import build_asyncapi
from libs.contracts.partner_events import ALLOWED_FIELDS
from support.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "asyncapi.yaml"


def test_committed_asyncapi_document_matches_the_generator():
    committed = yaml.safe_load(DOC.read_text(encoding="utf-8"))
    assert committed == build_asyncapi(), (
        "docs/asyncapi.yaml is stale: run `python -m libs.contracts.asyncapi > docs/asyncapi.yaml`")


def test_document_describes_the_public_partner_contract():
    doc = build_asyncapi()
    assert doc["asyncapi"] == "3.0.0"
    assert doc["defaultContentType"] == "application/cloudevents+json"
    for action in ("created", "updated", "withdrawn"):
        name = f"referral{action.capitalize()}"
        channel = doc["channels"][name]
        assert channel["address"] == f"referral.{{partnerId}}.{action}"
        exchange = channel["bindings"]["amqp"]["exchange"]
        assert (exchange["name"], exchange["type"], exchange["durable"]) == ("voorportaal.referrals.v1", "topic", True)
        envelope = doc["components"]["schemas"][f"Referral{action.capitalize()}Event"]
        assert envelope["properties"]["type"]["const"] == f"nl.voorportaal.referral.{action}.v1"
        assert envelope["properties"]["source"]["const"] == "urn:voorportaal:routing"
        assert envelope["properties"]["specversion"]["const"] == "1.0"
        assert "subject" in envelope["required"]


def test_referral_payload_is_exactly_the_allowlist():
    schema = build_asyncapi()["components"]["schemas"]["PartnerReferralData"]
    assert tuple(schema["properties"]) == ALLOWED_FIELDS
    assert schema["additionalProperties"] is False


def test_document_describes_the_partner_status_updates():
    from libs.contracts.partner_updates import OUTCOME_CODES, UPDATE_STATUSES, UPDATE_TYPE

    doc = build_asyncapi()
    channel = doc["channels"]["partnerStatusUpdated"]
    assert channel["address"] == "partner.{partnerId}.{status}"
    assert channel["parameters"]["status"]["enum"] == list(UPDATE_STATUSES)
    assert channel["bindings"]["amqp"]["exchange"]["name"] == "voorportaal.partner-updates.v1"
    assert doc["operations"]["receivePartnerStatusUpdated"]["action"] == "receive"
    envelope = doc["components"]["schemas"]["PartnerStatusUpdatedEvent"]
    assert envelope["properties"]["type"]["const"] == UPDATE_TYPE
    assert envelope["additionalProperties"] is False and "subject" in envelope["required"]
    data = doc["components"]["schemas"]["PartnerStatusData"]
    assert data["additionalProperties"] is False
    assert set(data["properties"]) == {"status", "outcome"}  # codes only: no field for free text
    assert data["properties"]["outcome"]["enum"][:len(OUTCOME_CODES)] == list(OUTCOME_CODES)

"""The partner client against the published contract, docs/asyncapi.yaml (the document partners get):
every envelope attribute, event type and data field the client parses or its README documents exists in the
AsyncAPI schemas with the documented type; and the package itself depends on pika only."""
import json
import re
import tomllib

import pytest
import yaml

from support.paths import REPO_ROOT
from voorportaal_partner import client

CLIENT = REPO_ROOT / "clients" / "partner"
ASYNCAPI = yaml.safe_load((REPO_ROOT / "docs" / "asyncapi.yaml").read_text(encoding="utf-8"))
SCHEMAS = ASYNCAPI["components"]["schemas"]
ENVELOPES = {action: SCHEMAS[f"Referral{action.capitalize()}Event"] for action in ("created", "updated", "withdrawn")}
# README type words -> JSON Schema types
README_TYPES = {"string": {"string"}, "object": {"object"}, "boolean": {"boolean"}, "string or null": {"string", "null"},
                "string (date) or null": {"string", "null"}}


def readme_table(heading):
    """{name: type} of the table under a README heading (first two columns: `name` | type)."""
    text = (CLIENT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \|", section, re.M)
    assert rows, f"README: no table under {heading!r}"
    return dict(rows)


def types_of(schema):
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind}


def test_client_attributes_and_types_are_in_every_envelope():
    for action, envelope in ENVELOPES.items():
        properties = envelope["properties"]
        for name in client.REQUIRED_ATTRIBUTES:
            assert name in envelope["required"], (action, name)
        for name in client.OPTIONAL_ATTRIBUTES:
            assert name in properties, (action, name)
        assert properties["type"]["const"] == client.EVENT_TYPES[action]
    assert set(client.EVENT_TYPES) == set(ENVELOPES)


def test_readme_envelope_table_matches_the_schema():
    documented = readme_table("Envelope")
    for action, envelope in ENVELOPES.items():
        properties = envelope["properties"]
        assert set(documented) == set(properties), action
        for name, kind in documented.items():
            if name == "data":
                assert kind == "object"
                continue
            assert types_of(properties[name]) - {"null"} == README_TYPES[kind] - {"null"}, (action, name)
    readme = (CLIENT / "README.md").read_text(encoding="utf-8")
    for event_type in client.EVENT_TYPES.values():
        assert f"`{event_type}`" in readme


def test_readme_data_tables_match_the_payload_schemas():
    referral = SCHEMAS["PartnerReferralData"]["properties"]
    documented = readme_table("Data of `created` and `updated`")
    assert set(documented) == set(referral)
    for name, kind in documented.items():
        assert types_of(referral[name]) == README_TYPES[kind], (name, kind, referral[name])
        if "(date)" in kind:
            assert referral[name].get("format") == "date", name
    withdrawal = SCHEMAS["PartnerWithdrawalData"]
    assert readme_table("Data of `withdrawn`") == {"withdrawn": "boolean"}
    assert withdrawal["required"] == ["withdrawn"] and withdrawal["properties"]["withdrawn"]["enum"] == [True]


def test_readme_connection_facts_match_the_production_server():
    server = ASYNCAPI["servers"]["production"]
    host, port = server["host"].rsplit(":", 1)
    assert (server["protocol"], port, server["pathname"]) == ("amqps", "5671", "/voorportaal")
    readme = (CLIENT / "README.md").read_text(encoding="utf-8")
    assert f"`{host}:{port}`" in readme and "| virtual host | `voorportaal` |" in readme
    for action in ENVELOPES:
        channel = ASYNCAPI["channels"][f"referral{action.capitalize()}"]
        assert channel["bindings"]["amqp"]["exchange"]["name"] in readme


def envelope(action, data, **extra):
    return {"specversion": "1.0", "id": "evt-1", "source": "urn:voorportaal:routing",
            "type": client.EVENT_TYPES[action], "time": "2026-11-28T09:00:00Z", "datacontenttype": "application/json",
            "subject": "0" * 32, "data": data, **extra}


def test_parse_referral_accepts_the_contract_and_rejects_the_rest():
    created = client.parse_referral(json.dumps(envelope("created", {"issue": "privacy"})).encode())
    assert client.action_of(created) == "created" and not client.is_withdrawal(created)
    withdrawn = client.parse_referral(json.dumps(envelope("withdrawn", {"withdrawn": True})).encode())
    assert client.is_withdrawal(withdrawn) and client.action_of(withdrawn) == "withdrawn"
    for body in (b"not json", json.dumps({"specversion": "1.0"}).encode(),
                 json.dumps(envelope("created", {}, type="nl.voorportaal.other.v1")).encode(),
                 json.dumps(envelope("withdrawn", {"withdrawn": False})).encode(),
                 json.dumps(envelope("created", "text")).encode()):
        with pytest.raises(client.InvalidReferral):
            client.parse_referral(body)


def test_the_partner_package_depends_on_pika_only_and_the_platform_no_longer_ships_it():
    project = tomllib.loads((CLIENT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "voorportaal-partner" and project["version"]
    assert [re.split(r"[<>=!~ ]", d)[0] for d in project["dependencies"]] == ["pika"]
    assert project["scripts"] == {"voorportaal-partner": "voorportaal_partner.cli:main"}
    platform = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert "voorportaal-partner" not in platform["project"]["scripts"]
    assert not any(p.startswith("clients") for p in platform["tool"]["setuptools"]["packages"]["find"]["include"])
    source = "".join(p.read_text() for p in (CLIENT / "src" / "voorportaal_partner").glob("*.py"))
    assert not re.search(r"^\s*(from|import) (services|libs|devtools|clients)\b", source, re.M), \
        "the partner package imports nothing of the platform"


def test_in_repo_alias_is_the_same_module():
    import clients.partner.client as alias
    assert alias is client and alias.PartnerClient is client.PartnerClient

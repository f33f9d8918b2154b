"""The partner client as a partner installs it: its wheel, built from clients/partner, in an EMPTY venv (no
platform code, pika from a wheel downloaded once), consuming referrals from the real broker on a vhost of this
test's own: a `created` and a `withdrawn` CloudEvent published to voorportaal.referrals.v1 with the routing keys
referral.<partner>.<action>, as routing's relay publishes them."""
import json
import os
import shutil
import subprocess
import sys
import uuid
from importlib.metadata import version

import pika
import pytest

from libs.kit import topology
from support.paths import REPO_ROOT

pytestmark = pytest.mark.broker
PARTNER = "skgz-test"


def run(*command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, **kwargs)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def partner_venv(tmp_path_factory):
    """An empty venv with only the built wheel and pika (+ pip itself)."""
    wheels = tmp_path_factory.mktemp("wheels")
    # the wheel from the package's own files (a copy, so no build/ is left in the repository), with the locked
    # setuptools of the platform venv: nothing downloaded
    source = tmp_path_factory.mktemp("source") / "partner"
    shutil.copytree(REPO_ROOT / "clients" / "partner", source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir",
        str(wheels), str(source))
    # pika once, as a wheel: from pip's cache, the machine's wheel directory or PyPI
    run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", str(wheels),
        f"pika=={version('pika')}")
    venv = tmp_path_factory.mktemp("partner-venv")
    run(sys.executable, "-m", "venv", "--clear", str(venv))
    (wheel,) = wheels.glob("voorportaal_partner-*.whl")
    run(str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(wheels),
        str(wheel))
    return venv


def test_the_wheel_installs_alone_with_pika(partner_venv):
    python = str(partner_venv / "bin" / "python")
    listed = run(python, "-m", "pip", "list", "--format=json").stdout
    names = {p["name"].lower() for p in json.loads(listed)} - {"pip", "setuptools"}
    assert names == {"voorportaal-partner", "pika"}
    # run from a neutral directory: nothing of the repository is importable, only the installed package
    probe = "import importlib.util as u, voorportaal_partner as v; print(v.__file__, [m for m in ('services','libs','clients') if u.find_spec(m)])"
    out = run(python, "-c", probe, cwd=str(partner_venv)).stdout
    assert str(partner_venv) in out and out.strip().endswith("[]")


def publish(amqp_uri, action, data, subject):
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "urn:voorportaal:routing",
             "type": f"nl.voorportaal.referral.{action}.v1", "time": "2026-11-28T09:00:00Z",
             "datacontenttype": "application/json", "subject": subject, "data": data}
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(topology.PARTNER_EXCHANGE, topology.partner_routing_key(PARTNER, action),
                              json.dumps(event).encode(), pika.BasicProperties(
                                  content_type="application/cloudevents+json", delivery_mode=2, message_id=event["id"]),
                              mandatory=True)
    finally:
        connection.close()
    return event


def test_the_installed_cli_consumes_a_referral_and_its_withdrawal_from_the_broker(partner_venv, fresh_amqp_uri):
    connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
    try:
        topology.declare_partner_queues(connection.channel(), [PARTNER])
    finally:
        connection.close()
    subject = uuid.uuid4().hex
    created = publish(fresh_amqp_uri, "created", {"institution_type": "bank", "issue": "account_refused_or_closed",
                                                  "answer_due": "2026-12-19", "wants_mediation": True}, subject)
    withdrawn = publish(fresh_amqp_uri, "withdrawn", {"withdrawn": True}, subject)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PARTNER_AMQP_URI"] = fresh_amqp_uri
    result = run(str(partner_venv / "bin" / "voorportaal-partner"), "--partner", PARTNER, "--max-messages", "2",
                 "--idle-timeout", "20", env=env, cwd=str(partner_venv))
    received = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["id"] for e in received] == [created["id"], withdrawn["id"]]
    assert received[0]["data"] == created["data"] and received[0]["subject"] == subject
    assert received[1]["type"] == "nl.voorportaal.referral.withdrawn.v1" and received[1]["data"] == {"withdrawn": True}

    # both acknowledged: the queue is empty
    connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
    try:
        declared = connection.channel().queue_declare(topology.partner_queue(PARTNER), passive=True)
        assert declared.method.message_count == 0
    finally:
        connection.close()


def test_the_installed_cli_sends_a_status_update_with_the_connections_user(partner_venv, fresh_amqp_uri):
    connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
    try:
        topology.declare_partner_updates(connection.channel())  # what routing declares at start
    finally:
        connection.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PARTNER_AMQP_URI"] = fresh_amqp_uri
    subject = uuid.uuid4().hex
    result = run(str(partner_venv / "bin" / "voorportaal-partner"), "status", "--partner", PARTNER, "--subject",
                 subject, "--status", "closed", "--outcome", "settled", "--id", "skgz-update-1", env=env,
                 cwd=str(partner_venv))
    sent = json.loads(result.stdout)
    assert (sent["id"], sent["subject"], sent["data"]) == ("skgz-update-1", subject,
                                                           {"status": "closed", "outcome": "settled"})

    connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
    try:
        method, properties, body = connection.channel().basic_get(topology.PARTNER_UPDATES_QUEUE, auto_ack=True)
    finally:
        connection.close()
    assert method.routing_key == f"partner.{PARTNER}.closed"
    assert properties.user_id == "guest" and properties.delivery_mode == 2
    assert properties.content_type == "application/cloudevents+json"
    assert json.loads(body) == sent

    # an update that does not fit the contract is not sent at all
    bad = subprocess.run([str(partner_venv / "bin" / "voorportaal-partner"), "status", "--partner", PARTNER,
                          "--subject", subject, "--status", "closed"], capture_output=True, text=True, timeout=60,
                         env=env, cwd=str(partner_venv))
    assert bad.returncode == 2 and "closed needs an outcome" in bad.stderr

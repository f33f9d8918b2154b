"""Helpers for the end-to-end tests: the platform as separate processes, a real SMTP server, a partner."""
import email
import email.policy
import socket
import threading
import time

import requests
from aiosmtpd.controller import Controller

from clients.partner.client import PartnerClient


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CollectingSmtpHandler:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):
        with self.lock:
            parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            self.messages.append({"to": list(envelope.rcpt_tos), "subject": parsed["Subject"],
                                  "message_id": parsed["Message-ID"],
                                  "content": parsed.get_body(("plain",)).get_content(),
                                  "raw": envelope.original_content.decode("utf-8", "replace")})
        return "250 Message accepted"


def start_smtp_server():
    handler = CollectingSmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, handler


def wait_for(predicate, timeout=30, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def wait_until_drained(amqp_uri, timeout=300):
    """Wait until the services have handled what earlier tests of the session sent them (hundreds of complaints
    from the schema tests): a test that times one complaint's way through the platform measures that complaint,
    not the queue in front of it. Two empty readings 3 s apart, because the management API's counts lag."""
    from support.resources import handler_backlog
    vhost = amqp_uri.rsplit("/", 1)[1]
    empty_since = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if handler_backlog(vhost) == 0:
            if empty_since is not None and time.monotonic() - empty_since >= 3:
                return
            empty_since = empty_since or time.monotonic()
        else:
            empty_since = None
        time.sleep(1)
    raise AssertionError(f"the platform's handler queues did not drain within {timeout}s")


def collect_partner_referrals(amqp_uri, partner_id, count, timeout=30):
    """Consume up to `count` referrals (ack each); stops early after `timeout` s without a message."""
    events = []
    client = PartnerClient(amqp_uri, partner_id)
    client.consume(events.append, max_messages=count, idle_timeout=timeout)
    return events


def complaint(**overrides):
    body = {
        "institution_type": "bank", "issue": "account_refused_or_closed", "capacity": "private",
        "municipality": "GM0363", "description": "My bank closed my account.", "language": "nl",
        "reporter_role": "sex_worker", "wants_mediation": True,
        "consent": {"referral": True, "share_description": False, "contact": False},
    }
    body.update(overrides)
    return body


def file_complaint(base_url, body, **kwargs):
    response = requests.post(f"{base_url}/api/v1/complaints", json=body, timeout=10, **kwargs)
    assert response.status_code == 201, response.text
    return response.json()


def metric_value(port, name, **labels):
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    total = 0.0
    found = False
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
            found = True
    return total if found else None

"""deploy/rabbitmq/definitions.json loaded into a test's own vhost, with its users created under a random suffix
(users are global in RabbitMQ) and their permissions word for word from the file: so a test can run services,
relays and partners with their production broker accounts. The users are deleted afterwards."""
import contextlib
import copy
import json
import secrets
from urllib.parse import quote

import requests

from support.paths import REPO_ROOT
from support.resources import AUTH, MANAGEMENT

DEFINITIONS = REPO_ROOT / "deploy" / "rabbitmq" / "definitions.json"
PER_VHOST_KEYS = ("exchanges", "queues", "bindings", "policies")


def _q(name):
    return quote(name, safe="")


def _api(method, path, **kwargs):
    response = requests.request(method, f"{MANAGEMENT}{path}", auth=AUTH, timeout=10, **kwargs)
    if response.status_code >= 400:
        raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
    return response.json() if response.content else None


@contextlib.contextmanager
def production_users(vhost):
    """Load the file's topology, users and permissions into `vhost` (which exists); yields uri(user) giving an
    amqp URI for a user of the file (e.g. "svc-routing")."""
    definitions = json.loads(DEFINITIONS.read_text())
    suffix = secrets.token_hex(4)
    scoped = {key: [{k: v for k, v in copy.deepcopy(item).items() if k != "vhost"} for item in definitions[key]]
              for key in PER_VHOST_KEYS}
    _api("POST", f"/definitions/{_q(vhost)}", json=scoped)
    passwords, created = {}, []
    try:
        for user in definitions["users"]:
            name = f"{user['name']}.{suffix}"
            passwords[user["name"]] = "test-" + secrets.token_urlsafe(16)
            _api("PUT", f"/users/{_q(name)}", json={"password": passwords[user["name"]], "tags": ""})
            created.append(name)
        for perm in definitions["permissions"]:
            _api("PUT", f"/permissions/{_q(vhost)}/{_q(perm['user'] + '.' + suffix)}",
                 json={k: perm[k] for k in ("configure", "write", "read")})
        for perm in definitions["topic_permissions"]:
            _api("PUT", f"/topic-permissions/{_q(vhost)}/{_q(perm['user'] + '.' + suffix)}",
                 json={k: perm[k] for k in ("exchange", "write", "read")})

        def uri(user):
            return f"amqp://{_q(user + '.' + suffix)}:{_q(passwords[user])}@127.0.0.1:5672/{_q(vhost)}"
        yield uri
    finally:
        for name in created:
            requests.delete(f"{MANAGEMENT}/users/{_q(name)}", auth=AUTH, timeout=10)


def queue_consumers(vhost):
    """{queue name: consumer count} of the vhost (management API)."""
    return {queue["name"]: queue.get("consumers", 0) for queue in _api("GET", f"/queues/{_q(vhost)}")}

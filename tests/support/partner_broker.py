"""A private vhost with the production broker definitions' partner users and permissions, word for word from
deploy/rabbitmq/definitions.json (as tests/integration/deploy does): the platform fixture runs as guest, so what a
partner's own credentials may do is proven here. Users are global in RabbitMQ: they get a random suffix
(`partner-kifid.ab12cd`) and are deleted afterwards, with the vhost."""
import contextlib
import copy
import json
import secrets
from dataclasses import dataclass
from urllib.parse import quote

import requests

from support.paths import REPO_ROOT
from support.resources import AUTH, MANAGEMENT

DEFINITIONS = REPO_ROOT / "deploy" / "rabbitmq" / "definitions.json"
PER_VHOST_KEYS = ("exchanges", "queues", "bindings", "policies")


def _api(method, path, **kwargs):
    response = requests.request(method, MANAGEMENT + path, auth=AUTH, timeout=10, **kwargs)
    assert response.status_code < 400, f"{method} {path}: {response.status_code} {response.text}"


def _q(name):
    return quote(name, safe="")


@dataclass
class PartnerBroker:
    vhost: str
    suffix: str
    passwords: dict

    def user(self, name):
        return f"{name}.{self.suffix}"

    def uri(self, name):
        return f"amqp://{_q(self.user(name))}:{self.passwords[name]}@127.0.0.1:5672/{_q(self.vhost)}"

    def guest_uri(self):
        return f"amqp://guest:guest@127.0.0.1:5672/{_q(self.vhost)}"


@contextlib.contextmanager
def partner_broker(users=("partner-kifid", "partner-nationale-ombudsman", "svc-routing")):
    definitions = json.loads(DEFINITIONS.read_text())
    suffix = secrets.token_hex(4)
    vhost = f"vp_partner_test_{suffix}"
    created, passwords = [], {}
    _api("PUT", f"/vhosts/{_q(vhost)}", json={})
    try:
        _api("PUT", f"/permissions/{_q(vhost)}/guest", json={"configure": ".*", "write": ".*", "read": ".*"})
        per_vhost = {key: [{k: v for k, v in item.items() if k != "vhost"} for item in copy.deepcopy(definitions[key])]
                     for key in PER_VHOST_KEYS}
        _api("POST", f"/definitions/{_q(vhost)}", json=per_vhost)
        for name in users:
            passwords[name] = "test-" + secrets.token_urlsafe(16)
            _api("PUT", f"/users/{_q(name + '.' + suffix)}", json={"password": passwords[name], "tags": ""})
            created.append(name + "." + suffix)
            for perm in definitions["permissions"]:
                if perm["user"] == name:
                    _api("PUT", f"/permissions/{_q(vhost)}/{_q(name + '.' + suffix)}",
                         json={k: perm[k] for k in ("configure", "write", "read")})
            for perm in definitions["topic_permissions"]:
                if perm["user"] == name:
                    _api("PUT", f"/topic-permissions/{_q(vhost)}/{_q(name + '.' + suffix)}",
                         json={k: perm[k] for k in ("exchange", "write", "read")})
        yield PartnerBroker(vhost, suffix, passwords)
    finally:
        for name in created:
            requests.delete(f"{MANAGEMENT}/users/{_q(name)}", auth=AUTH, timeout=10)
        requests.delete(f"{MANAGEMENT}/vhosts/{_q(vhost)}", auth=AUTH, timeout=30)

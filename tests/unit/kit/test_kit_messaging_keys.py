"""The complainant-messaging key pair: keys from the environment, a local pair generated once and shared by the
processes that start together, and the event's schema refusing anything but a sealed address."""
import base64
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from marshmallow import ValidationError
from nacl.public import PrivateKey

from libs.contracts import messaging_keys
from libs.kit import config, secrets_store
from libs.contracts.events import validate_data


def test_keys_come_from_the_environment_and_malformed_ones_stop_the_start(monkeypatch):
    private = PrivateKey.generate()
    monkeypatch.setenv(secrets_store.MESSAGING_PRIVATE_ENV, base64.b64encode(bytes(private)).decode())
    monkeypatch.setenv(secrets_store.MESSAGING_PUBLIC_ENV, base64.b64encode(bytes(private.public_key)).decode())
    assert secrets_store.load_messaging_private_key() == bytes(private)
    assert secrets_store.load_messaging_public_key() == bytes(private.public_key)
    monkeypatch.setenv(secrets_store.MESSAGING_PUBLIC_ENV, "not base64!")
    with pytest.raises(config.ConfigError, match=secrets_store.MESSAGING_PUBLIC_ENV):
        secrets_store.load_messaging_public_key()
    monkeypatch.setenv(secrets_store.MESSAGING_PRIVATE_ENV, base64.b64encode(b"short").decode())
    with pytest.raises(config.ConfigError, match="32-byte"):
        secrets_store.load_messaging_private_key()


def test_a_local_run_generates_one_private_pair_that_every_process_agrees_on(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: secrets_store.dev_private_key(var_dir=tmp_path), range(16)))
    assert len(keys) == 1
    path = tmp_path / "secrets" / secrets_store.MESSAGING_DEV_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [secrets_store.MESSAGING_DEV_FILE]  # no temporary files left


def test_the_event_carries_a_sealed_address_or_nothing():
    sealed = messaging_keys.seal_contact(bytes(PrivateKey.generate().public_key), "VP-AB12-CD34", "a@b.test")
    data = {"case_ref": "VP-AB12-CD34", "language": "nl", "channel": "email", "sealed_address": sealed,
            "key_id": "0123456789abcdef"}
    assert validate_data("complaint.messages_requested", data)["sealed_address"] == sealed
    for bad in ({"sealed_address": "a@b.test"}, {"channel": "sms"}, {"address": "a@b.test"}):
        with pytest.raises(ValidationError):
            validate_data("complaint.messages_requested", {**data, **bad})

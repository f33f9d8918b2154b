"""Case-handler public keys for sealing (intake never needs the private half).

CASE_PUBLIC_KEYS: comma-separated base64 public keys (32 bytes each). When unset, a local run generates one key
pair under var/keys/ so the demo works out of the box; the private key then sits on the same machine, which is
acceptable for a demo only (a warning is logged).
"""
import base64
import os

from nacl.public import PrivateKey

from libs.kit import config
from libs.kit.logs import get_logger

log = get_logger()
DEV_KEY_DIR = config.VAR_DIR / "keys"


def decode_public_key(text):
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise config.ConfigError("CASE_PUBLIC_KEYS must hold base64 public keys") from None
    if len(raw) != 32:
        raise config.ConfigError("CASE_PUBLIC_KEYS entries must be 32-byte keys")
    return raw


def write_key_pair(directory, name="case-handler"):
    directory.mkdir(parents=True, exist_ok=True)
    private_key = PrivateKey.generate()
    private_path = directory / f"{name}.key"
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(bytes(private_key)).decode())
    (directory / f"{name}.pub").write_text(base64.b64encode(bytes(private_key.public_key)).decode())
    return private_path


def load_public_keys():
    raw = config.env("CASE_PUBLIC_KEYS")
    if raw:
        return [decode_public_key(part) for part in raw.split(",") if part.strip()]
    public_path = DEV_KEY_DIR / "case-handler.pub"
    if not public_path.exists():
        write_key_pair(DEV_KEY_DIR)
        log.warning("case_key.generated_for_local_run")
    return [decode_public_key(public_path.read_text())]

"""Encryption at rest of the free text and contact details.

Each complaint gets its own random key (XSalsa20-Poly1305 secret box). That key is wrapped with a sealed box for
each case-handler public key. Intake holds public keys only: it can seal, not read. A breached intake database or
process reveals no complaint text; the case-handler CLI opens it with a private key kept elsewhere.
"""
import base64
import hashlib
import json

import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox


def key_id(public_key_bytes):
    return hashlib.sha256(public_key_bytes).hexdigest()[:16]


def seal(content: dict, public_keys: list) -> tuple:
    """Returns (ciphertext as base64 text, {key_id: wrapped key as base64 text})."""
    if not public_keys:
        raise ValueError("at least one case-handler public key is required")
    content_key = nacl.utils.random(SecretBox.KEY_SIZE)
    ciphertext = SecretBox(content_key).encrypt(json.dumps(content).encode())
    wrapped = {key_id(pk): base64.b64encode(SealedBox(PublicKey(pk)).encrypt(content_key)).decode()
               for pk in public_keys}
    return base64.b64encode(ciphertext).decode(), wrapped


def unseal(ciphertext_b64: str, wrapped: dict, private_key_bytes: bytes) -> dict:
    private_key = PrivateKey(private_key_bytes)
    wrapped_key = wrapped.get(key_id(bytes(private_key.public_key)))
    if wrapped_key is None:
        raise KeyError("this complaint was not sealed for that key")
    content_key = SealedBox(private_key).decrypt(base64.b64decode(wrapped_key))
    return json.loads(SecretBox(content_key).decrypt(base64.b64decode(ciphertext_b64)))


def rewrap(wrapped: dict, private_key_bytes: bytes, new_public_keys: list) -> dict:
    """Key rotation: unwrap the content key with an old private key, wrap it for the new public keys."""
    private_key = PrivateKey(private_key_bytes)
    content_key = SealedBox(private_key).decrypt(base64.b64decode(wrapped[key_id(bytes(private_key.public_key))]))
    return {key_id(pk): base64.b64encode(SealedBox(PublicKey(pk)).encrypt(content_key)).decode()
            for pk in new_public_keys}

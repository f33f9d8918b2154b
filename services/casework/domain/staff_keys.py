"""A staff member's key pair, whose private half the server stores only encrypted under the member's password.

- At setup the member chooses a password; a new X25519 key pair is made; the private key is encrypted (SecretBox)
  under a key derived from the password with Argon2id (libsodium's pwhash; 3 passes over 64 MiB, about 0.12 s on
  the 2-core machine). The parameters and salt are stored with it, so they can be raised later.
- At sign-in the password unlocks the private key for that session only: the session's copy is encrypted under the
  session token, which only the browser's cookie holds (sessions.py). A database dump alone, or a stolen cookie
  alone, opens nothing.
- A password change re-encrypts the same private key: no case needs re-wrapping, and the server sees no plaintext
  beyond the member's own request.
"""
import base64
import json
from dataclasses import dataclass

import nacl.utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from nacl.pwhash import argon2id
from nacl.secret import SecretBox

OPSLIMIT = 3
MEMLIMIT = 64 * 1024 * 1024


class WrongPassword(Exception):
    """The password does not unlock this key."""


@dataclass(frozen=True)
class LockedKey:
    """What the database holds: the public key and the password-encrypted private key (JSON text)."""
    public_key: bytes
    sealed_private_key: str


def _kek(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return argon2id.kdf(SecretBox.KEY_SIZE, password.encode(), salt, opslimit=opslimit, memlimit=memlimit)


def lock(private_key: PrivateKey, password: str, opslimit: int | None = None, memlimit: int | None = None
         ) -> LockedKey:
    opslimit, memlimit = opslimit or OPSLIMIT, memlimit or MEMLIMIT
    salt = nacl.utils.random(argon2id.SALTBYTES)
    box = SecretBox(_kek(password, salt, opslimit, memlimit))
    sealed = {"v": 1, "alg": "argon2id13+xsalsa20poly1305", "ops": opslimit, "mem": memlimit,
              "salt": base64.b64encode(salt).decode(),
              "box": base64.b64encode(box.encrypt(bytes(private_key))).decode()}
    return LockedKey(bytes(private_key.public_key), json.dumps(sealed, separators=(",", ":")))


def new_locked_key(password: str) -> tuple:
    """A new key pair for a staff member: (the unlocked PrivateKey for the setup session, its LockedKey)."""
    private_key = PrivateKey.generate()
    return private_key, lock(private_key, password)


def unlock(locked: LockedKey, password: str) -> PrivateKey:
    try:
        sealed = json.loads(locked.sealed_private_key)
        salt = base64.b64decode(sealed["salt"])
        raw = SecretBox(_kek(password, salt, sealed["ops"], sealed["mem"])).decrypt(base64.b64decode(sealed["box"]))
    except (CryptoError, ValueError, KeyError, TypeError):
        raise WrongPassword() from None
    private_key = PrivateKey(raw)
    if bytes(private_key.public_key) != locked.public_key:
        raise WrongPassword()  # a key swapped in the database must not be accepted as this member's
    return private_key


def change_password(locked: LockedKey, old_password: str, new_password: str) -> LockedKey:
    return lock(unlock(locked, old_password), new_password)

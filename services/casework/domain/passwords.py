"""Password hashes (Argon2id, argon2-cffi's RFC 9106 low-memory profile) and the desk's password rule."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256  # Argon2 takes any length; a bound keeps a request from making us hash megabytes
_HASHER = PasswordHasher()


class WeakPassword(ValueError):
    """The password does not meet the rule; the message is a code (too_short, too_long, contains_name)."""


def check_rule(password: str, email: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword("too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("too_long")
    name = email.split("@")[0].lower()
    if len(name) >= 3 and name in password.lower():
        raise WeakPassword("contains_name")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(password_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


# a hash to verify against when the e-mail is unknown, so a sign-in with an unknown address costs the same time
DUMMY_HASH = _HASHER.hash("not a real password, only for timing")

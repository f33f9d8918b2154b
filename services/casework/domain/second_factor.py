"""The mandatory second factor: TOTP (RFC 6238, 30 s steps, pyotp) with replay protection, and one-time recovery
codes.

`pyotp.TOTP.verify(valid_window=1)` alone accepts the same code again within its window. Here a code is accepted
only for a time step later than the last one accepted for that member; the caller stores the step atomically
(`UPDATE … SET totp_last_step = :step WHERE totp_last_step < :step`), so two requests with one code cannot both pass.
"""
import hashlib
import hmac
import secrets

import pyotp

ISSUER = "Voorportaal workspace"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def accepted_step(secret: str, code: str, last_step: int, now: float) -> int | None:
    """The time step `code` is valid for (now−1, now, now+1), if later than `last_step`; else None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // totp.interval)
    for step in (current - 1, current, current + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_at(secret: str, now: float) -> str:
    """The code a member's app shows at `now` (the demo's helper and the tests use it)."""
    return pyotp.TOTP(secret).at(int(now))


def new_recovery_codes() -> list:
    """Ten one-time codes of 10 characters (~49 bits each), shown once, as `xxxxx-xxxxx`."""
    return ["-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
            for _ in range(RECOVERY_CODES)]


def recovery_code_hash(pepper: bytes, code: str) -> str:
    """Keyed hash of a normalised recovery code (random codes of ~49 bits need no slow hash behind the throttle)."""
    normalised = code.strip().lower().replace(" ", "").replace("-", "")
    return hmac.new(pepper, normalised.encode(), hashlib.sha256).hexdigest()

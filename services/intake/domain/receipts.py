"""Public references and secret receipts.

A receipt is 100 random bits shown to the person once. It is stored only as HMAC-SHA256 under a server-side
key: a random secret of this length needs no slow hash, and a keyed hash keeps a stolen database useless for
offline guessing (docs/privacy.md). It is accepted only in a header or a POSTed form field, never in a URL.
"""
import hashlib
import hmac
import secrets

# Crockford's base32 without I, L, O, U: easy to read aloud and to copy by hand
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_CHARS = 20  # 20 × 5 bits = 100 bits
REFERENCE_CHARS = 8  # 40 bits: not a secret, only needs to be unique (checked on insert)


def _random_code(length):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _group(code, size=4):
    return "-".join(code[i:i + size] for i in range(0, len(code), size))


def new_reference():
    return "VP-" + _group(_random_code(REFERENCE_CHARS))


def new_receipt():
    return _group(_random_code(RECEIPT_CHARS))


def normalise(receipt):
    """Accept lower case, spaces and missing dashes; map look-alikes (O→0, I/L→1)."""
    cleaned = "".join(ch for ch in receipt.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return _group(cleaned) if len(cleaned) == RECEIPT_CHARS and all(c in ALPHABET for c in cleaned) else None


def receipt_hash(key, reference, receipt):
    return hmac.new(key, f"{reference}:{receipt}".encode(), hashlib.sha256).hexdigest()


def receipt_matches(key, reference, receipt, stored_hash):
    normalised = normalise(receipt or "")
    if normalised is None or stored_hash is None:
        return False
    return hmac.compare_digest(receipt_hash(key, reference, normalised), stored_hash)


def reference_tombstone_hash(key, reference):
    """The tombstone's name for an erased case: HMAC-SHA256(key, "erased|" + reference). Keyed, because references
    are short enough to enumerate: a plain hash would give them back."""
    return hmac.new(key, b"erased|" + reference.encode(), hashlib.sha256).hexdigest()


def request_fingerprint(key, payload_json: str):
    """The idempotency fingerprint of a request body: HMAC-SHA256(key, "request|" + canonical JSON). Keyed, so the
    stored value says nothing about the description to someone with the database (a plain hash of a short or
    guessed text can be confirmed)."""
    return hmac.new(key, b"request|" + payload_json.encode(), hashlib.sha256).hexdigest()

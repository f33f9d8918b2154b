"""The keyed pseudonym that links one case's events inside the fact store.

HMAC-SHA256(key, case_ref), truncated to 128 bits. Without the key the pseudonym cannot be computed from a case
reference, and it is not the reference: the fact store never holds a reference. With the key the service can
find a case's facts again, which is exactly what erasure on `complaint.withdrawn` needs. See docs/analytics.md
("Pseudonyms and erasure") for rotation and for what happens when the evaluation ends.
"""
import hashlib
import hmac

PSEUDONYM_LENGTH = 32  # hex characters (128 bits): collisions are negligible for a few million cases


def pseudonym(case_ref: str, key: bytes) -> str:
    if not key or len(key) < 16:
        raise ValueError("the pseudonym key must be at least 16 bytes")
    digest = hmac.new(key, case_ref.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH]

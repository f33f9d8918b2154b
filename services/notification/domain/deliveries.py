"""The delivery queue's rules (notification_deliveries): who a row is for, its idempotency key, the two ways a
send can fail, and how long to wait before the next try. Sending itself is use_cases/sender.py."""
import hashlib

COMPLAINANT = "complainant"  # recipient_id of a status message to the person; the address is the sealed contact
COORDINATOR = "coordinator"  # recipient_id of messages to the desk's coordinator (address from the settings)
MAX_ATTEMPTS = 8  # transient failures are retried this many times in all, then the row is marked failed


class PermanentFailure(Exception):
    """The message can never be delivered as addressed (e.g. the server refused the recipient)."""


class TransientFailure(Exception):
    """Worth another try later (server down, timeout, 4xx answer)."""


def backoff_seconds(attempts):
    """Seconds before the next try after `attempts` failed ones: 2, 4, 8, … at most an hour."""
    return min(3600, 2 ** attempts)


def delivery_key(*parts) -> str:
    """A deterministic idempotency key; hashed when it would not fit notification_deliveries' 128 characters."""
    key = ":".join(str(part) for part in parts)
    if len(key) <= 128:
        return key
    return f"{parts[0]}:{hashlib.sha256(key.encode()).hexdigest()}"

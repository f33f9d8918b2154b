"""At most MAX_MESSAGES_PER_ADDRESS_PER_DAY status messages to one e-mail address a day (issue 19, finding 4).

Someone could file many complaints giving another person's address: each case would mail that person. The cap is
per address, whatever the number of cases, and far above what one person's own case sends in a day (a plan, a
deadline, a mediator: a few). Addresses are counted by a keyed hash only: the key is derived from notification's
messaging key (which alone opens the sealed addresses), so the count table reveals nothing without it.
"""
import hashlib
import hmac
from datetime import timedelta

MAX_MESSAGES_PER_ADDRESS_PER_DAY = 10
WINDOW = timedelta(days=1)


def address_hash(messaging_key: bytes, address: str) -> str:
    key = hashlib.sha256(b"voorportaal address cap|" + messaging_key).digest()
    return hmac.new(key, address.strip().lower().encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

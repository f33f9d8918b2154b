"""Checking a reference + receipt, the same way for the API header and the follow-up form."""
from dataclasses import dataclass

from services.intake import filing, receipts

MAX_REFERENCE_LENGTH = 16
MAX_RECEIPT_LENGTH = 48


@dataclass(frozen=True)
class ReceiptCheck:
    outcome: str  # "ok", "locked", "unknown" (unknown reference and wrong receipt look the same)
    retry_after: int = 0


def check_receipt(session, guard, receipt_key, reference, receipt):
    # cheap checks and the rate limits first: a flood of guesses never reaches hashing or the database
    if not reference or len(reference) > MAX_REFERENCE_LENGTH or len(receipt or "") > MAX_RECEIPT_LENGTH:
        return ReceiptCheck("unknown")
    wait = guard.retry_after(reference)
    if wait:
        return ReceiptCheck("locked", wait)
    case = filing.find_case(session, reference)
    if case is None or not receipts.receipt_matches(receipt_key, reference, receipt, case.receipt_hash):
        guard.record_failure(reference)
        return ReceiptCheck("unknown")
    guard.record_success(reference)
    return ReceiptCheck("ok")

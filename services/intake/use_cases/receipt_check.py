"""Checking a reference + receipt, the same way for the API header and the follow-up form."""
from dataclasses import dataclass

from services.intake.domain import receipts
from services.intake.metrics import RECEIPT_CHECKS, SERVICE
from services.intake.use_cases import cases

MAX_REFERENCE_LENGTH = 16
MAX_RECEIPT_LENGTH = 48


@dataclass(frozen=True)
class ReceiptCheck:
    outcome: str  # "ok", "locked", "unknown" (unknown reference and wrong receipt look the same)
    retry_after: int = 0


def _counted(outcome):
    RECEIPT_CHECKS.labels(SERVICE, outcome).inc()


def check_receipt(session, guard, receipt_key, reference, receipt, client=None):
    """`client`: the caller's address (the guard keeps only a keyed hash of it); wrong receipts are counted per
    client, so one client's guesses never keep another out (domain/receipt_guard.py)."""
    # cheap checks and the rate limits first: a flood of guesses never reaches hashing or the database
    if not reference or len(reference) > MAX_REFERENCE_LENGTH or len(receipt or "") > MAX_RECEIPT_LENGTH:
        _counted("malformed")
        return ReceiptCheck("unknown")
    wait = guard.retry_after(client, reference)
    if wait:
        _counted("locked")
        return ReceiptCheck("locked", wait)
    case = cases.find_case(session, reference)
    if case is None:
        _counted("unknown_reference")
    elif receipts.receipt_matches(receipt_key, reference, receipt, case.receipt_hash):
        _counted("ok")
        guard.record_success(client, reference)
        return ReceiptCheck("ok")
    else:
        _counted("wrong")
    guard.record_failure(client, reference)
    return ReceiptCheck("unknown")

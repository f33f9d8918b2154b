"""Who may see and change a case: whoever holds its receipt. The API reads the receipt from the Authorization
header, the follow-up page from the POSTed form, never from a URL; both go through one guard per process, so
guesses are limited across the two (use_cases/receipt_check.py), per client: one client's wrong receipts never
keep another out (domain/receipt_guard.py)."""
import functools

from services.intake import settings
from services.intake.domain.receipt_guard import ReceiptGuard
from services.intake.use_cases.receipt_check import check_receipt
from services.intake.web.observed import client_address
from services.intake.web.responses import HttpError

RECEIPT_SCHEME = "receipt "


@functools.lru_cache(maxsize=1)
def guard():
    """The process's receipt guard (INTAKE_RECEIPT_FAILURES_PER_CLIENT), made on the first check."""
    return ReceiptGuard(max_client_failures=settings.load_web().receipt_failures_per_client)


def authorise(session, request, reference, receipt_key):
    """Receipt from the Authorization header only (never the URL); rate limits before any hashing. Returns the
    receipt (the conversation opens the case's key with it, for this request only); raises HttpError 401, 404 or
    429."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith(RECEIPT_SCHEME):
        raise HttpError(401, "receipt_required", "Send your receipt as 'Authorization: Receipt <receipt>'.",
                        headers={"WWW-Authenticate": "Receipt"})
    receipt = header[len(RECEIPT_SCHEME):].strip()
    check = check_receipt(session, guard(), receipt_key, reference, receipt, client_address(request))
    if check.outcome == "locked":
        raise HttpError(429, "too_many_attempts", "Too many attempts. Please wait and try again.",
                        headers={"Retry-After": str(check.retry_after)})
    if check.outcome != "ok":
        # the same answer for unknown references and wrong receipts: nothing to learn from guessing
        raise HttpError(404, "not_found", "Reference or receipt not recognised.")
    return receipt


def check_form_receipt(session, request, reference, receipt, receipt_key):
    """The follow-up page's check: "ok", "locked" or "unknown"."""
    return check_receipt(session, guard(), receipt_key, reference, receipt, client_address(request)).outcome

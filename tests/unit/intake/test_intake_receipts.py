import pytest

from services.intake.domain import receipts
from services.intake.domain.receipt_guard import ReceiptGuard
from services.intake.domain.sealing import rewrap, seal, unseal
from nacl.public import PrivateKey

KEY = b"k" * 32


def test_receipt_has_at_least_80_bits_and_is_checked_by_keyed_hash():
    receipt = receipts.new_receipt()
    assert len(receipt.replace("-", "")) * 5 >= 80
    stored = receipts.receipt_hash(KEY, "VP-1", receipt)
    assert receipt not in stored
    assert receipts.receipt_matches(KEY, "VP-1", receipt.lower().replace("-", " "), stored)
    assert not receipts.receipt_matches(KEY, "VP-2", receipt, stored)
    assert not receipts.receipt_matches(b"x" * 32, "VP-1", receipt, stored)
    assert not receipts.receipt_matches(KEY, "VP-1", "", stored)


def test_guard_throttles_a_client_on_a_reference_after_repeated_failures():
    now = [0.0]
    guard = ReceiptGuard(clock=lambda: now[0], max_failures=3, window_seconds=60, rate=1000)
    for _ in range(3):
        assert guard.retry_after("10.0.0.1", "VP-1") == 0
        guard.record_failure("10.0.0.1", "VP-1")
    assert guard.retry_after("10.0.0.1", "VP-1") > 0
    assert guard.retry_after("10.0.0.1", "VP-2") == 0  # other references are not affected
    assert guard.retry_after("10.0.0.2", "VP-1") == 0  # nor other clients: no per-reference lock (issue 19, 2)
    now[0] = 61
    assert guard.retry_after("10.0.0.1", "VP-1") == 0


def test_guard_throttles_a_client_across_references():
    guard = ReceiptGuard(clock=lambda: 0.0, max_client_failures=4, rate=1000)
    for n in range(4):
        assert guard.retry_after("10.0.0.1", f"VP-{n}") == 0
        guard.record_failure("10.0.0.1", f"VP-{n}")
    assert guard.retry_after("10.0.0.1", "VP-NEW") > 0
    assert guard.retry_after("10.0.0.2", "VP-NEW") == 0


def test_the_global_bucket_is_drawn_only_by_clients_with_wrong_receipts():
    """Issue 19, finding 2: many guessing clients empty the global bucket; a client with a clean record (the owner)
    is still checked."""
    now = [0.0]
    guard = ReceiptGuard(clock=lambda: now[0], rate=5)
    for n in range(10):
        guard.record_failure(f"10.0.1.{n}", "VP-1")
    answers = [guard.retry_after(f"10.0.1.{n}", f"VP-{n}") for n in range(10)]
    assert answers.count(0) == 5 and all(a == 1 for a in answers[5:])
    assert guard.retry_after("10.0.0.99", "VP-1") == 0  # the owner: clean record, never throttled by the guessers
    now[0] = 1.0
    assert guard.retry_after("10.0.1.9", "VP-X") == 0


def test_fifty_wrong_receipts_from_other_clients_then_the_owners_right_receipt_is_checked():
    now = [0.0]
    guard = ReceiptGuard(clock=lambda: now[0])
    for n in range(50):
        if not guard.retry_after(f"192.0.2.{n}", "VP-OWNED"):
            guard.record_failure(f"192.0.2.{n}", "VP-OWNED")
    for _ in range(50):
        if not guard.retry_after("198.51.100.1", "VP-OWNED"):
            guard.record_failure("198.51.100.1", "VP-OWNED")
    assert guard.retry_after("203.0.113.7", "VP-OWNED") == 0


def test_sealed_content_opens_only_with_a_private_key_it_was_sealed_for():
    handler, other = PrivateKey.generate(), PrivateKey.generate()
    ciphertext, wrapped = seal({"description": "CANARY text"}, [bytes(handler.public_key)])
    assert "CANARY" not in ciphertext
    assert unseal(ciphertext, wrapped, bytes(handler))["description"] == "CANARY text"
    with pytest.raises(KeyError):
        unseal(ciphertext, wrapped, bytes(other))
    rotated = rewrap(wrapped, bytes(handler), [bytes(other.public_key)])
    assert unseal(ciphertext, rotated, bytes(other))["description"] == "CANARY text"

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


def test_derived_receipt_is_stable_per_fingerprint():
    assert receipts.derived_receipt(KEY, "a") == receipts.derived_receipt(KEY, "a")
    assert receipts.derived_receipt(KEY, "a") != receipts.derived_receipt(KEY, "b")
    assert receipts.normalise(receipts.derived_receipt(KEY, "a")) is not None


def test_guard_locks_a_reference_after_repeated_failures():
    now = [0.0]
    guard = ReceiptGuard(clock=lambda: now[0], max_failures=3, lock_seconds=60, rate=1000)
    for _ in range(3):
        assert guard.retry_after("VP-1") == 0
        guard.record_failure("VP-1")
    assert guard.retry_after("VP-1") > 0
    assert guard.retry_after("VP-2") == 0  # other references are not affected
    now[0] = 61
    assert guard.retry_after("VP-1") == 0


def test_guard_global_rate_limit():
    now = [0.0]
    guard = ReceiptGuard(clock=lambda: now[0], rate=5)
    answers = [guard.retry_after(f"VP-{i}") for i in range(10)]
    assert answers.count(0) == 5 and all(a == 1 for a in answers[5:])
    now[0] = 1.0
    assert guard.retry_after("VP-X") == 0


def test_sealed_content_opens_only_with_a_private_key_it_was_sealed_for():
    handler, other = PrivateKey.generate(), PrivateKey.generate()
    ciphertext, wrapped = seal({"description": "CANARY text"}, [bytes(handler.public_key)])
    assert "CANARY" not in ciphertext
    assert unseal(ciphertext, wrapped, bytes(handler))["description"] == "CANARY text"
    with pytest.raises(KeyError):
        unseal(ciphertext, wrapped, bytes(other))
    rotated = rewrap(wrapped, bytes(handler), [bytes(other.public_key)])
    assert unseal(ciphertext, rotated, bytes(other))["description"] == "CANARY text"

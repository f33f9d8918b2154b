"""A new complaint's case file, sealed for the desk (libs/contracts/sealing.py): a key pair for the case, each item
(description, contact details, institution name) a sealed box to the case's public key, and the case's private
key wrapped for every key of the key directory (active case handlers, the recovery key) and for a key derived
from the person's receipt. Pure: what comes out is ciphertext and public keys only."""
import base64
from dataclasses import dataclass

from libs.contracts import sealing

ITEMS = ("description", "contact", "institution_name")


class NoKeyDirectory(Exception):
    """Intake has not yet received the desk's key directory: a complaint cannot be sealed for anyone."""


@dataclass(frozen=True)
class SealedFile:
    case_public_key: str  # base64
    items: dict  # kind → sealed (base64)
    wraps: list  # [{"key_id", "wrapped"}] for the directory's keys
    receipt_wrap: str  # the case's private key for the receipt-derived key


def seal_case_file(reference: str, receipt: str, complaint: dict, directory_keys: list) -> SealedFile:
    if not directory_keys:
        raise NoKeyDirectory()
    case_key = sealing.new_case_key()
    public = sealing.public_key_bytes(case_key)
    items = {kind: sealing.seal_item(public, reference, kind, complaint[kind])
             for kind in ITEMS if complaint.get(kind) not in (None, "")}
    wraps = [{"key_id": key["key_id"],
              "wrapped": sealing.wrap_case_key(case_key, base64.b64decode(key["public_key"]))}
             for key in directory_keys]
    receipt_public = sealing.public_key_bytes(sealing.receipt_key(reference, receipt))
    return SealedFile(base64.b64encode(public).decode(), items, wraps,
                      sealing.wrap_case_key(case_key, receipt_public))

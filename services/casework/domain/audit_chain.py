"""The audit log's tamper evidence: each entry's hash covers the previous entry's hash and the entry itself, in
canonical JSON (RFC 8785), from a fixed genesis. Changing, removing or reordering any entry breaks every hash after
it. A chain alone does not stop someone who can rewrite the whole table, so its head is anchored outside the
database (docs/keys.md, "Audit anchors"): `verify` takes the anchors and checks each still lies on the chain.
"""
import hashlib
from dataclasses import dataclass

import rfc8785

GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str  # ISO 8601 UTC
    actor: str  # account id or "system"
    action: str  # e.g. "case.opened", "grant.added", "signin.succeeded"
    case_ref: str | None
    detail: dict  # categories and ids only: never content


def entry_hash(previous_hash: str, entry: Entry) -> str:
    body = rfc8785.dumps({"seq": entry.seq, "at": entry.at, "actor": entry.actor, "action": entry.action,
                          "case_ref": entry.case_ref, "detail": entry.detail})
    return hashlib.sha256(previous_hash.encode() + body).hexdigest()


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    head: str
    problem: str | None = None  # the first break, e.g. "entry 17: hash does not match"


def verify(rows, anchors=()) -> Verification:
    """`rows`: (Entry, stored_hash) in seq order. `anchors`: (seq, hash) pairs recorded outside the database."""
    expected_anchor = dict(anchors)
    previous, count = GENESIS, 0
    for count, (entry, stored) in enumerate(rows, start=1):
        if entry.seq != count:
            return Verification(False, count - 1, previous, f"entry {entry.seq}: expected sequence number {count}")
        computed = entry_hash(previous, entry)
        if computed != stored:
            return Verification(False, count - 1, previous, f"entry {entry.seq}: hash does not match")
        if entry.seq in expected_anchor and expected_anchor.pop(entry.seq) != computed:
            return Verification(False, count, computed, f"entry {entry.seq}: differs from its anchor")
        previous = computed
    if expected_anchor:
        missing = min(expected_anchor)
        return Verification(False, count, previous, f"anchor at entry {missing}: the log is shorter than it was")
    return Verification(True, count, previous)

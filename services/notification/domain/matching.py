"""Which mediator gets a case (plain Python).

Matching: active, speaks the person's language, covers the province (or has no regional limit), no conflict of
interest with the institution type, below capacity; then least-loaded, ties broken round-robin by who was
assigned least recently. Every choice comes with the reason, so the desk can explain it.
"""
from dataclasses import dataclass

from services.notification.domain.mediators import Mediator


@dataclass(frozen=True)
class Match:
    mediator: Mediator | None
    reason: str


def choose_mediator(mediators, language, province, institution_type, open_load: dict, last_assigned: dict):
    """Pick a mediator; `open_load` = open cases per mediator, `last_assigned` = a sortable time per mediator."""
    candidates = [m for m in mediators if m.active]
    if not candidates:
        return Match(None, "no active mediator")
    speaking = [m for m in candidates if language in m.languages]
    if not speaking:
        return Match(None, f"no mediator speaks '{language}'")
    covering = [m for m in speaking if not m.provinces or province is None or province in m.provinces]
    if not covering:
        return Match(None, "no mediator covers this province")
    free_of_conflict = [m for m in covering if institution_type not in m.conflicts]
    if not free_of_conflict:
        return Match(None, "every fitting mediator has a conflict of interest with this institution type")
    with_room = [m for m in free_of_conflict if open_load.get(m.id, 0) < m.capacity]
    if not with_room:
        return Match(None, "every fitting mediator is at capacity")
    chosen = min(with_room, key=lambda m: (open_load.get(m.id, 0), last_assigned.get(m.id, ""), m.id))
    return Match(chosen, f"speaks {language}, covers the region, no conflict, "
                         f"{open_load.get(chosen.id, 0)} open cases (fewest of {len(with_room)} fitting)")

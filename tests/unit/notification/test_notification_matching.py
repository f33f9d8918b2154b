from collections import Counter

from services.notification.domain.matching import choose_mediator
from services.notification.domain.mediators import Mediator, load_registry

A = Mediator("a", "A", "a@x.test", ("nl", "en"), ("Noord-Holland",), 2, True, ("police",))
B = Mediator("b", "B", "b@x.test", ("nl", "ro"), (), 2, True, ())
C = Mediator("c", "C", "c@x.test", ("bg",), ("Utrecht",), 5, False, ())


def test_language_region_conflict_and_capacity_filter():
    assert choose_mediator([A, B, C], "ro", None, "bank", {}, {}).mediator == B
    assert choose_mediator([A, B, C], "bg", "Utrecht", "bank", {}, {}).mediator is None  # C inactive
    assert choose_mediator([A, B], "nl", "Noord-Holland", "police", {}, {}).mediator == B  # A has a conflict
    assert choose_mediator([A, B], "en", "Noord-Holland", "police", {}, {}).reason.startswith("every fitting")
    assert choose_mediator([A, B], "nl", None, "bank", {"a": 2, "b": 2}, {}).mediator is None


def test_least_loaded_then_round_robin_is_fair():
    load, last, picks = {}, {}, Counter()
    for tick in range(1000):
        chosen = choose_mediator([A, B], "nl", None, "bank", load, last).mediator
        picks[chosen.id] += 1
        last[chosen.id] = f"{tick:06d}"
        load = {}  # cases close immediately: only round-robin decides
    assert abs(picks["a"] - picks["b"]) <= 1


def test_registry_validation():
    registry = load_registry({"mediators": [{"id": "m-1", "name": "M", "email": "m@x.test", "languages": ["nl"],
                                             "capacity": 3}]})
    assert registry[0].provinces == ()
    import pytest
    from marshmallow import ValidationError
    with pytest.raises(ValidationError):
        load_registry({"mediators": [{"id": "m-1", "name": "M", "email": "not-an-email", "languages": ["nl"],
                                      "capacity": 3}]})

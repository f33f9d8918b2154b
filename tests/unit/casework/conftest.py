"""Unit tests of casework run Argon2id with light parameters (the real ones cost ~0.3 s a sign-in); the domain
tests check the real parameters separately."""
import pytest
from argon2 import PasswordHasher

from services.casework.domain import passwords, staff_keys


@pytest.fixture(autouse=True)
def light_argon2(monkeypatch, request):
    if request.node.get_closest_marker("real_argon2"):
        return
    monkeypatch.setattr(staff_keys, "OPSLIMIT", 1)
    monkeypatch.setattr(staff_keys, "MEMLIMIT", 8 * 1024 * 1024)
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))

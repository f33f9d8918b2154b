"""The `platform` and `smtp` fixtures live in tests/conftest.py (tests/security uses them too)."""

"""The `platform` and `smtp` fixtures live in tests/conftest.py (tests/e2e/security uses them too)."""

import pytest

from libs.kit import config
from libs.kit.secrets_store import load_secret


def test_secret_from_env_must_be_long_enough_hex(monkeypatch):
    monkeypatch.setenv("TEST_KEY", "zz")
    with pytest.raises(config.ConfigError, match="hex"):
        load_secret("TEST_KEY")
    monkeypatch.setenv("TEST_KEY", "ab" * 4)
    with pytest.raises(config.ConfigError, match="16 bytes"):
        load_secret("TEST_KEY")
    monkeypatch.setenv("TEST_KEY", "ab" * 16)
    assert load_secret("TEST_KEY") == bytes.fromhex("ab" * 16)


def test_missing_secret_is_generated_once_for_local_runs(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    monkeypatch.delenv("OTHER_KEY", raising=False)
    first = load_secret("OTHER_KEY")
    assert len(first) == 32 and load_secret("OTHER_KEY") == first
    assert (tmp_path / "secrets" / "other_key").stat().st_mode & 0o077 == 0


def test_database_url_validation(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    with pytest.raises(config.ConfigError):
        config.database_url("intake")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert config.database_url("intake") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("ROUTING_DATABASE_URL", "sqlite:///x.db")
    assert config.database_url("routing") == "sqlite:///x.db"

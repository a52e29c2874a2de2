"""Secrets come from the environment or a file, never from parameters; masking hides values."""

from __future__ import annotations

import stat

import pytest

from assess.errors import InputError
from assess.masking import mask_value
from assess.secrets import get_secret, hash_key


def test_secret_from_environment_or_file(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSESS_TEST_SECRET", raising=False)
    monkeypatch.delenv("ASSESS_TEST_SECRET_FILE", raising=False)
    assert get_secret("ASSESS_TEST_SECRET", required=False) is None
    with pytest.raises(InputError, match="secret ASSESS_TEST_SECRET is not set: export"):
        get_secret("ASSESS_TEST_SECRET")
    (tmp_path / "key").write_text("from-file\n")
    monkeypatch.setenv("ASSESS_TEST_SECRET_FILE", str(tmp_path / "key"))
    assert get_secret("ASSESS_TEST_SECRET") == b"from-file"
    monkeypatch.setenv("ASSESS_TEST_SECRET", "from-env")
    assert get_secret("ASSESS_TEST_SECRET") == b"from-env"
    monkeypatch.delenv("ASSESS_TEST_SECRET")
    monkeypatch.setenv("ASSESS_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(InputError, match="ASSESS_TEST_SECRET_FILE points at .*missing, which cannot be read"):
        get_secret("ASSESS_TEST_SECRET")


def test_project_hash_key_is_created_once_private_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSESS_HASH_KEY", raising=False)
    monkeypatch.delenv("ASSESS_HASH_KEY_FILE", raising=False)
    first = hash_key(tmp_path)
    assert len(first) == 64 and hash_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / ".assess" / "hash.key").stat().st_mode) == 0o600
    monkeypatch.setenv("ASSESS_HASH_KEY", "configured")
    assert hash_key(tmp_path) == b"configured"


@pytest.mark.parametrize("value, masked", [
    ("user@example.com", "us************om"),
    ("13812345678", "***********"),
    ("ab", "**"),
    (None, ""),
    ("x" * 100, "xx" + "*" * 36 + "xx"),
])
def test_mask_value(value, masked):
    assert mask_value(value) == masked

"""Settings read from the environment, with the embedded defaults."""

from __future__ import annotations

import stat

import pytest

from backend.settings import load_settings


def test_defaults_are_the_embedded_ones(tmp_path):
    s = load_settings({"QUESTLINE_DATA_DIR": str(tmp_path)})
    assert s.database_url == "sqlite:///./questline.db"
    assert s.broker_url is None and s.smtp_url is None and s.wallet_url is None
    assert s.public_url == "http://localhost:8000"


def test_environment_overrides(tmp_path):
    s = load_settings(
        {
            "QUESTLINE_DATA_DIR": str(tmp_path),
            "QUESTLINE_DATABASE_URL": "postgresql+psycopg://db/q",
            "QUESTLINE_BROKER_URL": "redis://r:6379/0",
            "QUESTLINE_PUBLIC_URL": "https://crm.example.com/",
            "QUESTLINE_SECRET_KEY": "abc",
            "QUESTLINE_FREQUENCY_CAP": "3",
        }
    )
    assert (s.database_url, s.broker_url, s.public_url, s.secret_key, s.frequency_cap) == (
        "postgresql+psycopg://db/q",
        "redis://r:6379/0",
        "https://crm.example.com",
        "abc",
        3,
    )
    assert "abc" not in repr(s)


def test_secret_is_generated_once_into_the_data_dir(tmp_path):
    first = load_settings({"QUESTLINE_DATA_DIR": str(tmp_path)}).secret_key
    second = load_settings({"QUESTLINE_DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 32
    mode = stat.S_IMODE((tmp_path / "questline.secret").stat().st_mode)
    assert mode == 0o600


def test_a_bad_number_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="QUESTLINE_FREQUENCY_CAP must be a whole number"):
        load_settings({"QUESTLINE_DATA_DIR": str(tmp_path), "QUESTLINE_FREQUENCY_CAP": "lots"})


def test_login_throttle_settings_have_defaults_and_can_be_set(tmp_path):
    s = load_settings({"QUESTLINE_DATA_DIR": str(tmp_path)})
    assert (s.login_failures_per_username, s.login_failures_per_address, s.login_window_seconds) == (10, 100, 900)
    s = load_settings(
        {
            "QUESTLINE_DATA_DIR": str(tmp_path),
            "QUESTLINE_LOGIN_FAILURES_PER_USERNAME": "3",
            "QUESTLINE_LOGIN_FAILURES_PER_ADDRESS": "0",
            "QUESTLINE_LOGIN_WINDOW_SECONDS": "60",
        }
    )
    assert (s.login_failures_per_username, s.login_failures_per_address, s.login_window_seconds) == (3, 0, 60)

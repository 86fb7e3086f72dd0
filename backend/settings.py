"""Settings, read once from the environment (names from the integrations contract)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///./questline.db"
SECRET_FILE_NAME = "questline.secret"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    broker_url: str | None = None
    secret_key: str = field(default="", repr=False)
    public_url: str = "http://localhost:8000"
    smtp_url: str | None = field(default=None, repr=False)
    email_from: str = "questline@localhost"
    sms_url: str | None = None
    push_url: str | None = None
    ivr_url: str | None = None
    provider_token: str | None = field(default=None, repr=False)
    wallet_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    data_dir: Path = Path(".")
    timezone: str = "UTC"
    frequency_cap: int = 0
    bonus_daily_cap: int = 0
    token_ttl_seconds: int = 12 * 3600
    log_level: str = "INFO"
    # Prefix of broker queue names, so several deployments can share one broker.
    queue_prefix: str = ""
    # A /graphql request body past this is refused with 413 before the rest is read.
    max_body_bytes: int = 10 * 1024 * 1024
    # Failed logins allowed per username and per client address within the window (0: no limit).
    login_failures_per_username: int = 10
    login_failures_per_address: int = 100
    login_window_seconds: int = 900

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class SettingsError(ValueError):
    """A setting that cannot work; the message names it and never shows a secret."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.get(name) or None
    if raw is not None and not raw.startswith(tuple(f"{s}://" for s in schemes)):
        # Only the scheme is shown: the rest of a URL may hold a password.
        shown = raw.split("://", 1)[0] + "://..." if "://" in raw else "a value without a scheme"
        raise SettingsError(f"{name} must start with {' or '.join(s + '://' for s in schemes)}, got {shown}")
    return raw


def _secret_from_data_dir(data_dir: Path) -> str:
    """The embedded default: a key generated on first start and kept beside the data."""
    path = data_dir / SECRET_FILE_NAME
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key.encode())
    finally:
        os.close(fd)
    return key


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("QUESTLINE_DATA_DIR") or ".")
    secret = env.get("QUESTLINE_SECRET_KEY") or _secret_from_data_dir(data_dir)
    return Settings(
        database_url=env.get("QUESTLINE_DATABASE_URL") or DEFAULT_DATABASE_URL,
        broker_url=env.get("QUESTLINE_BROKER_URL") or None,
        secret_key=secret,
        public_url=(env.get("QUESTLINE_PUBLIC_URL") or "http://localhost:8000").rstrip("/"),
        smtp_url=_url(env, "QUESTLINE_SMTP_URL", ("smtp", "smtps")),
        email_from=env.get("QUESTLINE_EMAIL_FROM") or "questline@localhost",
        sms_url=_url(env, "QUESTLINE_SMS_URL", ("http", "https")),
        push_url=_url(env, "QUESTLINE_PUSH_URL", ("http", "https")),
        ivr_url=_url(env, "QUESTLINE_IVR_URL", ("http", "https")),
        provider_token=env.get("QUESTLINE_PROVIDER_TOKEN") or None,
        wallet_url=_url(env, "QUESTLINE_WALLET_URL", ("http", "https")),
        webhook_secret=env.get("QUESTLINE_WEBHOOK_SECRET") or None,
        data_dir=data_dir,
        timezone=env.get("QUESTLINE_TIMEZONE") or "UTC",
        frequency_cap=_int(env, "QUESTLINE_FREQUENCY_CAP", 0),
        bonus_daily_cap=_int(env, "QUESTLINE_BONUS_DAILY_CAP", 0),
        token_ttl_seconds=_int(env, "QUESTLINE_TOKEN_TTL_SECONDS", 12 * 3600),
        log_level=env.get("QUESTLINE_LOG_LEVEL") or "INFO",
        queue_prefix=env.get("QUESTLINE_QUEUE_PREFIX") or "",
        max_body_bytes=_int(env, "QUESTLINE_MAX_BODY_BYTES", 10 * 1024 * 1024),
        login_failures_per_username=_int(env, "QUESTLINE_LOGIN_FAILURES_PER_USERNAME", 10),
        login_failures_per_address=_int(env, "QUESTLINE_LOGIN_FAILURES_PER_ADDRESS", 100),
        login_window_seconds=max(1, _int(env, "QUESTLINE_LOGIN_WINDOW_SECONDS", 900)),
    )

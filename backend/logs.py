"""Log lines: JSON lines for machines, readable text on a terminal, a request id on each,
and secrets masked in every line whatever logged it.

The request id is a context variable: the HTTP layer sets it for each request (from
the client's `X-Request-ID` when it is sane, else a new one), hints sent to the broker
carry it, and the workers set it again while they do the work a request caused, so one
id finds every line of one request across processes.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

REQUEST_ID: ContextVar[str | None] = ContextVar("questline_request_id", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"

# A URL's password, a bearer token, a password or token given as a key=value or "key": "value".
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@?#\s]*:)[^@/?#\s]*@")
_BEARER = re.compile(r"(?i)(?P<head>bearer\s+)[A-Za-z0-9._~+/=\-]+")
_KEY_VALUE = re.compile(
    r"(?i)(?P<head>[\"']?(?:password|passwd|pwd|secret|token|api[_-]?key)[\"']?\s*[=:]\s*[\"']?)[^\s\"'&,;}]+"
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(given: str | None) -> str:
    """The client's id when it is a short token of safe characters, else a new one."""
    if given and _SANE_ID.match(given):
        return given
    return new_request_id()


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with URL passwords, bearer tokens, password=... and the given secret values masked."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}***@", text)
    text = _BEARER.sub(lambda m: f"{m['head']}***", text)
    return _KEY_VALUE.sub(lambda m: f"{m['head']}***", text)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on each record (`-` outside any request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get() or "-"
        return True


class _Masking(logging.Formatter):
    def __init__(self, fmt: str | None = None, *, secrets: Iterable[str] = ()):
        super().__init__(fmt)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record), self.secrets)


class TextFormatter(_Masking):
    def __init__(self, *, secrets: Iterable[str] = ()):
        super().__init__(TEXT_FORMAT, secrets=secrets)


# Attributes every LogRecord has; anything else on a record was passed in `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(_Masking):
    """One JSON object per line: time, level, logger, message, request_id, the `extra`
    fields, and the traceback as `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return mask(json.dumps(line, default=str, ensure_ascii=False), self.secrets)


def secrets_of(settings: Any) -> list[str]:
    """The settings' secret values, to be masked in every log line."""
    names = ("secret_key", "provider_token", "webhook_secret")
    return [value for name in names if isinstance(value := getattr(settings, name, None), str) and value]


def configure_logging(
    level: str, *, stream: TextIO | None = None, json_lines: bool | None = None, secrets: Iterable[str] = ()
) -> logging.Handler:
    """One handler on the root logger: JSON lines unless `stream` is a terminal (or as
    `json_lines` says). `secrets` are values masked wherever they appear."""
    stream = stream or sys.stderr
    if json_lines is None:
        json_lines = not (hasattr(stream, "isatty") and stream.isatty())
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(secrets=secrets) if json_lines else TextFormatter(secrets=secrets))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # pika logs every channel it opens at INFO, httpx every request (each SMS, each
    # wallet call: a JSON line a message at thousands a second); only their warnings
    # matter here. A failed call is logged by the code that made it.
    for noisy in ("pika", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level.upper())))
    return handler

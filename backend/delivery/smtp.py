"""Email over SMTP: connections kept across batches, one `Message-ID` per communication.

`QUESTLINE_SMTP_URL` is `smtp://user:pass@host:port` (`smtps://` for TLS from the
first byte, `?starttls=1` to upgrade a plain connection). SMTP's own answer codes
map onto the outbound protocol: a 5xx refusal is final (FAILED with the server's
text), a 4xx or a lost connection is tried again later under the same Message-ID.

A connection a batch is done with waits for the next batch (a journey hands email over
a few messages at a time, and each connection costs a TCP handshake, the greeting,
EHLO and QUIT); it is asked NOOP before it carries a message again, so one the server
dropped meanwhile is replaced before anything is sent over it, and one idle longer
than IDLE_SECONDS is closed instead.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formatdate, parseaddr
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from backend.delivery.channels import DONE, Message, OnResult, Result
from backend.outbound import TIMEOUT_SECONDS, Verdict

# SMTP wants CRLF line ends; smtplib does not fix those of a message given as bytes.
WIRE = compat32.clone(linesep="\r\n")
# Below this many messages a connection, a batch uses fewer connections.
MESSAGES_PER_CONNECTION = 25
# A kept connection idle this long is closed rather than reused: well inside the
# minutes a server waits before it drops an idle client (RFC 5321 asks 5 minutes).
IDLE_SECONDS = 30.0


class SmtpSettings:
    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError("QUESTLINE_SMTP_URL must start with smtp:// or smtps://")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        query = parse_qs(parts.query)
        self.starttls = (query.get("starttls") or ["0"])[0].lower() in ("1", "true", "yes")

    def __repr__(self) -> str:  # never the password
        return f"SmtpSettings({'smtps' if self.tls else 'smtp'}://{self.host}:{self.port})"


def message_id(reference: str, sender: str) -> str:
    """The same Message-ID on every try of a communication, so a receiver can drop a repeat."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "questline.local"
    return f"<{reference}@{domain}>"


def build_email(m: Message, sender: str) -> bytes:
    """The message as it goes on the wire. (The legacy MIME classes build it about five
    times faster than `EmailMessage`, which matters at thousands a second.)"""
    if m.html is not None:
        email: Any = MIMEMultipart("alternative")
        email.attach(MIMEText(m.text, "plain", "utf-8"))
        email.attach(MIMEText(m.html, "html", "utf-8"))
    else:
        email = MIMEText(m.text, "plain", "utf-8")
    email["From"] = sender
    email["To"] = m.to
    email["Subject"] = Header(m.subject or "", "utf-8")
    email["Message-ID"] = message_id(m.reference, sender)
    email["Date"] = formatdate(usegmt=True)
    email["X-Questline-Reference"] = m.reference
    wire: bytes = email.as_bytes(policy=WIRE)
    return wire


def _from_smtp_error(exc: Exception) -> Result:
    code: int
    text: bytes | str
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPResponseException):
        code, text = exc.smtp_code, exc.smtp_error
    else:
        return Result(Verdict.RETRY, f"{type(exc).__name__}: {exc}"[:1000])
    said = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    verdict = (
        Verdict.FAILED if 500 <= code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError) else Verdict.RETRY
    )
    return Result(verdict, f"SMTP {code}: {said}"[:1000], status=code)


class SmtpChannel:
    def __init__(
        self,
        url: str,
        *,
        sender: str,
        timeout: float = TIMEOUT_SECONDS,
        connections: int = 4,
        idle_seconds: float = IDLE_SECONDS,
    ):
        self.settings = SmtpSettings(url)
        self.sender = sender
        self.envelope_from = parseaddr(sender)[1] or sender
        self.timeout = timeout
        self.connections = connections
        self.idle_seconds = idle_seconds
        # Connections between batches, each with when it was given back; a few worker
        # threads' worth at most.
        self._idle: list[tuple[smtplib.SMTP, float]] = []
        self._idle_lock = threading.Lock()
        # The kept connections close with the channel, whoever lets go of it.
        weakref.finalize(self, _close_all, self._idle)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            if s.starttls:
                conn.starttls(context=ssl.create_default_context())
        if s.username:
            conn.login(s.username, s.password or "")
        return conn

    def _take(self) -> smtplib.SMTP:
        """A kept connection that still answers NOOP, or a new one."""
        while True:
            with self._idle_lock:
                kept = self._idle.pop() if self._idle else None
            if kept is None:
                return self._connect()
            conn, since = kept
            if time.monotonic() - since <= self.idle_seconds and _answers(conn):
                return conn
            _quit(conn)

    def _give_back(self, conn: smtplib.SMTP) -> None:
        with self._idle_lock:
            if len(self._idle) < 4 * self.connections:
                self._idle.append((conn, time.monotonic()))
                return
        _quit(conn)

    def close(self) -> None:
        with self._idle_lock:
            idle = list(self._idle)
            self._idle.clear()
        for conn, _ in idle:
            _quit(conn)

    def send_all(self, messages: list[Message], on_result: OnResult | None = None) -> list[Result]:
        """A few connections side by side (SMTP waits for the server's reply to each
        command), each reused for its share of the batch; results in message order.
        `on_result` hears each message's result as soon as the server answered it."""
        groups = max(1, min(self.connections, len(messages) // MESSAGES_PER_CONNECTION))
        if groups == 1:
            return self._send_serial(messages, list(range(len(messages))), on_result)
        shares = [(messages[i::groups], list(range(i, len(messages), groups))) for i in range(groups)]
        with ThreadPoolExecutor(max_workers=groups, thread_name_prefix="questline-smtp") as pool:
            done = list(pool.map(lambda share: self._send_serial(share[0], share[1], on_result), shares))
        results: list[Result] = [DONE] * len(messages)
        for i, share in enumerate(done):
            results[i::groups] = share
        return results

    def _send_serial(self, messages: list[Message], indexes: list[int], on_result: OnResult | None) -> list[Result]:
        results: list[Result] = []

        def tell(result: Result) -> None:
            if on_result is not None:
                on_result(indexes[len(results)], result)
            results.append(result)

        conn: smtplib.SMTP | None = None
        finished = False
        try:
            for m in messages:
                if conn is None:
                    try:
                        conn = self._take()
                    except (OSError, smtplib.SMTPException) as exc:
                        # No server to talk to: the rest of the batch waits for a later try.
                        failure = _from_smtp_error(exc)
                        while len(results) < len(messages):
                            tell(Result(Verdict.RETRY, failure.error))
                        break
                try:
                    conn.sendmail(self.envelope_from, [m.to], build_email(m, self.sender))
                    tell(DONE)
                except (OSError, smtplib.SMTPException) as exc:
                    tell(_from_smtp_error(exc))
                    if isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)):
                        _close(conn)
                        conn = None  # a new connection for the next message
            finished = True
        finally:
            # Kept only between whole commands: one left mid-message (an exception
            # from elsewhere, a time limit) could carry the next message into that one.
            if conn is not None and finished:
                self._give_back(conn)
            elif conn is not None:
                _close(conn)
        return results


def _close_all(idle: list[tuple[smtplib.SMTP, float]]) -> None:
    for conn, _ in idle:
        _close(conn)


def _answers(conn: smtplib.SMTP) -> bool:
    try:
        return conn.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def _quit(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        conn.quit()
    _close(conn)


def _close(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        conn.close()

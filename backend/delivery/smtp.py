"""Email over SMTP: one connection for a whole batch, one `Message-ID` per communication.

`QUESTLINE_SMTP_URL` is `smtp://user:pass@host:port` (`smtps://` for TLS from the
first byte, `?starttls=1` to upgrade a plain connection). SMTP's own answer codes
map onto the outbound protocol: a 5xx refusal is final (FAILED with the server's
text), a 4xx or a lost connection is tried again later under the same Message-ID.
"""
from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from backend.delivery.channels import DONE, Message, Result
from backend.outbound import TIMEOUT_SECONDS, Verdict

_TAGS = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|table)\s*>|<br\s*/?>", re.IGNORECASE)
_HIDDEN = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"""<a\b[^>]*\bhref\s*=\s*(["'])(?P<url>https?://[^"']+)\1[^>]*>(?P<label>.*?)</a\s*>""", re.IGNORECASE | re.DOTALL)


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


def text_of(html: str) -> str:
    """A plain-text part for an HTML body, for mail clients that show no HTML."""
    text = _HIDDEN.sub("", html)
    text = _LINK.sub(lambda m: f"{m['label']} ({m['url']})", text)
    text = _BLOCK_END.sub("\n", text)
    text = _TAGS.sub("", text)
    import html as htmllib

    lines = [line.strip() for line in htmllib.unescape(text).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def message_id(reference: str, sender: str) -> str:
    """The same Message-ID on every try of a communication, so a receiver can drop a repeat."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "questline.local"
    return f"<{reference}@{domain}>"


def build_email(m: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender if "<" in sender else formataddr(("", sender))
    email["To"] = m.to
    email["Subject"] = m.subject or ""
    email["Message-ID"] = message_id(m.reference, sender)
    email["X-Questline-Reference"] = m.reference
    if m.html is not None:
        email.set_content(m.text)
        email.add_alternative(m.html, subtype="html")
    else:
        email.set_content(m.text)
    return email


def _from_smtp_error(exc: Exception) -> Result:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPResponseException):
        code, text = exc.smtp_code, exc.smtp_error
    else:
        return Result(Verdict.RETRY, f"{type(exc).__name__}: {exc}"[:1000])
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    verdict = Verdict.FAILED if 500 <= code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError) else Verdict.RETRY
    return Result(verdict, f"SMTP {code}: {text}"[:1000])


class SmtpChannel:
    def __init__(self, url: str, *, sender: str, timeout: float = TIMEOUT_SECONDS):
        self.settings = SmtpSettings(url)
        self.sender = sender
        self.timeout = timeout

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout, context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            if s.starttls:
                conn.starttls(context=ssl.create_default_context())
        if s.username:
            conn.login(s.username, s.password or "")
        return conn

    def send_all(self, messages: list[Message]) -> list[Result]:
        results: list[Result] = []
        conn: smtplib.SMTP | None = None
        try:
            for m in messages:
                if conn is None:
                    try:
                        conn = self._connect()
                    except (OSError, smtplib.SMTPException) as exc:
                        # No server to talk to: the rest of the batch waits for a later try.
                        failure = _from_smtp_error(exc)
                        results.extend(Result(Verdict.RETRY, failure.error) for _ in messages[len(results):])
                        break
                try:
                    conn.send_message(build_email(m, self.sender))
                    results.append(DONE)
                except (OSError, smtplib.SMTPException) as exc:
                    results.append(_from_smtp_error(exc))
                    if isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)):
                        _close(conn)
                        conn = None  # a new connection for the next message
        finally:
            if conn is not None:
                try:
                    conn.quit()
                except (OSError, smtplib.SMTPException):
                    pass
                _close(conn)
        return results


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.close()
    except OSError:
        pass

"""Ways to hand a message over: SMTP, or .eml files in development.

Messages are built with the standard library's `EmailMessage` and its SMTP policy, and
every header value is made safe here, whatever the caller passed and whatever Python's
version: no line breaks or control characters, and no text that a reader would decode as
an RFC 2047 encoded-word (one can decode to a line break: CVE-2024-6923). The bytes are
checked once more before they go: their header section must hold exactly the fields set.
"""

import os
import re
import smtplib
import socket
import unicodedata
import uuid
from email import policy
from email.errors import MessageError
from email.headerregistry import Address, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import formatdate

from flask_mail import Connection


class TemporaryFailure(Exception):
    """Try again later: the server is down, busy or answered 4xx."""


class PermanentFailure(Exception):
    """Do not retry: the server refused this message for good (5xx)."""


class Skip(PermanentFailure):
    """Do not send, on purpose (the recipient unsubscribed, the signature was set aside):
    recorded as skipped, not as a failure."""


class ConnectionFailure(TemporaryFailure):
    """The mail server could not be reached at all; nothing in the batch will go."""


# Line and paragraph separators and control characters: Python counts some of them as
# line breaks when it folds a header.
UNSAFE_CATEGORIES = ("Cc", "Zl", "Zp")
# "=?" starts an encoded-word; "= ?" reads the same and starts nothing.
ENCODED_WORD_START = re.compile(r"=\?")
HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")
BODY_ENCODING = "quoted-printable"  # 7-bit safe, and still readable in the raw bytes


def header_text(value):
    """A header value that stays one line of text: control characters and line breaks
    become spaces, runs of white space one space, and "=?" cannot open an encoded-word."""
    text = "".join(" " if unicodedata.category(ch) in UNSAFE_CATEGORIES else ch
                   for ch in str(value))
    return ENCODED_WORD_START.sub("= ?", " ".join(text.split()))


class AngleBracketHeader(UnstructuredHeader):
    """List-Unsubscribe and its kin, folded at spaces only: RFC 2369 clients ignore the
    field unless it starts with "<", so it must never become an encoded-word."""

    max_count = 1

    def fold(self, *, policy):
        if not str(self).isascii():
            return super().fold(policy=policy)
        first, *rest = str(self).split() or [""]
        lines = [f"{self.name}: {first}"]
        for word in rest:
            if len(lines[-1]) + 1 + len(word) > policy.max_line_length:
                lines.append("")
            lines[-1] += " " + word
        return policy.linesep.join(lines) + policy.linesep


def _header_registry():
    registry = HeaderRegistry()
    for name in ("list-unsubscribe", "list-unsubscribe-post"):
        registry.map_to_type(name, AngleBracketHeader)
    return registry


SMTP_POLICY = policy.SMTP.clone(header_factory=_header_registry())


def _addr_spec(address):
    """The bare address, IDNA for the domain; PermanentFailure unless it is one address."""
    address = str(address).strip()
    local, at, domain = address.rpartition("@")
    if (not at or not local or not domain or "=?" in address
            or any(not ch.isprintable() or ch.isspace() for ch in address)):
        raise PermanentFailure(f"not a usable email address: {address!r}")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError as exc:
        raise PermanentFailure(f"not a usable email domain: {address!r}") from exc


def mailbox(value):
    """An Address from "Name <address>" or a bare address, its display name made safe.
    (Not parseaddr: it reads a hostile name as other addresses.)"""
    if isinstance(value, tuple):  # Flask-Mail's ("Name", "address") form of a sender
        value = f"{value[0]} <{value[1]}>"
    name, bracket, rest = str(value).rpartition("<")
    if not (bracket and rest.endswith(">")):
        name, rest = "", value + ">"
    try:
        return Address(display_name=header_text(name).strip('" '),
                       addr_spec=_addr_spec(rest[:-1]))
    except (ValueError, MessageError) as exc:
        raise PermanentFailure(f"not a usable email address: {value!r}") from exc


def build_message(row, default_sender, domain):
    """Turn an outbox row into an EmailMessage whose every header value is safe."""
    message = EmailMessage(policy=SMTP_POLICY)
    message["Subject"] = header_text(row.subject)
    message["From"] = mailbox(default_sender)
    message["To"] = mailbox(row.to_address)
    message["Date"] = formatdate(localtime=True)
    # A stable Message-ID lets receivers drop the rare duplicate of at-least-once delivery.
    message["Message-ID"] = f"<outbox-{row.id}-{row.created_at:%Y%m%d%H%M%S}@{domain}>"
    if row.reply_to:
        message["Reply-To"] = mailbox(row.reply_to)
    for name, value in (row.headers or {}).items():
        if not HEADER_NAME.fullmatch(name) or name.lower() in (k.lower() for k in message):
            raise PermanentFailure(f"refused header name {name!r}")
        message[name] = header_text(value)
    message.set_content(row.body_text, cte=BODY_ENCODING)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html", cte=BODY_ENCODING)
    return message


def message_bytes(message):
    """The message's bytes, refused unless its header section holds exactly the fields
    that were set: a line break that slipped into a value would add one."""
    try:
        data = message.as_bytes()
    except MessageError as exc:  # newer Pythons refuse such a header themselves
        raise PermanentFailure(f"unsafe header: {exc}") from exc
    head = data.split(b"\r\n\r\n", 1)[0]
    stray = head.replace(b"\r\n", b"")
    fields = [line.split(b":", 1)[0].decode("ascii", "replace").lower()
              for line in head.split(b"\r\n") if not line.startswith((b" ", b"\t"))]
    if b"\r" in stray or b"\n" in stray or fields != [k.lower() for k in message.keys()]:
        raise PermanentFailure("unsafe header: a value would have added a header line")
    return data


def classify(exc):
    """Map an exception raised while sending to a temporary or permanent failure."""
    if isinstance(exc, (TemporaryFailure, PermanentFailure)):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        text = "; ".join(f"{code} {msg!r}" for code, msg in exc.recipients.values())
        if codes and all(code >= 500 for code in codes):
            return PermanentFailure(f"recipient refused: {text}")
        return TemporaryFailure(f"recipient deferred: {text}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        # Bad credentials are our configuration, not this message's fault: keep retrying.
        return ConnectionFailure(f"authentication failed: {exc.smtp_code} {exc.smtp_error!r}")
    if isinstance(exc, smtplib.SMTPResponseException):
        message = f"{exc.smtp_code} {exc.smtp_error!r}"
        if 500 <= exc.smtp_code < 600:
            return PermanentFailure(message)
        return TemporaryFailure(message)
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)):
        return ConnectionFailure(f"{type(exc).__name__}: {exc}")
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


class _TimeoutConnection(Connection):
    """Flask-Mail's connection, with a socket timeout so a hung server cannot stall a worker."""

    def __init__(self, mail_state, timeout):
        super().__init__(mail_state)
        self.timeout = timeout

    def configure_host(self):
        state = self.mail
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=self.timeout)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=self.timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


class SmtpTransport:
    """Delivers over SMTP (smtplib) using the app's Flask-Mail settings."""

    def __init__(self, app):
        self.state = app.extensions["mail"]
        self.timeout = app.config["MAIL_TIMEOUT"]
        self.sender = app.config["MAIL_DEFAULT_SENDER"]
        self.domain = _sender_domain(self.sender)
        self._conn = None

    def __enter__(self):
        conn = _TimeoutConnection(self.state, self.timeout)
        try:
            conn.__enter__()
        except Exception as exc:
            raise classify(exc) from exc
        self._conn = conn
        return self

    def __exit__(self, *exc_info):
        conn, self._conn = self._conn, None
        try:
            conn.__exit__(*exc_info)
        except (smtplib.SMTPException, OSError):
            pass  # QUIT failing after the messages were accepted changes nothing.

    def send(self, row):
        """Send one outbox row; raises TemporaryFailure or PermanentFailure."""
        try:
            message = build_message(row, self.sender, self.domain)
            self._conn.host.sendmail(message["From"].addresses[0].addr_spec,
                                     [message["To"].addresses[0].addr_spec],
                                     message_bytes(message))
        except Exception as exc:
            raise classify(exc) from exc


class FileTransport:
    """Writes each message as an .eml file a person can open (development)."""

    def __init__(self, app):
        self.directory = app.config["MAIL_FILE_DIR"]
        self.sender = app.config["MAIL_DEFAULT_SENDER"]
        self.domain = _sender_domain(self.sender)

    def __enter__(self):
        os.makedirs(self.directory, exist_ok=True)
        return self

    def __exit__(self, *exc_info):
        return None

    def send(self, row):
        """Write one outbox row to MAIL_FILE_DIR."""
        data = message_bytes(build_message(row, self.sender, self.domain))
        name = f"{row.created_at:%Y%m%d-%H%M%S}-{row.id:08d}.eml"
        tmp = os.path.join(self.directory, f".{uuid.uuid4().hex}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, os.path.join(self.directory, name))


def transport_for(app):
    """SMTP when MAIL_SERVER is set, otherwise .eml files."""
    if app.config.get("MAIL_SERVER"):
        return SmtpTransport(app)
    return FileTransport(app)


def _sender_domain(sender):
    address = sender[1] if isinstance(sender, tuple) else sender
    domain = address.rpartition("@")[2].strip("> ")
    return domain or socket.getfqdn()

"""Ways to hand a message over: SMTP through Flask-Mail, or .eml files in development."""

import os
import smtplib
import socket
import uuid

from flask_mail import BadHeaderError, Connection, Message


class TemporaryFailure(Exception):
    """Try again later: the server is down, busy or answered 4xx."""


class PermanentFailure(Exception):
    """Do not retry: the server refused this message for good (5xx)."""


class Skip(PermanentFailure):
    """Do not send, on purpose (the recipient unsubscribed, the signature was set aside):
    recorded as skipped, not as a failure."""


class ConnectionFailure(TemporaryFailure):
    """The mail server could not be reached at all; nothing in the batch will go."""


def build_message(row, default_sender, domain):
    """Turn an outbox row into a Flask-Mail message."""
    message = Message(
        subject=row.subject,
        recipients=[row.to_address],
        body=row.body_text,
        html=row.body_html,
        sender=default_sender,
        reply_to=row.reply_to,
        extra_headers=dict(row.headers or {}) or None,
    )
    # A stable Message-ID lets receivers drop the rare duplicate of at-least-once delivery.
    message.msgId = f"<outbox-{row.id}-{row.created_at:%Y%m%d%H%M%S}@{domain}>"
    return message


def classify(exc):
    """Map an exception raised while sending to a temporary or permanent failure."""
    if isinstance(exc, (TemporaryFailure, PermanentFailure)):
        return exc
    if isinstance(exc, BadHeaderError):
        return PermanentFailure("bad header (newline in a header value)")
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
    """Delivers over SMTP using the app's Flask-Mail settings."""

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
            self._conn.send(build_message(row, self.sender, self.domain))
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
        message = build_message(row, self.sender, self.domain)
        name = f"{row.created_at:%Y%m%d-%H%M%S}-{row.id:08d}.eml"
        tmp = os.path.join(self.directory, f".{uuid.uuid4().hex}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(message.as_bytes())
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

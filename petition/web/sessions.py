"""The session cookie: Flask's signed cookie, with its serializer built once per key set."""

from flask.sessions import SecureCookieSessionInterface


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's own session interface, minus rebuilding the serializer on every request.

    Flask builds a new serializer (which JSON-encodes a probe value to learn its output
    type) each time it opens or saves a session: twice per request. The keys rarely
    change, so one serializer per set of keys does the same work once.
    """

    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        """The serializer for the app's current secret key and fallbacks."""
        if not app.secret_key:
            return None
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # only the newest keys are kept
        return serializer


def init_app(app):
    """Use the cached-serializer session interface."""
    app.session_interface = SignedCookieSessions()

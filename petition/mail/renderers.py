"""Which function renders each kind of templated outbox message.

The outbox knows no feature. A feature that queues templated mail registers, in its own
`mail.py`, the function that renders it (`@renderer("confirm_signature")`); the outbox
worker looks the function up by the message's template name when it sends the message,
in the recipient's language.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale

from petition.mail.transport import PermanentFailure


@dataclass(frozen=True)
class RenderedMail:
    """What a renderer returns: the message's content and any extra headers."""

    subject: str
    text: str
    html: str | None = None
    headers: dict = field(default_factory=dict)


_RENDERERS = {}


def renderer(template):
    """Register the decorated function as the renderer of messages queued with this
    template name: it takes the message's context (a dict) and returns a RenderedMail."""

    def register(function):
        if _RENDERERS.setdefault(template, function) is not function:
            raise ValueError(f"a renderer for {template!r} is already registered")
        return function

    return register


def render(template, context, locale):
    """The RenderedMail of a templated message; an unknown template fails for good."""
    render_message = _RENDERERS.get(template)
    if render_message is None:
        raise PermanentFailure(f"no renderer for template {template!r}")
    with force_locale(locale or "en"):
        return render_message(context or {})

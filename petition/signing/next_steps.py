"""What a signer can do next: call their alder, with the organizers' words."""

from dataclasses import dataclass

from petition.mail.template_fields import fill_placeholders
from petition.web.templating import localized


@dataclass(frozen=True)
class CallAsk:
    """A call to offer after signing: whom, which number, and what to say."""

    alder_name: str
    phone: str
    script: str  # the organizers' script in the page's language, filled in; may be empty


def call_ask(petition, answer):
    """The call to the signer's alder, or None when we have no number to call."""
    alder = answer.alder if answer is not None else None
    if alder is None or not alder.phone:
        return None
    script = fill_placeholders(localized(petition, "call_script") or "",
                               {"alder_name": alder.name, "ward": answer.ward})
    return CallAsk(alder_name=alder.name, phone=alder.phone, script=script)

"""A supporter writes to their own alder after confirming their signature.

Only the browser that confirmed the signature (session["confirmed_signature"]) may see
or send its letter; nothing in the form names a signature.
"""

from flask import Blueprint, redirect, render_template, request, session, url_for

from petition.extensions import db
from petition.letters import service as letters
from petition.letters.forms import LetterForm, SendLetterForm
from petition.petitions.loaders import petition_or_404, signature_on
from petition.web.security import checks_control_characters

bp = Blueprint("letters", __name__)

# Pages for drafts that cannot be sent: 403 for someone else's, 409 for the rest.
BLOCKED_STATUS = 409


def confirmed_signature(petition):
    """The signature this browser confirmed, if it is on `petition`."""
    return signature_on(petition, session.get("confirmed_signature"))


def _render(petition, draft, form, status=200):
    return render_template("letters/letter.html", petition=petition, draft=draft, form=form,
                           max_chars=letters.MAX_LETTER_CHARS), status


def _not_yours(petition):
    return render_template("letters/not_yours.html", petition=petition), 403


def _own_draft(slug):
    """(petition, signature, draft) for this browser's confirmed signature, in the language
    asked for; the signature is None if it has none on this petition."""
    petition = petition_or_404(slug)
    signature = confirmed_signature(petition)
    language = request.values.get("language")
    draft = (letters.draft_for(signature, petition, language) if signature is not None
             else None)
    return petition, signature, draft


@bp.get("/petitions/<slug>/letter")
def letter(slug):
    petition, signature, draft = _own_draft(slug)
    if signature is None:
        return _not_yours(petition)
    form = (LetterForm(formdata=None, body=draft.body, language=draft.language)
            if draft.editable else SendLetterForm(formdata=None, language=draft.language))
    status = 200 if draft.status in ("ready", "sent") else BLOCKED_STATUS
    return _render(petition, draft, form, status)


@bp.post("/petitions/<slug>/letter")
@checks_control_characters
def letter_post(slug):
    petition, signature, draft = _own_draft(slug)
    if signature is None:
        return _not_yours(petition)
    if draft.status == "sent":
        return redirect(url_for("letters.letter", slug=slug), code=303)
    form = LetterForm() if draft.editable else SendLetterForm()
    if draft.status != "ready":
        return _render(petition, draft, form, BLOCKED_STATUS)
    if not form.validate_on_submit():
        return _render(petition, draft, form, 400)
    # A second submit (even at the same moment) sends nothing and lands on the same page;
    # if the campaign closed a moment ago, that page says so.
    letters.send_letter(signature, petition, form.body.data if draft.editable else None,
                        language=draft.language)
    db.session.commit()
    return redirect(url_for("letters.letter", slug=slug), code=303)

"""A signer confirms or chooses the ward their own signature is counted in.

Only the browser that signed (session["signed"]["signature_id"]) or confirmed
(session["confirmed_signature"]) a signature may change its ward; nothing in the form
names a signature, so nobody can change someone else's.
"""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from petition.extensions import db
from petition.lookup import service as lookup
from petition.models.ward import parse_ward
from petition.petitions.loaders import petition_or_404, signature_on
from petition.signing import ward_choice
from petition.signing.forms import WardChoiceForm

bp = Blueprint("ward_choice", __name__)


def _session_ids(petition):
    """Signature ids this browser may act for on `petition`, with where they came from.

    A confirmation comes first: after confirming, the supporter goes back to the
    confirmed page, even though the session still remembers the signing too.
    """
    confirmed = session.get("confirmed_signature")
    if isinstance(confirmed, int) and not isinstance(confirmed, bool):
        yield "confirmed", confirmed
    signed = session.get("signed")
    if isinstance(signed, dict) and signed.get("slug") == petition.slug:
        signature_id = signed.get("signature_id")
        if isinstance(signature_id, int) and not isinstance(signature_id, bool):
            yield "signed", signature_id


def _own_signature(petition):
    for source, signature_id in _session_ids(petition):
        signature = signature_on(petition, signature_id)
        if signature is not None:
            return signature, source
    return None, None


def _render(petition, signature, form, proposed=None, status=200):
    choice = ward_choice.ward_choice_for_signature(signature, petition.slug)
    proposed_answer = lookup.answer_for_ward(proposed) if proposed else None
    return render_template("lookup/my_ward.html", petition=petition, ward_choice=choice,
                           ward_form=form, proposed=proposed,
                           proposed_answer=proposed_answer), status


def _not_yours(petition):
    return render_template("lookup/not_your_signature.html", petition=petition), 403


@bp.get("/petitions/<slug>/my-ward")
def my_ward(slug):
    """Offer the choice; `?ward=N` (a ward clicked on the city map) asks to confirm N."""
    petition = petition_or_404(slug)
    signature, _source = _own_signature(petition)
    if signature is None:
        return _not_yours(petition)
    return _render(petition, signature, WardChoiceForm(formdata=None),
                   proposed=parse_ward(request.args.get("ward")))


@bp.post("/petitions/<slug>/my-ward")
def my_ward_post(slug):
    petition = petition_or_404(slug)
    signature, source = _own_signature(petition)
    if signature is None:
        return _not_yours(petition)
    form = WardChoiceForm()
    if not form.validate_on_submit():
        return _render(petition, signature, form, status=400)
    ward = int(form.ward.data)
    ward_choice.set_signature_ward(signature, ward)
    db.session.commit()
    flash(_("Saved: your signature counts in ward %(ward)s.", ward=ward), "success")
    endpoint = "signing.confirmed" if source == "confirmed" else "signing.signed"
    return redirect(url_for(endpoint, slug=slug), code=303)

"""The call page: a confirmed supporter calls their own alder (or state members) and says
how it went.

Only the browser that confirmed the signature (session["confirmed_signature"]) may log a
call, always for that signature's ward; on a petition to state members, for one of that
signature's own members (the form offers them; anything else is a form error).
"""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from petition.extensions import db, limiter
from petition.models import Stance
from petition.petitions.loaders import petition_or_404, signature_on
from petition.stances import calls
from petition.stances.forms import CallForm
from petition.web.security import checks_control_characters

bp = Blueprint("calls", __name__)

CALL_REPORT_LIMIT = "30 per hour"  # per client address: a person makes a few calls a day


def _own_sheet(slug):
    """(petition, signature, call sheet) for this browser's confirmed signature."""
    petition = petition_or_404(slug)
    signature = signature_on(petition, session.get("confirmed_signature"))
    sheet = calls.call_sheet(signature, petition) if signature is not None else None
    return petition, signature, sheet


def _render(petition, sheet, form, status=200):
    if sheet is None:
        return render_template("public/call_unavailable.html", petition=petition), 403
    return render_template("public/call.html", petition=petition, sheet=sheet,
                           form=form), status


@bp.get("/petitions/<slug>/call")
def call(slug):
    petition, _signature, sheet = _own_sheet(slug)
    return _render(petition, sheet, CallForm(formdata=None, sheet=sheet))


@bp.post("/petitions/<slug>/call")
@limiter.limit(CALL_REPORT_LIMIT)
@checks_control_characters
def call_post(slug):
    petition, signature, sheet = _own_sheet(slug)
    form = CallForm(sheet=sheet)
    if sheet is None or not form.validate_on_submit():
        return _render(petition, sheet, form, 400)
    heard = Stance(form.heard_stance.data) if form.heard_stance.data else None
    if not calls.log_call(signature, petition, form.outcome.data, heard,
                          form.note.data or None, member=form.called_member()):
        flash(_("Thank you: you have reported several calls today already."), "success")
        return redirect(url_for("calls.call", slug=slug), code=303)
    db.session.commit()
    if sheet.members:
        flash(_("Thank you for calling. Your call is counted."), "success")
    else:
        flash(_("Thank you for calling. Your call is counted for ward %(n)d.", n=sheet.ward),
              "success")
    return redirect(url_for("calls.call", slug=slug), code=303)

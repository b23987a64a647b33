"""Reviewing signatures flagged by the per-IP signing limits."""

from itertools import groupby

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.extensions import db
from petition.organizer.access import managed_petition_or_404
from petition.signing import flagging
from petition.web.forms import SimpleForm
from petition.web.numbers import parse_id
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("flagged", __name__)


@bp.get("/petitions/<slug>/flagged")
def flagged_page(slug):
    petition = managed_petition_or_404(slug)
    signatures = flagging.flagged_signatures(petition)
    groups = [(ip, list(rows)) for ip, rows in groupby(signatures, key=lambda s: s.ip_address)]
    return render_template("organizer/flagged.html", petition=petition, groups=groups,
                           total=len(signatures), form=SimpleForm())


@bp.post("/petitions/<slug>/flagged")
def approve_flagged(slug):
    petition = managed_petition_or_404(slug)
    form = SimpleForm()
    ids = [parse_id(v) for v in request.form.getlist("signature_id")]
    if not form.validate_on_submit() or not ids or None in ids:
        flash(_("Choose the signatures to count."), "error")
        return redirect(url_for("flagged.flagged_page", slug=slug))
    approved = flagging.approve(petition, ids, actor=current_user)
    db.session.commit()
    flash(_("%(n)d signatures now count.", n=approved), "success")
    return redirect(url_for("flagged.flagged_page", slug=slug))

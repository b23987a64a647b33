"""Administration: organizer accounts, who runs which petition, the audit log."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from petition.extensions import db
from petition.models import Organizer
from petition.organizer import accounts, audit
from petition.organizer.access import admin_required, managed_petition_or_404
from petition.organizer.forms import ActiveForm, AssignForm, OrganizerForm
from petition.web.converters import id_arg
from petition.web.forms import SimpleForm, commit_or_rollback
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("admin", __name__)


def _render_organizers(form, status=200):
    return render_template("organizer/organizers.html", form=form,
                           organizers=accounts.organizers(),
                           active_form=ActiveForm(formdata=None)), status


@bp.get("/admin/organizers")
@admin_required
def organizers():
    return _render_organizers(OrganizerForm(formdata=None))


@bp.post("/admin/organizers")
@admin_required
def create_organizer():
    form = OrganizerForm()
    if form.validate_on_submit() and commit_or_rollback(
            form, accounts.create_organizer, form.email.data, form.password.data,
            is_admin=form.is_admin.data, actor=current_user).done:
        flash(_("Account created for %(email)s.", email=form.email.data), "success")
        return redirect(url_for("admin.organizers"), code=303)
    return _render_organizers(form, status=400)


@bp.post("/admin/organizers/<id:organizer_id>/active")
@admin_required
def set_active(organizer_id):
    organizer = db.session.get(Organizer, organizer_id)
    if organizer is None:
        abort(404)
    form = ActiveForm()
    if not form.validate_on_submit() or form.active.data not in ("0", "1"):
        abort(400)
    if commit_or_rollback(None, accounts.set_active, organizer, form.active.data == "1",
                          actor=current_user).done:
        flash(_("Account updated."), "success")
    return redirect(url_for("admin.organizers"), code=303)


def _assign_form(petition, formdata=None):
    form = AssignForm(formdata=formdata)
    assigned = {o.id for o in petition.organizers}
    form.organizer_id.choices = [SelectChoice(o.id, o.email) for o in accounts.organizers()
                                 if not o.is_admin and o.id not in assigned and o.active]
    return form


@bp.get("/petitions/<slug>/organizers")
@admin_required
def petition_organizers(slug):
    petition = managed_petition_or_404(slug)
    return render_template("organizer/assign.html", petition=petition,
                           form=_assign_form(petition), simple_form=SimpleForm(formdata=None))


@bp.post("/petitions/<slug>/organizers")
@admin_required
def assign_organizer(slug):
    petition = managed_petition_or_404(slug)
    form = _assign_form(petition, formdata=request.form)
    if not form.validate_on_submit():
        return render_template("organizer/assign.html", petition=petition, form=form,
                               simple_form=SimpleForm(formdata=None)), 400
    organizer = db.session.get(Organizer, form.organizer_id.data)
    accounts.assign(petition, organizer, actor=current_user)
    email = organizer.email
    db.session.commit()
    flash(_("%(email)s now runs this petition.", email=email), "success")
    return redirect(url_for("admin.petition_organizers", slug=slug), code=303)


@bp.post("/petitions/<slug>/organizers/<id:organizer_id>/remove")
@admin_required
def unassign_organizer(slug, organizer_id):
    petition = managed_petition_or_404(slug)
    organizer = db.session.get(Organizer, organizer_id)
    form = SimpleForm()
    if organizer is None or not form.validate_on_submit():
        abort(404 if organizer is None else 400)
    accounts.unassign(petition, organizer, actor=current_user)
    db.session.commit()
    flash(_("Removed."), "success")
    return redirect(url_for("admin.petition_organizers", slug=slug), code=303)


@bp.get("/admin/audit")
@admin_required
def audit_log():
    before = id_arg("before")
    entries = audit.recent(before_id=before, limit=100)
    older = entries[-1].id if len(entries) == 100 else None
    return render_template("organizer/audit.html", entries=entries, older=older)

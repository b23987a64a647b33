"""Setting signatures aside (spam, bots) and restoring them: administrators only."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.organizer import invalidation
from petition.organizer.access import admin_required, managed_petition_or_404
from petition.organizer.forms import InvalidationForm
from petition.web.forms import FieldError, SimpleForm, commit_or_rollback, show_error
from petition.web.timezones import to_utc
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("invalidation", __name__)


def _criteria(form):
    return invalidation.make_criteria(
        email_domain=form.email_domain.data, ip_address=form.ip_address.data,
        since=to_utc(form.since.data), until=to_utc(form.until.data))


def _invalidate(petition, form):
    """Set aside what the form's criteria match; (matched, of them counted)."""
    batch = invalidation.invalidate(petition, _criteria(form), actor=current_user)
    return batch.matched, batch.confirmed


@bp.get("/petitions/<slug>/invalidate")
@admin_required
def invalidate_page(slug):
    petition = managed_petition_or_404(slug)
    form = InvalidationForm(formdata=request.args or None, meta={"csrf": False})
    preview = None
    status = 200
    if request.args:
        if form.validate():
            try:
                preview = invalidation.preview(petition, _criteria(form))
            except FieldError as exc:
                show_error(form, exc)
        if form.errors:
            status = 400
    return render_template("organizer/invalidate.html", petition=petition, form=form,
                           preview=preview, batches=invalidation.batches(petition),
                           simple_form=SimpleForm(formdata=None)), status


@bp.post("/petitions/<slug>/invalidate")
@admin_required
def invalidate(slug):
    petition = managed_petition_or_404(slug)
    form = InvalidationForm()
    if form.validate_on_submit():
        saved = commit_or_rollback(form, _invalidate, petition, form)
        if saved.done:
            flash(_("%(n)d signatures invalidated (%(c)d of them had been counted).",
                    n=saved.value[0], c=saved.value[1]), "success")
            return redirect(url_for("invalidation.invalidate_page", slug=slug), code=303)
    return render_template("organizer/invalidate.html", petition=petition, form=form,
                           preview=None, batches=invalidation.batches(petition),
                           simple_form=SimpleForm(formdata=None)), 400


@bp.post("/petitions/<slug>/invalidations/<id:batch_id>/restore")
@admin_required
def restore(slug, batch_id):
    petition = managed_petition_or_404(slug)
    batch = invalidation.find_batch(petition, batch_id)
    if batch is None:
        abort(404)
    form = SimpleForm()
    if not form.validate_on_submit():
        abort(400)
    saved = commit_or_rollback(None, invalidation.restore, petition, batch, actor=current_user)
    if saved.done:
        flash(_("%(n)d signatures restored.", n=saved.value), "success")
    return redirect(url_for("invalidation.invalidate_page", slug=slug), code=303)

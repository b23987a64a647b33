"""Exports by ward (CSV, zip), printable delivery packets, and invalidation.

Exports and packets are GET views that write (the audit entry), hence writes_on_get.
"""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from petition.extensions import db
from petition.organizer import bp
from petition.organizer.access import admin_required, managed_petition_or_404
from petition.organizer.forms import InvalidationForm, SimpleForm
from petition.services import dashboard, exports, invalidation, packets
from petition.services.exports import ExportError
from petition.services.invalidation import InvalidationError
from petition.sqlite import writes_on_get
from petition.timezones import to_utc


def _options_or_400():
    try:
        return exports.parse_options(request.args.getlist("ward"), request.args.get("status"),
                                     request.args.get("invalidated"))
    except ExportError as exc:
        abort(Response(render_template("errors/error.html", code=400, message=str(exc)), 400))


def _stream(petition, kind, extension, mimetype):
    options = _options_or_400()
    if request.method == "HEAD":
        # Nothing leaves, so nothing is opened or logged.
        return Response(mimetype=mimetype, headers={"Cache-Control": "no-store"})
    export = exports.open_export(petition, options, organizer=current_user, kind=kind,
                                 batch_size=current_app.config["EXPORT_BATCH_SIZE"])
    filename = exports.file_name(petition.slug, options, extension)
    db.session.commit()  # the audit entry is stored before the first byte is sent
    body = export.iter_csv() if extension == "csv" else export.iter_zip()
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.call_on_close(export.close)  # also when the client goes away mid-download
    return response


@bp.get("/petitions/<slug>/export.csv")
@writes_on_get
def export_csv(slug):
    petition = managed_petition_or_404(slug)
    return _stream(petition, "export_csv", "csv", "text/csv; charset=utf-8")


@bp.get("/petitions/<slug>/export.zip")
@writes_on_get
def export_zip(slug):
    petition = managed_petition_or_404(slug)
    return _stream(petition, "export_zip", "zip", "application/zip")


@bp.get("/petitions/<slug>/exports")
def exports_page(slug):
    petition = managed_petition_or_404(slug)
    return render_template("organizer/exports.html", petition=petition,
                           wards=list(dashboard.WARD_NUMBERS))


@bp.get("/petitions/<slug>/wards/<int:ward>/packet")
@writes_on_get
def packet(slug, ward):
    petition = managed_petition_or_404(slug)
    if ward not in dashboard.WARD_NUMBERS:
        abort(404)
    data = packets.delivery_packet(petition, ward, organizer=current_user)
    page = render_template("organizer/packet.html", packet=data, petition=petition,
                           alder=dashboard.alder_names().get(ward))
    db.session.commit()
    return page


def _criteria(form):
    return invalidation.make_criteria(
        email_domain=form.email_domain.data, ip_address=form.ip_address.data,
        since=to_utc(form.since.data), until=to_utc(form.until.data))


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
            except InvalidationError as exc:
                form.form_errors.append(str(exc))
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
        try:
            batch = invalidation.invalidate(petition, _criteria(form), actor=current_user)
        except InvalidationError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            matched, confirmed = batch.matched, batch.confirmed
            db.session.commit()
            flash(_("%(n)d signatures invalidated (%(c)d of them had been counted).",
                    n=matched, c=confirmed), "success")
            return redirect(url_for("organizer.invalidate_page", slug=slug), code=303)
    return render_template("organizer/invalidate.html", petition=petition, form=form,
                           preview=None, batches=invalidation.batches(petition),
                           simple_form=SimpleForm(formdata=None)), 400


@bp.post("/petitions/<slug>/invalidations/<int:batch_id>/restore")
@admin_required
def restore(slug, batch_id):
    petition = managed_petition_or_404(slug)
    batch = invalidation.find_batch(petition, batch_id)
    if batch is None:
        abort(404)
    form = SimpleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        restored = invalidation.restore(petition, batch, actor=current_user)
    except InvalidationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(n)d signatures restored.", n=restored), "success")
    return redirect(url_for("organizer.invalidate_page", slug=slug), code=303)

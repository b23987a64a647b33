"""/organizer/petitions/<slug>/import: upload a file of signatures, choose its columns,
see the first rows with their wards or problems, import it all (or nothing); admins undo
an import. The uploaded file waits in IMPORT_FOLDER (uploads.py) in between."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.imports import columns, service, uploads
from petition.imports.forms import MappingForm, UploadForm
from petition.imports.reading import ImportFileError, check_size, open_table
from petition.models import Signature
from petition.models.base import utcnow
from petition.organizer.access import admin_required, managed_petition_or_404
from petition.petitions.counts import city_day, count_by_ward_key
from petition.web.converters import id_arg
from petition.web.forms import FieldError, SimpleForm, commit_or_rollback, show_error
from petition.web.security import checks_control_characters
from petition.web.uploads import accepts_upload
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("imports", __name__)


@bp.get("/petitions/<slug>/import")
def import_page(slug):
    petition = managed_petition_or_404(slug)
    return _start_page(petition, UploadForm(formdata=None))


@bp.post("/petitions/<slug>/import")
@accepts_upload("IMPORT_MAX_BYTES")
def upload(slug):
    petition = managed_petition_or_404(slug)
    form = UploadForm()
    if not form.validate_on_submit():
        return _start_page(petition, form, status=400)
    try:
        saved = _save(petition, form.file.data)
    except ImportFileError as exc:
        form.file.errors.append(str(exc))
        return _start_page(petition, form, status=400)
    return redirect(url_for("imports.preview", slug=slug, token=saved.token), code=303)


@bp.get("/petitions/<slug>/import/<token>")
@checks_control_characters
def preview(slug, token):
    petition, upload, table = _upload_or_404(slug, token)
    form = MappingForm.for_header(table.header, columns.guess(table.header),
                                  formdata=request.args or None, meta={"csrf": False})
    if request.args:
        form.validate()
    return _preview_page(petition, upload, table, form)


@bp.post("/petitions/<slug>/import/<token>")
@checks_control_characters
def run_import(slug, token):
    petition, upload, table = _upload_or_404(slug, token)
    form = MappingForm.for_header(table.header, {})
    if not form.validate_on_submit():
        return _preview_page(petition, upload, table, form)
    saved = commit_or_rollback(form, _import, petition, upload, table, form)
    if not saved.done:
        return _preview_page(petition, upload, table, form)
    report, batch = saved.value
    if batch is None:  # refused rows: nothing was stored
        return _preview_page(petition, upload, table, form, report=report)
    uploads.discard(upload)
    flash(_("Imported %(n)d signatures.", n=report.imported), "success")
    return redirect(url_for("imports.import_page", slug=slug, done=batch.id), code=303)


@bp.post("/petitions/<slug>/imports/<id:batch_id>/undo")
@admin_required
def undo(slug, batch_id):
    petition = managed_petition_or_404(slug)
    batch = service.find_batch(petition, batch_id)
    if batch is None:
        abort(404)
    if not SimpleForm().validate_on_submit():
        abort(400)
    saved = commit_or_rollback(None, service.undo, petition, batch, actor=current_user)
    if saved.done:
        flash(_("Import undone: %(n)d signatures removed.", n=saved.value), "success")
    return redirect(url_for("imports.import_page", slug=slug), code=303)


def _save(petition, file):
    limit = current_app.config["IMPORT_MAX_BYTES"]
    try:
        saved = uploads.save(current_app.config["IMPORT_FOLDER"], file.stream,
                             file_name=file.filename, petition_id=petition.id,
                             organizer_id=current_user.id, limit=limit)
    except uploads.UploadTooLarge as exc:
        raise ImportFileError(_("The file is too large: at most %(mb)d MB. Split it into "
                                "smaller files.", mb=limit // (1024 * 1024))) from exc
    try:
        check_size(saved.path, limit)
        open_table(saved.path)
    except ImportFileError:
        uploads.discard(saved)
        raise
    return saved


def _upload_or_404(slug, token):
    petition = managed_petition_or_404(slug)
    upload = uploads.find(current_app.config["IMPORT_FOLDER"], token, petition_id=petition.id,
                          organizer_id=current_user.id)
    if upload is None:
        abort(404)
    try:
        return petition, upload, open_table(upload.path)
    except ImportFileError:  # readable when uploaded: changed since, so gone
        abort(404)


def _import(petition, upload, table, form):
    """Check the whole file and import it, or nothing: (report, batch or None);
    FieldError for a mapping without a required column."""
    try:
        mapping = columns.check_mapping(table.header, form.mapping())
    except ImportFileError as exc:
        raise FieldError(str(exc)) from exc
    return service.import_file(
        petition, table, mapping, actor=current_user, file_name=upload.file_name,
        source=form.source.data, today=city_day(utcnow()),
        blocked_domains=current_app.config["BLOCKED_EMAIL_DOMAINS"])


def _start_page(petition, form, status=200):
    """The upload form, the petition's imports, and the one just done (?done=id)."""
    done_id = id_arg("done")
    done = service.find_batch(petition, done_id) if done_id else None
    by_ward = count_by_ward_key(Signature.import_batch_id == done.id) if done else {}
    return render_template("organizer/import.html", petition=petition, form=form, done=done,
                           done_by_ward=by_ward, batches=service.batches(petition),
                           undo_form=SimpleForm(formdata=None)), status


def _preview_page(petition, upload, table, form, report=None):
    """The column choices, the first rows as they would be imported, and the problems
    of a refused import (400 then)."""
    mapping, rows = form.mapping(), []
    try:
        mapping = columns.check_mapping(table.header, mapping)
    except ImportFileError as exc:
        show_error(form, FieldError(str(exc)))
    else:
        rows = _first_rows(petition, table, mapping)
    status = 400 if form.errors or (report and not report.ok) else 200
    return render_template("organizer/import_preview.html", petition=petition,
                           upload=upload, table=table, form=form, rows=rows, report=report,
                           fields=columns.FIELDS), status


def _first_rows(petition, table, mapping):
    try:
        return service.preview(petition, table, mapping, today=city_day(utcnow()),
                               blocked_domains=current_app.config["BLOCKED_EMAIL_DOMAINS"])
    except ImportFileError as exc:
        return [service.PreviewRow(0, problem=str(exc))]

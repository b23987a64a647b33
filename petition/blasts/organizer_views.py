"""Emails to signers: compose, preview for a real signer, test to yourself, send, watch."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from petition.blasts import mail as blast_mail
from petition.blasts import service as blasts
from petition.blasts import unsubscribes
from petition.blasts.forms import BlastForm, BlastTestForm
from petition.blasts.service import BlastFields
from petition.mail import sandbox
from petition.mail.sandbox import TemplateProblem
from petition.mail.template_fields import readable_placeholders
from petition.models import BlastFormat
from petition.organizer.access import managed_petition_or_404
from petition.web.converters import id_arg
from petition.web.forms import SimpleForm, commit_or_rollback
from petition.web.numbers import parse_id
from petition.web.security import checks_control_characters
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("blasts", __name__)
bp.add_app_template_filter(readable_placeholders, "readable_placeholders")

# The progress page reloads itself this often (seconds) while mail is still queued.
REFRESH_SECONDS = 15


def _blast_or_404(petition, blast_id):
    blast = blasts.blast_of(petition, blast_id)
    if blast is None:
        abort(404)
    return blast


def _fields(form):
    return BlastFields(subject=form.subject.data, body=form.body.data,
                       format=BlastFormat(form.format.data),
                       all_wards=form.audience.data == "all",
                       wards=tuple(form.wards.data or ()) if form.audience.data == "chosen"
                       else (),
                       house=tuple(form.house.data or ()) if form.audience.data == "house"
                       else (),
                       senate=tuple(form.senate.data or ()) if form.audience.data == "senate"
                       else (),
                       include_outside=form.include_outside.data,
                       include_unknown=form.include_unknown.data,
                       subject_es=form.subject_es.data, body_es=form.body_es.data)


def _audience(blast):
    """Which audience the form shows chosen for a saved email."""
    if blast.all_wards:
        return "all"
    return "house" if blast.house_numbers else "senate" if blast.senate_numbers else "chosen"


def _initial_data(blast):
    return {"subject": blast.subject, "body": blast.body, "subject_es": blast.subject_es,
            "body_es": blast.body_es, "format": blast.format.value,
            "audience": _audience(blast), "wards": blast.ward_numbers,
            "house": blast.house_numbers, "senate": blast.senate_numbers,
            "include_outside": blast.include_outside, "include_unknown": blast.include_unknown}


def _render_form(petition, form, blast=None, status=200):
    return render_template("organizer/emails/form.html", petition=petition, form=form,
                           blast=blast, placeholders=sandbox.PLACEHOLDERS,
                           filters=sandbox.ALLOWED_FILTERS), status


@bp.get("/petitions/<slug>/emails")
def blasts_page(slug):
    petition = managed_petition_or_404(slug)
    items = [(b, blasts.progress(b) if not b.is_draft else None)
             for b in blasts.blasts_for(petition.id)]
    return render_template("organizer/emails/index.html", petition=petition, items=items)


@bp.route("/petitions/<slug>/emails/new", methods=["GET", "POST"])
@checks_control_characters
def new_blast(slug):
    petition = managed_petition_or_404(slug)
    form = BlastForm() if request.method == "POST" else BlastForm(formdata=None)
    saved = form.validate_on_submit() and commit_or_rollback(
        form, blasts.create_blast, petition, _fields(form), actor=current_user)
    if saved and saved.done:
        flash(_("Draft saved. Check the preview, send yourself a test, then send it."),
              "success")
        return redirect(url_for("blasts.blast", slug=slug, blast_id=saved.value.id), code=303)
    petition = managed_petition_or_404(slug)
    return _render_form(petition, form, status=400 if form.errors else 200)


@bp.route("/petitions/<slug>/emails/<id:blast_id>/edit", methods=["GET", "POST"])
@checks_control_characters
def edit_blast(slug, blast_id):
    petition = managed_petition_or_404(slug)
    blast = _blast_or_404(petition, blast_id)
    if not blast.is_draft:
        flash(_("This email was sent; it can no longer change."), "error")
        return redirect(url_for("blasts.blast", slug=slug, blast_id=blast_id), code=303)
    if request.method == "GET":
        form = BlastForm(formdata=None, data=_initial_data(blast))
    else:
        form = BlastForm()
    if form.validate_on_submit() and commit_or_rollback(
            form, blasts.update_blast, blast, petition, _fields(form),
            actor=current_user).done:
        flash(_("Draft saved."), "success")
        return redirect(url_for("blasts.blast", slug=slug, blast_id=blast_id), code=303)
    petition = managed_petition_or_404(slug)
    blast = _blast_or_404(petition, blast_id)
    return _render_form(petition, form, blast, status=400 if form.errors else 200)


@bp.get("/petitions/<slug>/emails/<id:blast_id>")
def blast(slug, blast_id):
    petition = managed_petition_or_404(slug)
    blast = _blast_or_404(petition, blast_id)
    context = {"petition": petition, "blast": blast, "refresh_seconds": REFRESH_SECONDS}
    if blast.is_draft:
        signer = blasts.preview_signer(blast, id_arg("after"))
        previews, preview_error = _previews(blast, petition, signer)
        context.update(count=blasts.audience_count(blast), signer=signer, previews=previews,
                       preview_error=preview_error,
                       test_form=BlastTestForm(formdata=None,
                                               signer=signer.id if signer else ""),
                       send_form=SimpleForm(formdata=None))
    else:
        context.update(progress=blasts.progress(blast), failures=blasts.failures(blast))
    return render_template("organizer/emails/show.html", **context)


def _previews(blast, petition, signer):
    """(previews, problem): the email for `signer` in each language it is written in, each
    with its footer in that language; or why it cannot be filled in."""
    problem = blasts.template_problem(blast, petition)
    if signer is None or problem is not None:
        return [], problem
    url = unsubscribes.test_unsubscribe_url(current_app.config["SECRET_KEY"],
                                            current_user.email)
    previews = []
    try:
        for language in blast.languages:
            with force_locale(language):
                previews.append(blast_mail.render_for(blast, signer, unsubscribe_url=url))
    except TemplateProblem as exc:
        return [], str(exc)
    return previews, None


def _back_to(slug, blast_id, message=None, category="error", **args):
    """Flash `message` (if any) and go back to the email's page."""
    if message:
        flash(message, category)
    return redirect(url_for("blasts.blast", slug=slug, blast_id=blast_id, **args), code=303)


def _posted(form_class, slug, blast_id):
    """(petition, blast, form) for a POST to an email, or (None, None, redirect) if the
    form did not validate (CSRF)."""
    petition = managed_petition_or_404(slug)
    blast = _blast_or_404(petition, blast_id)
    form = form_class()
    if not form.validate_on_submit():
        return None, None, _back_to(slug, blast_id,
                                    _("That did not work; reload the page and try again."))
    return petition, blast, form


@bp.post("/petitions/<slug>/emails/<id:blast_id>/test")
def test_blast(slug, blast_id):
    petition, blast, form = _posted(BlastTestForm, slug, blast_id)
    if blast is None:
        return form
    # The signer previewed on the page, if still in the audience; else the first one.
    signer_id = parse_id(form.signer.data)
    if form.signer.data and signer_id is None:
        return _back_to(slug, blast_id, _("That did not work; reload the page and try again."))
    signer = (blasts.audience_signer(blast, signer_id) if signer_id else None) \
        or blasts.preview_signer(blast)
    if signer is None:
        return _back_to(slug, blast_id,
                        _("Nobody is in the audience yet, so there is no signer to test with."))
    after = signer.id - 1 or None  # the page shows the same signer again (0: the first)
    queued = commit_or_rollback(None, blasts.queue_test, blast, petition, signer,
                                actor=current_user)
    if not queued.done:
        return _back_to(slug, blast_id)
    return _back_to(slug, blast_id, ngettext(
        "A test is on its way to %(email)s.",
        "%(num)d tests, one per language, are on their way to %(email)s.", queued.value,
        email=current_user.email), "success", after=after)


@bp.post("/petitions/<slug>/emails/<id:blast_id>/send")
def send_blast(slug, blast_id):
    petition, blast, form = _posted(SimpleForm, slug, blast_id)
    if blast is None:
        return form
    saved = commit_or_rollback(None, blasts.queue_blast, blast, petition, actor=current_user,
                               rate_per_minute=current_app.config["BLAST_RATE_PER_MINUTE"])
    if saved.done:
        flash(_("Sending to %(n)d signers.", n=saved.value), "success")
    return _back_to(slug, blast_id)

"""/organizer/petitions/<slug>/paper: typing in paper sheets, one row per submit. Each row's
address is placed on the server as it is saved (the sign form's look-up), so the page
works without JavaScript; what needs the organizer's decision comes back on the form."""

from datetime import date

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.models import WardStatus
from petition.models.base import utcnow
from petition.models.ward import parse_ward
from petition.organizer.access import managed_petition_or_404
from petition.paper import service
from petition.paper.forms import PaperForm
from petition.petitions.counts import city_day
from petition.signing.placement import place_address, placement_in_ward
from petition.web.forms import commit_or_rollback
from petition.web.security import checks_control_characters
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("paper", __name__)

# Kept from one row to the next (the same sheet, day and collector, row after row).
STICKY_FIELDS = ("signed_on", "sheet_number", "collected_by")


@bp.get("/petitions/<slug>/paper")
def paper_page(slug):
    petition = managed_petition_or_404(slug)
    form = PaperForm(formdata=None, data=session.get(_sticky_key(petition), {}))
    form.signed_on.data = _parsed_day(form.signed_on.data)
    return _render(petition, form, fresh=True)


@bp.post("/petitions/<slug>/paper")
@checks_control_characters
def save_paper(slug):
    petition = managed_petition_or_404(slug)
    form = PaperForm()
    if not form.validate_on_submit() or not form.check_signed_on(
            city_day(petition.created_at), city_day(utcnow())):
        return _render(petition, form)
    if form.duplicate.data == "skip":
        flash(_("Row skipped: %(name)s.", name=_full_name(form)), "success")
        return _next_row(petition, form)
    form.address.data = form.suggested_address.data or form.address.data
    placement, decision = _review(petition, form, place_address(form.address.data,
                                                                form.zip.data))
    if decision is not None:
        return _render(petition, form, **decision)
    if not commit_or_rollback(form, service.add_paper_signature, petition, form.entry(),
                              placement, actor=current_user).done:
        return _render(petition, form)
    flash(_("Saved: %(name)s.", name=_full_name(form)), "success")
    return _next_row(petition, form)


def _review(petition, form, placement):
    """(the placement to store, None), or what the organizer must decide first (the page's
    context): a suggested address, a refused address, the ward near a line, a duplicate."""
    if placement.suggestions and not form.keep_address.data:
        form.address.errors.append(_("This street was not found in Chicago. Choose one of "
                                     "the addresses below, or keep it as typed."))
        return placement, {"address_suggestions": placement.suggestions}
    if placement.status is WardStatus.OUTSIDE_CHICAGO and not petition.accepts_outside_chicago:
        form.address.errors.append(_("This petition only takes signers who live in Chicago, "
                                     "and this address is outside the city."))
        return placement, {}
    if service.needs_ward_choice(placement):
        choices = sorted({*placement.candidate_wards, placement.ward} - {None})
        ward = parse_ward(form.ward.data)
        if ward not in choices:
            if form.ward.data:  # not one of the choices (the address changed, or tampered)
                form.ward.errors.append(_("Choose one of the wards shown for this address."))
            return placement, {"ward_choices": choices, "ward_guess": placement.ward}
        placement = placement_in_ward(placement, ward)
    if form.duplicate.data != "add":
        found = service.duplicates(petition, form.entry(), placement)
        if found:
            return placement, {"duplicates": found}
    return placement, None


def _render(petition, form, fresh=False, **decision):
    if fresh:  # the next row starts at its name, the first row at the sheet
        first = form.first_name if form.signed_on.data else form.sheet_number
        first.render_kw = {"autofocus": True}
    status = 400 if form.errors else 200
    return render_template("organizer/paper.html", petition=petition, form=form, fresh=fresh,
                           recent=service.recent_paper(petition), **decision), status


def _full_name(form):
    return " ".join((form.first_name.data, form.last_name.data))


def _sticky_key(petition):
    return f"paper-{petition.id}"


def _parsed_day(value):
    """The sticky date signed, back from the session's text (None if it is not a date)."""
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _next_row(petition, form):
    """The empty form again, keeping the sheet, day and collector."""
    session[_sticky_key(petition)] = {
        "signed_on": form.signed_on.data.isoformat(),
        "sheet_number": form.sheet_number.data or "",
        "collected_by": form.collected_by.data or ""}
    return redirect(url_for("paper.paper_page", slug=petition.slug), code=303)

"""Signing, and the pages after it: check your email, confirm, remove, confirmed."""

import logging

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from petition.extensions import csrf, db
from petition.letters import service as letters
from petition.lookup import service as lookup
from petition.mail.addresses import mask_email, normalize_email
from petition.petitions import counts
from petition.petitions.loaders import petition_or_404, remember_signature, signature_on
from petition.petitions.views import render_petition, share_box
from petition.signing import confirmation, flagging, service, ward_choice
from petition.signing.forms import SignForm
from petition.signing.placement import place_address
from petition.stances import calls
from petition.web.security import checks_control_characters
from petition.web.templating import localized

bp = Blueprint("signing", __name__)

log = logging.getLogger(__name__)


@bp.post("/petitions/<slug>/sign")
@csrf.exempt  # the form checks its own token, so a stale one re-shows the typed values
@checks_control_characters
def sign(slug):
    form = SignForm()
    if not form.validate_on_submit() or form.website.data:
        return _not_signed(slug, form)
    form.address.data = form.suggested_address.data or form.address.data
    # The ward is worked out before the first query: on SQLite a POST's transaction holds
    # the write lock from its first statement, so it should hold nothing but the signing.
    placement = place_address(form.address.data, form.zip.data)
    petition = petition_or_404(slug)
    if placement.suggestions and not form.keep_address.data:
        return _did_you_mean(petition, form, placement.suggestions)
    outcome = service.sign(
        petition, form.signer_details(), placement,
        ip_address=request.remote_addr, locale=str(get_locale() or "en"),
        flagged=flagging.over_signing_limit(slug, request.remote_addr,
                                            current_app.config["SIGN_RATE_LIMIT"]),
        max_sends=current_app.config["CONFIRMATION_MAX_SENDS"],
    )
    if outcome.refusal == "outside_chicago":
        form.address.errors.append(_("This petition is for people who live in Chicago, "
                                     "and this address is outside the city."))
        return render_petition(petition, form)
    if outcome.refusal == "closed":
        return render_petition(petition, form, status=409)
    # The same page whether the address signed before or not: it reveals nobody's signature.
    # Built before the commit, which expires the petition (reading it again is a query).
    response = _after_signing(petition, outcome.result, form.email.data)
    db.session.commit()
    return response


def _not_signed(slug, form):
    """The answer to a form that signs nothing: its errors, a closed petition, or a bot."""
    petition = petition_or_404(slug)
    if not petition.can_sign():
        return render_petition(petition, form, status=409)
    if form.errors:
        return render_petition(petition, form)
    # A bot filled the honeypot: answer as if it worked and store nothing.
    log.info("honeypot filled on %s from %s", slug, request.remote_addr)
    return _signed_redirect(slug, None, form.email.data, False)


def _did_you_mean(petition, form, suggestions):
    """The form again, keeping everything typed, with addresses to try for its street."""
    form.address.errors.append(_("We could not find this street in Chicago. Choose one of "
                                 "the addresses under the Sign button, or correct it."))
    return render_petition(petition, form, address_suggestions=suggestions)


def _after_signing(petition, result, email):
    """The "check your email" page. A signature the email made before, not from this
    browser, stays out of its session, and the page says what it would say to a new one:
    whoever types someone else's address learns nothing of their signature (its ward,
    whether it is confirmed) and cannot choose its ward."""
    if result.created or result.signature_id in _signatures_of_this_browser(petition.slug):
        return _signed_redirect(petition.slug, result.signature_id, email, result.confirmed)
    return _signed_redirect(petition.slug, None, email, not petition.requires_confirmation)


def _signatures_of_this_browser(slug):
    signed = session.get("signed")
    signed_id = signed.get("signature_id") if isinstance(signed, dict) and \
        signed.get("slug") == slug else None
    return {session.get("confirmed_signature"), signed_id} - {None}


def _signed_redirect(slug, signature_id, email, confirmed):
    """To the "check your email" page, which the session tells what to say."""
    session["signed"] = {"slug": slug, "signature_id": signature_id,
                         "email": mask_email(email), "confirmed": confirmed}
    if signature_id is not None:
        remember_signature(signature_id, normalize_email(email))
    return redirect(url_for("signing.signed", slug=slug), code=303)


def _ward_context(signature, slug):
    """The signer's alder card, ward choice and next steps, for the pages after signing."""
    if signature is None:
        return {"answer": None, "ward_choice": None, "call": None, "volunteered": False}
    answer = lookup.answer_for_signature(signature)
    return {"answer": answer, "call": calls.call_sheet(signature, signature.petition),
            "ward_choice": ward_choice.ward_choice_for_signature(signature, slug),
            "volunteered": signature.volunteer}


@bp.get("/petitions/<slug>/signed")
def signed(slug):
    petition = petition_or_404(slug)
    info = session.get("signed") or {}
    if info.get("slug") != petition.slug:
        return redirect(url_for("petitions.petition", slug=petition.slug))
    signature = signature_on(petition, info.get("signature_id"))
    return render_template("public/check_email.html", petition=petition, info=info,
                           **_ward_context(signature, slug))


_TOKEN_STATUS_CODES = {"expired": 410, "invalid": 404}


def _token_problem(status):
    return render_template("public/token_problem.html", status=status), \
        _TOKEN_STATUS_CODES[status]


@bp.get("/confirm/<token>")
def confirm(token):
    # Mail scanners open links, so GET only shows a button; the POST confirms.
    result = confirmation.check_confirmation(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    if result.status == "already_confirmed":
        return _render_confirmed(result.signature, already=True)
    return render_template("public/confirm.html", signature=result.signature, token=token)


@bp.post("/confirm/<token>")
def confirm_post(token):
    result = confirmation.confirm_signature(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    signature_id, slug = result.signature.id, result.signature.petition.slug
    remember_signature(signature_id, result.signature.email_normalized)
    db.session.commit()
    session["confirmed_signature"] = signature_id
    return redirect(url_for("signing.confirmed", slug=slug), code=303)


@bp.get("/remove/<token>")
def remove(token):
    result = confirmation.check_removal(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    return render_template("public/remove.html", signature=result.signature, token=token)


@bp.post("/remove/<token>")
def remove_post(token):
    result = confirmation.remove_signature(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    title = localized(result.signature.petition, "title")
    db.session.commit()
    return render_template("public/removed.html", title=title)


@bp.get("/petitions/<slug>/confirmed")
def confirmed(slug):
    petition = petition_or_404(slug)
    signature = signature_on(petition, session.get("confirmed_signature"))
    if signature is None:
        return redirect(url_for("petitions.petition", slug=petition.slug))
    return _render_confirmed(signature, already=False)


def _letter_invite(signature):
    """The letter to the alder, offered to the browser that confirmed the signature."""
    if session.get("confirmed_signature") != signature.id:
        return None
    draft = letters.draft_for(signature, signature.petition)
    return None if draft.status == "closed" else draft


def _render_confirmed(signature, already):
    total = counts.confirmed_total(signature.petition_id)
    return render_template("public/confirmed.html", signature=signature,
                           petition=signature.petition, total=total, already=already,
                           letter_draft=_letter_invite(signature),
                           share=share_box(signature.petition),
                           **_ward_context(signature, signature.petition.slug))

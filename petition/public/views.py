"""Views for supporters; each validates, calls one service and renders or redirects."""

import logging

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from petition.extensions import csrf, db, transaction_begun
from petition.links import external_url
from petition.models.petition import is_valid_slug
from petition.public import bp
from petition.public.forms import SignForm
from petition.public.loaders import petition_or_404, signature_on
from petition.security import allow_framing, checks_control_characters
from petition.services import (
    counts,
    flagging,
    letters,
    lookup,
    petitions,
    sharing,
    signature_ward,
    signing,
)
from petition.services.emails import mask_email
from petition.services.placement import place_address
from petition.services.signing import SignerDetails
from petition.templating import localized

log = logging.getLogger(__name__)


@bp.get("/")
def index():
    items = [(p, counts.confirmed_total(p.id)) for p in petitions.open_petitions()]
    return render_template("public/index.html", items=items)


def _render_petition(petition, form, status=200):
    total = counts.confirmed_total(petition.id)
    page = render_template("public/petition.html", petition=petition, form=form, total=total,
                           share=_share(petition))
    return page, status


def _share(petition):
    """What the share box and the meta tags need, in the page's language."""
    url = external_url("public.petition", slug=petition.slug)
    title = localized(petition, "title")
    message = _("I signed “%(title)s”. Will you sign too?", title=title)
    return {"url": url, "title": title, "description": localized(petition, "summary"),
            "links": sharing.share_links(title, url, message),
            "widget_url": external_url("public.widget", slug=petition.slug),
            "snippet": sharing.embed_snippet(external_url("public.widget", slug=petition.slug),
                                             title)}


@bp.get("/petitions/<slug>/widget")
@allow_framing
def widget(slug):
    """A small card other sites embed in an iframe: the count and a sign button."""
    petition = petition_or_404(slug)
    total = counts.confirmed_total(petition.id)
    response = current_app.make_response(
        render_template("public/widget.html", petition=petition, total=total,
                        sign_url=external_url("public.petition", slug=petition.slug) + "#sign"))
    # The count is public: let caches keep it briefly.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/petitions/<slug>")
def petition(slug):
    petition = petition_or_404(slug)
    return _render_petition(petition, SignForm())


@bp.get("/petitions/<slug>/wards")
def wards(slug):
    from petition import charts
    from petition.services import dashboard

    petition = petition_or_404(slug)
    data = counts.petition_counts(petition)
    ward_counts = {int(k): v for k, v in data["wards"].items()}
    return render_template("public/wards.html", petition=petition, data=data,
                           alders=dashboard.alder_names(),
                           ward_map=charts.ward_map(petition, ward_counts, public=True))


@bp.post("/petitions/<slug>/sign")
@csrf.exempt  # the form checks its own token, so a stale one re-shows the typed values
@checks_control_characters
def sign(slug):
    if not is_valid_slug(slug):
        abort(404)
    form = SignForm()
    valid = form.validate_on_submit()
    if valid and not form.website.data:
        # The ward is worked out before touching the database: on SQLite the writing
        # transaction holds the write lock, so it should hold nothing but the inserts.
        placement = place_address(form.address.data, form.zip.data)
        outcome = signing.sign_by_slug(
            slug, _signer_details(form), placement,
            flagged=flagging.over_signing_limit(slug, request.remote_addr,
                                                current_app.config["SIGN_RATE_LIMIT"]),
            ip_address=request.remote_addr,
            locale=str(get_locale() or "en"),
            max_sends=current_app.config["CONFIRMATION_MAX_SENDS"],
        )
        if outcome.result is not None:
            # A new signature on PostgreSQL was its own transaction: nothing left to commit.
            if transaction_begun():
                db.session.commit()
            # The same page whether the address is new or not: it reveals nobody's signature.
            return _signed_redirect(slug, outcome.result.signature_id, form.email.data,
                                    outcome.result.confirmed)
        if outcome.refusal == "not_found":
            abort(404)
        if outcome.refusal == "closed":
            return _render_petition(petition_or_404(slug), form, status=409)
        # The one refusal left: "outside_chicago".
        form.address.errors.append(_("This petition is for people who live in Chicago, "
                                     "and this address is outside the city."))
        return _render_petition(petition_or_404(slug), form)
    terms = petitions.signing_terms(slug)
    if terms is None:
        abort(404)
    if not terms.can_sign():
        return _render_petition(petition_or_404(slug), form, status=409)
    if valid and form.website.data:
        # A bot filled the honeypot: answer as if it worked and store nothing.
        log.info("honeypot filled on %s from %s", slug, request.remote_addr)
        return _signed_redirect(slug, None, form.email.data, False)
    return _render_petition(petition_or_404(slug), form)


def _signer_details(form):
    return SignerDetails(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        email=form.email.data,
        address=form.address.data,
        zip=form.zip.data,
        phone=form.phone.data or None,
        opt_in=form.opt_in.data,
        volunteer=form.volunteer.data,
    )


def _signed_redirect(slug, signature_id, email, confirmed):
    """To the "check your email" page, which the session tells what to say."""
    session["signed"] = {"slug": slug, "signature_id": signature_id,
                         "email": mask_email(email), "confirmed": confirmed}
    return redirect(url_for("public.signed", slug=slug), code=303)


def _ward_context(signature, slug):
    """The signer's alder card and ward choice, for the pages after signing."""
    if signature is None:
        return {"answer": None, "ward_choice": None}
    return {"answer": lookup.answer_for_signature(signature),
            "ward_choice": signature_ward.ward_choice_for_signature(signature, slug)}


@bp.get("/petitions/<slug>/signed")
def signed(slug):
    petition = petition_or_404(slug)
    info = session.get("signed") or {}
    if info.get("slug") != petition.slug:
        return redirect(url_for("public.petition", slug=petition.slug))
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
    result = signing.check_confirmation(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    if result.status == "already_confirmed":
        return _render_confirmed(result.signature, already=True)
    return render_template("public/confirm.html", signature=result.signature, token=token)


@bp.post("/confirm/<token>")
def confirm_post(token):
    result = signing.confirm_signature(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    signature_id, slug = result.signature.id, result.signature.petition.slug
    db.session.commit()
    session["confirmed_signature"] = signature_id
    return redirect(url_for("public.confirmed", slug=slug), code=303)


@bp.get("/remove/<token>")
def remove(token):
    result = signing.check_removal(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    return render_template("public/remove.html", signature=result.signature, token=token)


@bp.post("/remove/<token>")
def remove_post(token):
    result = signing.remove_signature(token)
    if result.status in _TOKEN_STATUS_CODES:
        return _token_problem(result.status)
    title = result.signature.petition.title
    db.session.commit()
    return render_template("public/removed.html", title=title)


@bp.get("/petitions/<slug>/confirmed")
def confirmed(slug):
    petition = petition_or_404(slug)
    signature = signature_on(petition, session.get("confirmed_signature"))
    if signature is None:
        return redirect(url_for("public.petition", slug=petition.slug))
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
                           share=_share(signature.petition),
                           **_ward_context(signature, signature.petition.slug))

"""Public petition pages: the list, a petition with its sign form, its widget, its counts
per ward (or per House and Senate district, for a petition to state members)."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from petition.lookup.members import members_of
from petition.lookup.service import alder_names
from petition.maps import charts
from petition.models import PetitionTarget
from petition.petitions import counts, district_counts, sharing
from petition.petitions.loaders import open_petitions, petition_or_404
from petition.signing.forms import SignForm
from petition.signing.sources import source_from_args
from petition.stances.goals import ward_goals
from petition.web.i18n import varies_by_language
from petition.web.links import external_url, petition_url
from petition.web.security import allow_framing
from petition.web.templating import localized

bp = Blueprint("petitions", __name__)
bp.add_app_template_global(counts.next_milestone, "next_milestone")

# Seconds a shared cache may keep the embedded widget (its count lags that much at most).
WIDGET_MAX_AGE = 60


@bp.get("/")
def index():
    items = [(p, counts.confirmed_total(p.id)) for p in open_petitions()]
    return render_template("public/index.html", items=items)


def render_petition(petition, form, status=200, address_suggestions=()):
    """The petition page with its sign form (the signing views show it again on errors,
    with "did you mean" addresses when the street did not match)."""
    total = counts.confirmed_total(petition.id)
    page = render_template("public/petition.html", petition=petition, form=form, total=total,
                           share=share_box(petition), address_suggestions=address_suggestions)
    return page, status


def share_box(petition):
    """What the share box and the meta tags need, in the page's language."""
    url = petition_url(petition)
    widget_url = external_url("petitions.widget", slug=petition.slug)
    title = localized(petition, "title")
    # Sent friend to friend (WhatsApp, text): the Spanish says "tú" on purpose (GLOSSARY.md).
    message = _("I signed “%(title)s”. Will you sign too?", title=title)
    return {"url": url, "title": title, "description": localized(petition, "summary"),
            "links": sharing.share_links(title, url, message), "widget_url": widget_url,
            "snippet": sharing.embed_snippet(widget_url, title)}


@bp.get("/petitions/<slug>/widget")
@allow_framing
def widget(slug):
    """A small card other sites embed in an iframe: the count and a sign button."""
    petition = petition_or_404(slug)
    total = counts.confirmed_total(petition.id)
    response = current_app.make_response(
        render_template("public/widget.html", petition=petition, total=total,
                        sign_url=petition_url(petition) + "#sign"))
    # The count is public: let caches keep it briefly, one copy per language.
    response.cache_control.public = True
    response.cache_control.max_age = WIDGET_MAX_AGE
    return varies_by_language(response)


@bp.get("/petitions/<slug>")
def petition(slug):
    petition = petition_or_404(slug)
    return render_petition(petition, SignForm(source=source_from_args(request.args)))


@bp.get("/petitions/<slug>/wards")
def wards(slug):
    petition = petition_or_404(slug)
    if petition.target is not PetitionTarget.ALDER:  # its counts are per district
        return redirect(url_for("petitions.districts", slug=slug))
    data = counts.petition_counts(petition)
    ward_counts = {int(k): v for k, v in data["wards"].items()}
    return render_template("public/wards.html", petition=petition, data=data,
                           alders=alder_names(), goals=ward_goals(petition.id),
                           ward_map=charts.ward_map(petition, ward_counts, public=True))


@bp.get("/petitions/<slug>/districts")
def districts(slug):
    """A petition to state members: confirmed signatures per House and/or Senate district."""
    petition = petition_or_404(slug)
    if petition.target is PetitionTarget.ALDER:
        abort(404)
    data = district_counts.public_counts(petition)
    chambers = [{"chamber": chamber, "counts": data[f"{chamber}_districts"],
                 "none": data[f"no_{chamber}_district"], "members": members_of(chamber),
                 "map": charts.district_map(petition, chamber, data[f"{chamber}_districts"])}
                for chamber in petition.target.chambers]
    return render_template("public/districts.html", petition=petition, data=data,
                           chambers=chambers)

"""The about page and the privacy page."""

from flask import Blueprint, render_template

from petition.petitions.loaders import open_petitions

bp = Blueprint("about", __name__)


@bp.get("/about")
def about():
    return render_template("about/about.html")


@bp.get("/privacy")
def privacy():
    return render_template("about/privacy.html", petitions=open_petitions())

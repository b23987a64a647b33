"""Unsubscribing from organizer emails: a page with a button, and RFC 8058 one-click.

Both work without logging in. The POST is exempt from CSRF: mail clients send
`List-Unsubscribe=One-Click` with no cookie and no form token (RFC 8058), and the signed
token in the URL is what authorises it. GET only shows the button (mail scanners open links).
"""

from flask import Blueprint, current_app, render_template, request

from petition.blasts import unsubscribes
from petition.extensions import csrf, db

bp = Blueprint("unsubscribe", __name__)


def _check(token):
    return unsubscribes.check_token(current_app.config["SECRET_KEY"], token)


def _invalid():
    return render_template("public/unsubscribe.html", check=None), 404


@bp.get("/unsubscribe/<token>")
def unsubscribe(token):
    check = _check(token)
    if check.status == "invalid":
        return _invalid()
    return render_template("public/unsubscribe.html", check=check, token=token)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token):
    check = _check(token)
    if check.status == "invalid":
        return _invalid()
    if check.status == "ok":
        one_click = request.form.get("List-Unsubscribe") == "One-Click"
        unsubscribes.unsubscribe(check.email_normalized, petition_id=check.petition_id,
                                 source="one_click" if one_click else "page")
        db.session.commit()
    return render_template("public/unsubscribed.html", check=check)

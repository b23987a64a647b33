"""Signing in and out."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from petition.extensions import db, limiter
from petition.organizer import bp
from petition.organizer.forms import LoginForm, LogoutForm
from petition.services import accounts


def _safe_next(target):
    """Only local organizer pages: never an open redirect."""
    if not target or not target.startswith("/organizer") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("organizer.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("organizer/login.html", form=form), 400 if form.errors else 200
    config = current_app.config
    result = accounts.authenticate(form.email.data, form.password.data,
                                   free_failures=config["LOGIN_FREE_FAILURES"],
                                   max_delay=config["LOGIN_MAX_DELAY_SECONDS"])
    if result.organizer is None:
        db.session.commit()  # keep the failure count
        if result.wait_seconds:
            form.password.errors.append(_(
                "Too many failed attempts. Wait %(n)d seconds, then try again.",
                n=result.wait_seconds))
            return render_template("organizer/login.html", form=form), 429, \
                {"Retry-After": str(result.wait_seconds)}
        form.password.errors.append(_("That email and password do not match an account."))
        return render_template("organizer/login.html", form=form), 401
    target = _safe_next(request.args.get("next"))
    session.clear()  # a fresh session on sign-in: nothing carried over from before
    login_user(result.organizer, remember=False)
    db.session.commit()
    return redirect(target or url_for("organizer.index"), code=303)


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("organizer.login"), code=303)

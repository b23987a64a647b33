"""Signing in and out."""

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from petition.extensions import db, limiter, login_manager
from petition.models import Organizer
from petition.organizer import accounts
from petition.organizer.forms import LoginForm, LogoutForm
from petition.web.errors import wants_json
from petition.web.links import local_path
from petition.web.numbers import parse_id
from petition.web.workspace import WORKSPACE_PREFIX, open_to_everyone, workspace_blueprint

bp = workspace_blueprint("auth", __name__)


def _safe_next(target):
    """Only this site's organizer pages: never an open redirect."""
    target = local_path(target)
    path = (target or "").split("?", 1)[0]
    if path == WORKSPACE_PREFIX or path.startswith(WORKSPACE_PREFIX + "/"):
        return target
    return None


def init_login(app):
    """Flask-Login: load organizers by id, refuse anonymous users (401 JSON or log-in page)."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # No "remember me": the session cookie (HttpOnly, SameSite=Lax, Secure in production)
    # is the only credential; "strong" drops the session if its IP or browser changes.
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_organizer)
    login_manager.unauthorized_handler(_unauthorized)


def _load_organizer(organizer_id):
    organizer_id = parse_id(str(organizer_id))
    organizer = db.session.get(Organizer, organizer_id) if organizer_id else None
    if organizer is None or not organizer.active:
        return None
    return organizer


def _unauthorized():
    if wants_json():
        return jsonify({"error": _("Sign in first.")}), 401
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


@bp.route("/login", methods=["GET", "POST"])
@open_to_everyone
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("petition_admin.index"))
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
    return redirect(target or url_for("petition_admin.index"), code=303)


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("auth.login"), code=303)

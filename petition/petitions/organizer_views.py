"""Petitions: the list, create and edit, states, the per-ward dashboard, stances."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.extensions import db
from petition.maps import charts
from petition.models import PetitionState, PetitionTarget, Stance
from petition.models.ward import parse_ward
from petition.organizer import accounts
from petition.organizer.access import managed_petition_or_404
from petition.petitions import admin as petition_admin
from petition.petitions import counts, dashboard, district_counts, sharing
from petition.petitions.admin import PetitionFields
from petition.petitions.forms import (
    STANCE_CHOICES,
    STANCE_LABELS,
    PauseForm,
    PetitionForm,
    StancesForm,
    StateForm,
)
from petition.web.forms import SimpleForm, commit_or_rollback
from petition.web.links import external_url
from petition.web.security import checks_control_characters
from petition.web.timezones import to_local, to_utc
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("petition_admin", __name__)


@bp.get("/")
def index():
    items = [(p, counts.confirmed_total(p.id)) for p in accounts.petitions_for(current_user)]
    return render_template("organizer/index.html", items=items,
                           state_label=petition_admin.state_label)


def _fields(form):
    return PetitionFields(
        title=form.title.data, slug=form.slug.data, summary=form.summary.data or "",
        body=form.body.data, goal=form.goal.data, deadline=to_utc(form.deadline.data),
        requires_confirmation=form.requires_confirmation.data,
        accepts_outside_chicago=form.accepts_outside_chicago.data,
        title_es=form.title_es.data or None, summary_es=form.summary_es.data or None,
        body_es=form.body_es.data or None, retention=form.retention.data or None,
        retention_es=form.retention_es.data or None, call_script=form.call_script.data or None,
        call_script_es=form.call_script_es.data or None,
        scoreboard_public=form.scoreboard_public.data,
        target=PetitionTarget(form.target.data),
        paper_without_email_counts=form.paper_without_email_counts.data,
    )


@bp.route("/petitions/new", methods=["GET", "POST"])
@checks_control_characters
def new_petition():
    form = PetitionForm()
    if form.validate_on_submit():
        saved = commit_or_rollback(form, petition_admin.create_petition, _fields(form),
                                   actor=current_user)
        if saved.done:
            flash(_("Petition created as a draft. Open it when it is ready."), "success")
            return redirect(url_for("petition_admin.dashboard", slug=saved.value.slug),
                            code=303)
    status = 400 if form.errors else 200
    return render_template("organizer/petition_form.html", form=form, petition=None), status


@bp.route("/petitions/<slug>/edit", methods=["GET", "POST"])
@checks_control_characters
def edit_petition(slug):
    petition = managed_petition_or_404(slug)
    form = PetitionForm(obj=petition)
    if request.method == "GET":
        form.deadline.data = to_local(petition.deadline)
    if form.validate_on_submit():
        saved = commit_or_rollback(form, petition_admin.update_petition, petition,
                                   _fields(form), actor=current_user)
        if saved.done:
            flash(_("Petition saved."), "success")
            return redirect(url_for("petition_admin.dashboard", slug=petition.slug), code=303)
        petition = managed_petition_or_404(slug)
    status = 400 if form.errors else 200
    return render_template("organizer/petition_form.html", form=form,
                           petition=petition), status


@bp.post("/petitions/<slug>/state")
def change_state(slug):
    petition = managed_petition_or_404(slug)
    form = StateForm()
    if not form.validate_on_submit():
        flash(_("Choose a state."), "error")
        return redirect(url_for("petition_admin.dashboard", slug=petition.slug), code=303)
    new_state = PetitionState(form.state.data)
    if commit_or_rollback(None, petition_admin.change_state, petition, new_state,
                          actor=current_user).done:
        flash(_("The petition is now %(state)s.",
                state=petition_admin.state_label(new_state)), "success")
    return redirect(url_for("petition_admin.dashboard", slug=slug), code=303)


@bp.post("/petitions/<slug>/signing")
def pause_signing(slug):
    petition = managed_petition_or_404(slug)
    form = PauseForm()
    if form.validate_on_submit() and form.paused.data in ("0", "1"):
        paused = form.paused.data == "1"
        petition_admin.set_signing_paused(petition, paused, actor=current_user)
        db.session.commit()
        flash(_("Signing is paused.") if paused else _("Signing is open again."), "success")
    else:
        flash(_("That did not work; reload the page and try again."), "error")
    return redirect(url_for("petition_admin.dashboard", slug=slug), code=303)


def _sort_args():
    sort = request.args.get("sort", "ward")
    if sort not in dashboard.SORT_COLUMNS:
        sort = "ward"
    descending = request.args.get("dir") == "desc"
    return sort, descending


def _district_tables(petition):
    """A petition to state members: each chamber's table with its map (none for alders)."""
    tables = [district_counts.district_table(petition, chamber)
              for chamber in petition.target.chambers]
    return [(dt, charts.district_map(petition, dt.chamber,
                                     {row.district: row.confirmed for row in dt.rows},
                                     rows={row.district for row in dt.rows},
                                     id=f"dashboard-{dt.chamber}-map"))
            for dt in tables]


def _render_dashboard(petition, stances_form=None, status=200):
    sort, descending = _sort_args()
    table = dashboard.ward_table(petition, sort=sort, descending=descending)
    if stances_form is None:
        stances_form = StancesForm(formdata=None)
        for row in table.rows:
            stances_form[f"ward_{row.ward}"].data = row.stance.value
    daily = dashboard.signatures_per_day(petition)
    transitions = [s for s in PetitionState if petition.can_transition_to(s)]
    page = render_template(
        "organizer/dashboard.html", petition=petition, table=table, sort=sort,
        descending=descending, stances_form=stances_form, stance_labels=STANCE_LABELS,
        stance_options=[(choice.value, str(choice.label)) for choice in STANCE_CHOICES],
        daily_chart=charts.daily_bars(daily), daily=daily, transitions=transitions,
        state_form=StateForm(formdata=None), pause_form=PauseForm(formdata=None),
        simple_form=SimpleForm(formdata=None), state_label=petition_admin.state_label,
        transition_labels={"open": _("Open the petition"), "closed": _("Close the petition"),
                           "archived": _("Archive"), "draft": _("Back to draft")},
        ward_map=None if petition.target.chambers else charts.ward_map(
            petition, {r.ward: r.confirmed for r in table.rows}),
        district_tables=_district_tables(petition),
        embed_snippet=sharing.embed_snippet(
            external_url("petitions.widget", slug=petition.slug), petition.title),
    )
    return page, status


@bp.get("/petitions/<slug>", endpoint="dashboard")
def dashboard_page(slug):
    petition = managed_petition_or_404(slug)
    return _render_dashboard(petition)


@bp.get("/petitions/<slug>/sources")
def sources(slug):
    """Valid signatures per source: a count over every signature of the petition, so on
    its own page (the dashboard reads counters only and stays fast at millions)."""
    petition = managed_petition_or_404(slug)
    return render_template("organizer/sources.html", petition=petition,
                           sources=dashboard.signatures_by_source(petition))


@bp.get("/petitions/<slug>/wards.json")
def dashboard_json(slug):
    petition = managed_petition_or_404(slug)
    sort, descending = _sort_args()
    table = dashboard.ward_table(petition, sort=sort, descending=descending)
    return jsonify({
        "petition": petition.slug,
        "wards": [{"ward": r.ward, "alder": r.alder, "stance": r.stance.value,
                   "confirmed": r.confirmed, "pending": r.pending, "letters_sent": r.letters}
                  for r in table.rows],
        "outside_chicago": table.outside,
        "unknown_ward": table.unknown,
        "totals": table.totals,
    })


@bp.post("/petitions/<slug>/stances")
def save_stances(slug):
    petition = managed_petition_or_404(slug)
    form = StancesForm()
    if not form.validate_on_submit():
        return _render_dashboard(petition, stances_form=form, status=400)
    changes = {n: Stance(field.data) for n, field in form.stance_fields()}
    row = parse_ward(request.form.get("save_ward"))  # a row's own Save button: that row only
    if row is not None:
        changes = {row: changes[row]}
    changed = dashboard.set_stances(petition, changes, actor=current_user)
    db.session.commit()
    flash(_("Stances saved (%(n)d changed).", n=len(changed)), "success")
    return redirect(url_for("petition_admin.dashboard", slug=slug, sort=request.args.get("sort"),
                            dir=request.args.get("dir"),
                            _anchor=f"ward-{row}" if row else "wards"), code=303)

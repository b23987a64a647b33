"""Organizers record one ward's stance with its evidence, and see its history."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.extensions import db
from petition.lookup.service import alders_by_ward
from petition.models import WARD_NUMBERS, AlderStance, Stance
from petition.organizer.access import managed_petition_or_404
from petition.petitions.forms import STANCE_LABELS
from petition.stances import calls, goals, service
from petition.stances.forms import OUTCOME_LABELS, StanceForm, WardGoalsForm
from petition.web.security import checks_control_characters
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("stance_admin", __name__)


@bp.route("/petitions/<slug>/wards/<int:ward>/stance", methods=["GET", "POST"])
@checks_control_characters
def ward_stance(slug, ward):
    petition = managed_petition_or_404(slug)
    if ward not in WARD_NUMBERS:
        abort(404)
    row = db.session.get(AlderStance, (petition.id, ward))
    form = StanceForm(data={"stance": row.stance.value if row else Stance.UNKNOWN.value,
                            "source_url": row.source_url if row else None,
                            "source_note": row.source_note if row else None})
    if form.validate_on_submit():
        evidence = service.StanceEvidence(form.source_url.data or None,
                                          form.source_note.data or None)
        changed = service.record_stance(petition, ward, Stance(form.stance.data), evidence,
                                        actor=current_user, row=row)
        db.session.commit()
        flash(_("Ward %(n)d: stance saved.", n=ward) if changed else
              _("Ward %(n)d: nothing changed.", n=ward), "success")
        return redirect(url_for("petition_admin.dashboard", slug=slug, _anchor=f"ward-{ward}"),
                        code=303)
    return render_template("organizer/stance.html", petition=petition, ward=ward, form=form,
                           alder=alders_by_ward([ward]).get(ward), labels=STANCE_LABELS,
                           history=service.history(petition.id, ward),
                           call_outcomes=calls.outcomes_of_ward(petition.id, ward),
                           heard=calls.heard_in_ward(petition.id, ward),
                           outcome_labels=OUTCOME_LABELS), \
        400 if form.errors else 200


@bp.route("/petitions/<slug>/ward-goals", methods=["GET", "POST"])
def ward_goals(slug):
    petition = managed_petition_or_404(slug)
    current = goals.ward_goals(petition.id)
    form = WardGoalsForm(data={f"goal_{n}": current.get(n) for n in WARD_NUMBERS})
    if form.validate_on_submit():
        wanted = (goals.even_split(petition.goal) if "spread" in request.form
                  else form.goals())
        goals.set_ward_goals(petition, wanted, actor=current_user)
        db.session.commit()
        flash(_("Ward goals saved."), "success")
        return redirect(url_for("stance_admin.ward_goals", slug=slug), code=303)
    return render_template("organizer/ward_goals.html", petition=petition, form=form,
                           wards=WARD_NUMBERS), 400 if form.errors else 200

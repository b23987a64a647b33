"""Letters to alders: the campaign (templates, editing, delivery) and the letters page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.letters import campaigns, digests, reports
from petition.letters.campaigns import CampaignFields
from petition.letters.forms import LetterCampaignForm
from petition.lookup.service import alder_names
from petition.mail import sandbox
from petition.mail.sandbox import TemplateProblem
from petition.models import LetterDelivery
from petition.organizer.access import managed_petition_or_404
from petition.web.forms import commit_or_rollback
from petition.web.security import checks_control_characters
from petition.web.workspace import workspace_blueprint

bp = workspace_blueprint("letter_admin", __name__)


def _initial_data(campaign):
    if campaign is None:
        return {"subject": campaigns.DEFAULT_SUBJECT, "body": campaigns.DEFAULT_BODY,
                "subject_es": campaigns.DEFAULT_SUBJECT_ES, "body_es": campaigns.DEFAULT_BODY_ES,
                "supporters_may_edit": True, "delivery": "each", "is_open": True}
    return {"subject": campaign.subject, "body": campaign.body,
            "subject_es": campaign.subject_es, "body_es": campaign.body_es,
            "reply_check_days": campaign.reply_check_days,
            "reply_rates_public": campaign.reply_rates_public,
            "supporters_may_edit": campaign.supporters_may_edit,
            "delivery": campaign.delivery.value, "is_open": campaign.is_open}


def _fields(form):
    return CampaignFields(subject=form.subject.data, body=form.body.data,
                          supporters_may_edit=form.supporters_may_edit.data,
                          delivery=LetterDelivery(form.delivery.data),
                          is_open=form.is_open.data, subject_es=form.subject_es.data or None,
                          body_es=form.body_es.data or None,
                          reply_check_days=(form.reply_check_days.data
                                            or campaigns.DEFAULT_REPLY_CHECK_DAYS),
                          reply_rates_public=form.reply_rates_public.data)


@bp.route("/petitions/<slug>/letters/campaign", methods=["GET", "POST"])
@checks_control_characters
def letter_campaign(slug):
    petition = managed_petition_or_404(slug)
    campaign = campaigns.campaign_for(petition.id)
    if request.method == "GET":
        form = LetterCampaignForm(formdata=None, data=_initial_data(campaign))
    else:
        form = LetterCampaignForm()
    if petition.target.chambers:
        form.address_state_members()
    if form.validate_on_submit():
        if commit_or_rollback(form, campaigns.save_campaign, petition, _fields(form),
                              actor=current_user).done:
            flash(_("Letter campaign saved."), "success")
            return redirect(url_for("letter_admin.letter_campaign", slug=slug), code=303)
        petition = managed_petition_or_404(slug)
        campaign = campaigns.campaign_for(petition.id)
    samples, sample_error = [], None
    if campaign is not None:
        try:
            samples = [(language, *campaigns.sample(campaign, petition, language))
                       for language in campaigns.letter_languages(campaign)]
        except TemplateProblem as exc:  # stored by some other way than this form
            sample_error = str(exc)
    status = 400 if form.errors else 200
    return render_template("organizer/letters/campaign.html", petition=petition,
                           campaign=campaign, form=form, samples=samples,
                           sample_error=sample_error,
                           placeholders=sandbox.PLACEHOLDERS,
                           filters=sandbox.ALLOWED_FILTERS), status


@bp.get("/petitions/<slug>/letters")
def letters_page(slug):
    petition = managed_petition_or_404(slug)
    campaign = campaigns.campaign_for(petition.id)
    by_ward = reports.letters_sent_by_ward(petition.id)
    names = alder_names()
    return render_template(
        "organizer/letters/index.html", petition=petition, campaign=campaign,
        wards=[(ward, names.get(ward), n) for ward, n in sorted(by_ward.items())],
        members=reports.letters_per_member(petition),
        totals=reports.delivery_totals(petition.id),
        failed=reports.failed_letters(petition.id),
        failed_digests=reports.failed_digests(petition.id),
        waiting_seats=digests.waiting_seats(petition.id),
        digests=reports.recent_digests(petition.id),
        recent=reports.recent_letters(petition.id),
    )

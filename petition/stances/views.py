"""The public scoreboard of where every alder stands: the page, its JSON and its widget;
for a petition to state members, the list of those members (page and JSON)."""

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from petition.models import PetitionTarget, Stance
from petition.models.base import utcnow
from petition.petitions.forms import STANCE_LABELS
from petition.petitions.loaders import public_petition
from petition.stances import members_board
from petition.stances import scoreboard as scores
from petition.stances import service as stance_service
from petition.web.links import external_url
from petition.web.security import allow_framing

bp = Blueprint("scoreboard", __name__)
bp.add_app_template_global(stance_service.public_stance, "public_stance")
bp.add_app_template_global(stance_service.public_stances_of_ward, "public_stances_of_ward")
bp.add_app_template_global(lambda stance: STANCE_LABELS[stance], "stance_label")

# Map colours by stance; the legend and the table say the same in words.
STANCE_FILLS = {Stance.CO_SPONSOR: "#075c2e", Stance.SUPPORTS: "#3aa46a",
                Stance.UNDECIDED: "#f2c14e", Stance.OPPOSES: "#c0392b",
                Stance.UNKNOWN: "#d9d9d9"}
WIDGET_MAX_AGE = 60


class BadFilter(ValueError):
    """A stance filter or sort the scoreboard does not know."""


def _public_scoreboard_or_404(slug):
    petition = public_petition(slug)
    if petition is None or not petition.scoreboard_public:
        abort(404)
    return petition


def _query():
    """(sort, descending, stance) from the query string; BadFilter names what is wrong."""
    sort = request.args.get("sort", "ward")
    stance = request.args.get("stance") or None
    if sort not in scores.SORTS:
        raise BadFilter(_("Sort by one of: %(columns)s.", columns=", ".join(scores.SORTS)))
    if stance is not None and stance not in {s.value for s in Stance}:
        raise BadFilter(_("Unknown stance: choose co_sponsor, supports, undecided, opposes "
                          "or unknown."))
    return sort, request.args.get("dir") == "desc", Stance(stance) if stance else None


@bp.get("/petitions/<slug>/alders")
def alders(slug):
    petition = _public_scoreboard_or_404(slug)
    if petition.target is not PetitionTarget.ALDER:
        return redirect(url_for("scoreboard.members", slug=slug))
    try:
        sort, descending, stance = _query()
    except BadFilter as problem:
        return render_template("errors/error.html", message=str(problem), code=400), 400
    board = scores.scoreboard(petition, utcnow(), sort=sort, descending=descending,
                              stance=stance)
    fills = {ward: STANCE_FILLS[s] for ward, s in board.stance_of_ward.items()}
    return render_template("public/alders.html", petition=petition, board=board, sort=sort,
                           descending=descending, stance=stance, labels=STANCE_LABELS,
                           fills=fills, stance_fills=STANCE_FILLS,
                           widget_url=external_url("scoreboard.alders_widget", slug=slug))


@bp.get("/api/v1/petitions/<slug>/alders")
def alders_api(slug):
    petition = public_petition(slug)
    if petition is None or not petition.scoreboard_public:
        return jsonify({"error": _("No public scoreboard for %(slug)s.",
                                   slug=repr(slug[:80]))}), 404
    if petition.target is not PetitionTarget.ALDER:
        return jsonify(members_board.as_json(petition,
                                             members_board.members_board(petition, utcnow())))
    try:
        sort, descending, stance = _query()
    except BadFilter as problem:
        return jsonify({"error": str(problem)}), 400
    board = scores.scoreboard(petition, utcnow(), sort=sort, descending=descending,
                              stance=stance)
    return jsonify(dict(scores.as_json(board), petition=petition.slug))


@bp.get("/petitions/<slug>/alders/widget")
@allow_framing
def alders_widget(slug):
    """A small card other sites embed: how many alders support, and a link to the board."""
    petition = _public_scoreboard_or_404(slug)
    if petition.target is not PetitionTarget.ALDER:
        abort(404)  # the widget counts alders' votes
    board = scores.scoreboard(petition, utcnow())
    response = render_template("public/alders_widget.html", petition=petition, board=board,
                               board_url=external_url("scoreboard.alders", slug=slug))
    return response, 200, {"Cache-Control": f"public, max-age={WIDGET_MAX_AGE}",
                           "Vary": "Accept-Language, Cookie"}


@bp.get("/petitions/<slug>/members")
def members(slug):
    """A petition to state members: each State Representative and/or Senator in Chicago."""
    petition = _public_scoreboard_or_404(slug)
    if petition.target is PetitionTarget.ALDER:
        return redirect(url_for("scoreboard.alders", slug=slug))
    return render_template("public/members.html", petition=petition,
                           board=members_board.members_board(petition, utcnow()))

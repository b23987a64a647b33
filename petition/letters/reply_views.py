"""The link in 'Did your alder reply?': a page with three buttons (mail scanners open
links, so only the POST records an answer)."""

from flask import Blueprint, redirect, render_template, request, url_for

from petition.extensions import db
from petition.letters import replies
from petition.models import LetterReply
from petition.web.forms import SimpleForm

bp = Blueprint("letter_replies", __name__)

TOKEN_STATUS_CODES = {"expired": 410, "invalid": 404}
ANSWERS = {reply.value for reply in LetterReply}


@bp.route("/letters/reply/<token>", methods=["GET", "POST"])
def reply(token):
    status, letter = replies.letter_for_token(token)
    if letter is None:
        return render_template("letters/reply_link_problem.html", status=status), \
            TOKEN_STATUS_CODES[status]
    form = SimpleForm()
    if request.method == "POST":
        answer = request.form.get("answer")
        if not form.validate_on_submit() or answer not in ANSWERS:
            return render_template("letters/reply.html", letter=letter, form=form,
                                   refused=True), 400
        replies.record_reply(letter, answer)
        db.session.commit()
        return redirect(url_for("letter_replies.reply", token=token), code=303)
    return render_template("letters/reply.html", letter=letter, form=form)

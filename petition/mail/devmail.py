"""Development only: read the mail the app wrote to instance/mail as a person would."""

import os
import re
from email import policy
from email.parser import BytesParser

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("devmail", __name__)

NAME_PATTERN = re.compile(r"^[0-9A-Za-z._-]+\.eml$")
URL_PATTERN = re.compile(r"https?://[^\s<>\"]+")


def _mail_dir():
    return current_app.config["MAIL_FILE_DIR"]


def _read(name):
    with open(os.path.join(_mail_dir(), name), "rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)


@bp.get("/mail")
def mail_list():
    directory = _mail_dir()
    names = sorted(
        (n for n in os.listdir(directory) if NAME_PATTERN.match(n)) if os.path.isdir(directory)
        else [],
        reverse=True,
    )[:200]
    messages = []
    for name in names:
        message = _read(name)
        messages.append({"name": name, "to": message["To"], "subject": message["Subject"],
                         "date": message["Date"]})
    return render_template("dev/mail_list.html", messages=messages, directory=directory)


@bp.get("/mail/<name>")
def mail_message(name):
    if not NAME_PATTERN.match(name) or not os.path.isfile(os.path.join(_mail_dir(), name)):
        abort(404)
    message = _read(name)
    text_part = message.get_body(preferencelist=("plain",))
    text = text_part.get_content() if text_part else ""
    return render_template("dev/mail_message.html", name=name, message=message, text=text,
                           links=URL_PATTERN.findall(text))

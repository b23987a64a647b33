"""The greeting a letter opens with, fit for whom it goes to: "Dear Alder X", "Dear
Representative X and Senator Y", in the current language (Spanish greets each person:
"Estimado/a representante X y estimado/a senador/a Y")."""

from flask_babel import gettext as _

from petition.models.legislator import HOUSE, SENATE


def greeting(people):
    """The greeting for `people`, (role, name) pairs with role "alder", HOUSE or SENATE:
    one person, or a State Representative and a State Senator; "" for nobody."""
    names = dict(people)
    if HOUSE in names and SENATE in names:
        return _("Dear Representative %(representative)s and Senator %(senator)s",
                 representative=names[HOUSE], senator=names[SENATE])
    if HOUSE in names:
        return _("Dear Representative %(name)s", name=names[HOUSE])
    if SENATE in names:
        return _("Dear Senator %(name)s", name=names[SENATE])
    if names.get("alder"):
        return _("Dear Alder %(name)s", name=names["alder"])
    return ""

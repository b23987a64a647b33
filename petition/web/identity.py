"""Who runs the site: the organization's name, logo, about text and contact, from settings."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _


@dataclass(frozen=True)
class Organization:
    name: str
    logo: str | None  # a file under static/
    about: str  # Markdown, in the page's language
    contact_email: str | None
    website: str | None


def organization():
    """The organization behind the site, in the page's language (templates call this)."""
    config = current_app.config
    about = config.get("ORG_ABOUT") or ""
    if str(get_locale() or "en") == "es":
        about = config.get("ORG_ABOUT_ES") or about
    return Organization(name=config.get("ORG_NAME") or _("Chicago petitions"),
                        logo=config.get("ORG_LOGO"), about=about,
                        contact_email=config.get("ORG_CONTACT_EMAIL"),
                        website=config.get("ORG_WEBSITE"))

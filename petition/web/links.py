"""Absolute links for emails, built from PUBLIC_URL rather than the request."""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint, **values):
    """An absolute URL under PUBLIC_URL, usable outside a request (CLI, workers)."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/",
                                       url_scheme=public.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def petition_url(petition):
    """The petition's public page, as an absolute URL (for emails and share links)."""
    return external_url("petitions.petition", slug=petition.slug)

"""Links: absolute ones for emails, built from PUBLIC_URL rather than the request, and
the local paths that `?next=` may send a person back to."""

import unicodedata
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


def local_path(target):
    """`target` if it is a plain path on this site ("/organizer/x?y=1"), else None.

    For `?next=` values, never an open redirect: no scheme or host, no "//" (another
    host to a browser), no backslash (browsers read it as a slash), no white space or
    invisible characters (browsers drop some; a line break cannot go in a header at all).
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(unicodedata.category(ch)[0] in "CZ" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target

"""Views that take a file larger than MAX_CONTENT_LENGTH (a file of signatures to import):
the limit of the request is raised for them only, before anything reads the body."""

from flask import current_app, request

# The form's other fields and the multipart framing, on top of the file itself.
MULTIPART_ALLOWANCE = 64 * 1024
MEGABYTE = 1024 * 1024


def accepts_upload(config_key):
    """Mark a view that takes a file of up to `config[config_key]` bytes."""
    def mark(view):
        view.upload_limit_key = config_key
        return view
    return mark


def upload_limit():
    """The bytes the current request's view takes a file of, or None (not an upload)."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    key = getattr(view, "upload_limit_key", None)
    return current_app.config[key] if key else None


def init_app(app):
    """Register before CSRF protection (csrf.init_app): it reads the form first."""

    @app.before_request
    def _raise_limit_for_uploads():
        limit = upload_limit()
        if limit:
            request.max_content_length = limit + MULTIPART_ALLOWANCE

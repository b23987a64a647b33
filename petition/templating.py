"""Template filters and globals."""

from flask_babel import get_locale
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML off: organizers write Markdown, and nothing they type can inject markup.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text):
    """Markdown to safe HTML."""
    return Markup(_markdown.render(text or ""))


def init_app(app):
    """Register filters, globals and extensions on the Jinja environment."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "en")

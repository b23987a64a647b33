"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from petition import create_app

app = create_app()

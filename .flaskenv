# Read by the `flask` command only (not by gunicorn): a checkout runs in development.
# Production sets APP_ENV=production (the default when this file is not read) and SECRET_KEY.
FLASK_APP=wsgi
APP_ENV=development

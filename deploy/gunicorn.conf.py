"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers: a long CSV export streams on its own thread while the worker keeps
# answering gunicorn's heartbeat, so the arbiter does not kill it as a hung worker.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Load the app (and the geocoder's ~60 ms index) once, then fork: workers share its memory.
preload_app = True
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that slow leaks can never grow without bound.
max_requests = 20000
max_requests_jitter = 2000
# The size limit itself is MAX_CONTENT_LENGTH in the app (a clear 413); these guard headers.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
control_socket_disable = True

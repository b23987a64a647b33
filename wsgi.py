"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from petition import create_app
from petition.services.placement import place_address

app = create_app()

# Load the ward maps and the address parser now, with one real look-up: under
# `gunicorn --preload` the workers then share them (copy-on-write) and no supporter's
# request waits while a fresh worker loads them.
place_address("121 N LaSalle St", "60602")

# Everything loaded so far lives as long as the process: keep the garbage collector from
# walking it in each worker, which would also copy the shared pages into every worker.
gc.freeze()

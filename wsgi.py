"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc
import sys

from petition import create_app
from petition.signing.placement import place_address

app = create_app()

if "gunicorn" in sys.modules:
    # Served by gunicorn (with --preload the master imports this before forking): load the
    # ward maps and the address parser now, with one real look-up, so that the workers
    # share them and no supporter's request waits while a fresh worker loads them. CLI
    # commands (`flask --app wsgi ...`, the outbox worker) skip this: most never geocode.
    place_address("121 N LaSalle St", "60602")
    # All of it lives as long as the process: keep the garbage collector from walking it
    # in each worker, which would also copy the shared pages into every worker.
    gc.freeze()

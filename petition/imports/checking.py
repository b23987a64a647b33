"""Checking a whole file before anything is stored: every row read and checked, placed in
its ward (the sign form's look-up, in worker processes when asked), and compared for
duplicates, inside the file and against the petition's signatures. The rows to store go
to a spool file, so memory holds a window of rows (and one small key per row, to find
duplicates), whatever the file's length.

Duplicates are the paper form's: the same normalised email, or the same first and last
name and address (letters and digits, any case) in the same ward. The first of a file's
duplicates is kept.
"""

import hashlib
import multiprocessing
import pickle
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from petition.extensions import db
from petition.geo import Geocoder
from petition.imports.rows import RowProblem, read_row
from petition.mail.addresses import normalize_email
from petition.models import Signature, WardStatus
from petition.signing.placement import place_address

CHUNK = 500  # rows per look-up task
WINDOW = 8 * CHUNK  # rows read ahead, looked up together
MAX_PROBLEMS = 20  # refused rows listed (all are counted)
SCAN_BATCH = 5000  # the petition's signatures read per round trip


@dataclass
class Report:
    """What a check (and then an import) found: counts, the first problems, by ward."""

    rows: int = 0  # data rows in the file (blank rows aside)
    refused: int = 0
    problems: list = field(default_factory=list)  # [(line, message)], the first ones
    in_file: int = 0  # rows repeating an earlier row of the file
    existing: int = 0  # rows repeating a signature the petition has
    imported: int = 0
    by_ward: Counter = field(default_factory=Counter)  # {ward key: imported}

    @property
    def duplicates(self):
        return self.in_file + self.existing

    @property
    def ok(self):
        return self.refused == 0

    def refuse(self, line, message):
        self.refused += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))


def _digest(text):
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _plain(text):
    """Text compared for duplicates: lower case, letters and digits, single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower()).split())


def name_key(ward, first_name, last_name, address):
    return _digest(f"{ward}|{first_name.lower()}|{last_name.lower()}|{_plain(address)}")


def email_key(email_normalized):
    return _digest(email_normalized) if email_normalized else None


def signature_columns(row, placement, email_normalized):
    """A kept row's signature columns, by name: the signer's, then the placement's. Only a
    row that agreed, and has an email, is opted in to organizers' emails (what blasts
    select on)."""
    return {"first_name": row.first_name, "last_name": row.last_name,
            "email": row.email or "", "email_normalized": email_normalized,
            "address": row.address, "zip": row.zip, "phone": row.phone,
            "opt_in": bool(row.consent and row.email), "signed_on": row.signed_on,
            **placement.signature_columns()}


def refusal(petition, placement):
    """Why the petition refuses a row placed here, or None."""
    if placement.status is WardStatus.OUTSIDE_CHICAGO and not petition.accepts_outside_chicago:
        return _("The address is outside Chicago, and this petition only takes signers "
                 "who live in Chicago.")
    return None


# -- the look-up, in this process or in workers (CPU-bound Python: processes, not threads)

def _place_chunk(pairs):
    geocoder = Geocoder.default()
    return [place_address(address, zip_code, geocoder) for address, zip_code in pairs]


class Placer:
    """Places rows' addresses, with `workers` processes when more than one."""

    def __init__(self, workers=1):
        self.pool = None
        if workers > 1:
            Geocoder.default()  # loaded once here; forked workers share it
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self.pool = context.Pool(workers)

    def submit(self, rows):
        """Start placing `rows` (in the workers, while this process reads on)."""
        pairs = [(row.address, row.zip) for row in rows]
        chunks = [pairs[i:i + CHUNK] for i in range(0, len(pairs), CHUNK)]
        if self.pool is None:
            return chunks  # placed when asked for
        return self.pool.map_async(_place_chunk, chunks)

    def placements(self, submitted):
        """The placements of rows submitted, in their order."""
        parts = submitted if self.pool is None else submitted.get()
        if self.pool is None:
            parts = [_place_chunk(chunk) for chunk in parts]
        return [p for part in parts for p in part]

    def close(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


class Check:
    """One pass over a file: `run()` fills `report` and the spool of rows to store."""

    def __init__(self, petition, table, mapping, *, today, blocked_domains=(), workers=1,
                 on_progress=None):
        self.petition, self.table, self.mapping = petition, table, mapping
        self.today, self.blocked = today, blocked_domains
        self.workers, self.on_progress = workers, on_progress
        self.report = Report()
        self.spool = tempfile.TemporaryFile(prefix="petition-import-")
        self.seen = set()  # keys of the rows kept so far
        self.hits = set()  # of those, keys a stored signature has too

    def run(self):
        placer = Placer(self.workers)
        try:
            window, pending = [], None
            for line, cells in self.table.rows():
                self.report.rows += 1
                try:
                    window.append(read_row(line, cells, self.mapping, today=self.today,
                                           blocked_domains=self.blocked))
                except RowProblem as problem:
                    self.report.refuse(line, str(problem))
                if len(window) >= WINDOW:
                    pending = self._next(placer, pending, window)
                    window = []
            self._next(placer, self._next(placer, pending, window), [])
        finally:
            placer.close()
        if self.report.ok:
            self._find_existing()
        return self.report

    def _next(self, placer, pending, window):
        """Start placing `window`, then keep the rows placed before it: the workers place
        one window while this process reads the next."""
        started = (window, placer.submit(window)) if window else None
        if pending is not None:
            self._keep(pending[0], placer.placements(pending[1]))
        return started

    def _keep(self, rows, placements):
        kept = []
        for row, placement in zip(rows, placements, strict=True):
            problem = refusal(self.petition, placement)
            if problem:
                self.report.refuse(row.line, problem)
                continue
            email = normalize_email(row.email) if row.email else None
            keys = (email_key(email),
                    name_key(placement.ward, row.first_name, row.last_name, row.address))
            if any(k in self.seen for k in keys if k is not None):
                self.report.in_file += 1
                continue
            self.seen.update(k for k in keys if k is not None)
            kept.append((signature_columns(row, placement, email), keys))
        if kept and self.report.ok:  # once a row is refused, nothing will be stored
            pickle.dump(kept, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
        if self.on_progress and rows:
            self.on_progress(len(rows))

    def _find_existing(self):
        """Mark the kept rows' keys that a signature of the petition has too: one read of
        the petition's signatures, whatever the number of rows."""
        query = (select(Signature.email_normalized, Signature.ward, Signature.first_name,
                        Signature.last_name, Signature.address)
                 .where(Signature.petition_id == self.petition.id)
                 .execution_options(yield_per=SCAN_BATCH))
        for email, ward, first, last, address in db.session.execute(query):
            for key in (email_key(email), name_key(ward, first, last, address)):
                if key in self.seen:
                    self.hits.add(key)

    def kept_rows(self):
        """The rows to store, in file order, as signature columns by name, less those
        repeating a stored signature (counted when stored)."""
        self.spool.seek(0)
        while True:
            try:
                chunk = pickle.load(self.spool)
            except EOFError:
                return
            for columns, keys in chunk:
                if any(k in self.hits for k in keys if k is not None):
                    continue  # counted when stored
                yield columns

    def close(self):
        self.spool.close()

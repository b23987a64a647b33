"""Uploaded files kept between the preview and the import: in IMPORT_FOLDER,
named by a random token the server makes (never a name or path the client sent), with a
note of the petition and organizer it belongs to. Deleted after the import, or when
older than a day."""

import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass

KEEP_SECONDS = 24 * 3600
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
COPY_CHUNK = 1 << 20


class UploadTooLarge(ValueError):
    """The upload passed the size limit while it was saved (nothing is kept)."""


@dataclass(frozen=True)
class Upload:
    token: str
    path: str
    petition_id: int
    organizer_id: int | None
    file_name: str


def _folder(folder):
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def save(folder, stream, *, file_name, petition_id, organizer_id, limit):
    """Copy an uploaded stream to a new token's file (UploadTooLarge past `limit` bytes)."""
    folder = _folder(folder)
    forget_old(folder)
    token = secrets.token_urlsafe(24)
    path = os.path.join(folder, token)
    written = 0
    with open(path, "xb") as out:
        while chunk := stream.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                out.close()
                os.remove(path)
                raise UploadTooLarge()
            out.write(chunk)
    with open(path + ".json", "x", encoding="utf-8") as note:
        json.dump({"petition_id": petition_id, "organizer_id": organizer_id,
                   "file_name": os.path.basename(file_name or "")[:255]}, note)
    return Upload(token, path, petition_id, organizer_id, file_name)


def find(folder, token, *, petition_id, organizer_id):
    """The upload a token names, if it belongs to this petition and organizer; else None."""
    if not TOKEN_PATTERN.match(token or ""):
        return None
    path = os.path.join(_folder(folder), token)
    try:
        with open(path + ".json", encoding="utf-8") as note:
            meta = json.load(note)
    except (OSError, ValueError):
        return None
    if meta.get("petition_id") != petition_id or meta.get("organizer_id") != organizer_id \
            or not os.path.exists(path):
        return None
    return Upload(token, path, petition_id, organizer_id, meta.get("file_name") or "")


def discard(upload):
    for path in (upload.path, upload.path + ".json"):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def forget_old(folder, now=None):
    """Delete uploads older than KEEP_SECONDS (abandoned previews)."""
    limit = (now or time.time()) - KEEP_SECONDS
    for entry in os.scandir(folder):
        if entry.is_file() and entry.stat().st_mtime < limit:
            try:
                os.remove(entry.path)
            except FileNotFoundError:
                pass
        elif entry.is_dir():
            shutil.rmtree(entry.path, ignore_errors=True)

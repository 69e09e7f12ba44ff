"""Active content in uploaded PDFs.

A PDF can carry JavaScript (`/JS`, `/JavaScript`), start programs (`/Launch`)
or send its form somewhere (`/SubmitForm`, `/ImportData`) when an officer
opens it. Scanned certificates and signed letters need none of that, so such
files are refused with a message saying how to make a plain PDF.

The names are looked for in the raw bytes (with `#xx` escapes decoded) and,
because dictionaries may hide in compressed object streams, in every object
pypdf can read from those streams.
"""

import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject

log = logging.getLogger(__name__)

ACTIVE_NAMES = {"/JS", "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}
_RAW = re.compile(rb"/(?:JS|JavaScript|Launch|SubmitForm|ImportData|RichMedia)(?![A-Za-z0-9#])")
_ESCAPED_NAME = re.compile(rb"/[A-Za-z0-9]*#[0-9A-Fa-f]{2}[A-Za-z0-9#]*")


def _unescape(name):
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), name).decode("latin-1")


def _in_raw_bytes(data):
    if _RAW.search(data):
        return True
    return any(_unescape(m[0]) in ACTIVE_NAMES for m in _ESCAPED_NAME.finditer(data))


def _in_object_streams(path):
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return None  # cannot look inside: the caller refuses it
    size = int(reader.trailer.get("/Size", 0))
    for number in range(1, min(size, 200_000)):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject) and (ACTIVE_NAMES & set(obj) or obj.get("/S") in ACTIVE_NAMES):
            return True
    return False


def active_content(path):
    """True when the PDF at `path` carries scripts or actions; None when it is
    encrypted and cannot be inspected; False otherwise."""
    data = path.read_bytes()
    if _in_raw_bytes(data):
        return True
    if b"/ObjStm" not in data and b"/Encrypt" not in data:
        return False
    try:
        return _in_object_streams(path)
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError) as exc:
        # A damaged file that viewers repair: the raw bytes held no active names.
        log.info("PDF object streams not readable (%s); raw check passed", exc)
        return False

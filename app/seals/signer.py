"""Who seals: the Signer interface, and the PAdES signer built on pyHanko.

A Signer takes a finished PDF and the box its seal goes in, and returns the
sealed PDF. PadesSigner signs with the office key and certificate named by
the configuration (PKCS#12, or a PEM key and certificate chain), optionally
timestamped by an RFC 3161 server (TSA_URL)."""

import io
import logging
from pathlib import Path
from typing import Protocol

from pyhanko import stamp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter, append_signature_field
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimestampRequestError

from app.seals.blocking import outside_event_loop

FIELD_NAME = "OfficeSeal"
log = logging.getLogger(__name__)


class SealNotConfigured(RuntimeError):
    pass


class SealFailed(RuntimeError):
    """Sealing could not finish now (the timestamp server is down or refused); nothing was issued."""


class Signer(Protocol):
    name: str

    def seal(self, pdf, page, box, reason, location):
        """The sealed PDF's bytes; `box` is (x1, y1, x2, y2) in points on page `page` (0-based)."""


def _paths(value):
    return [Path(p.strip()) for p in (value or "").split(",") if p.strip()]


def load_pyhanko_signer(settings):
    """pyHanko's signer from the settings: SEAL_PKCS12_PATH (+ SEAL_PKCS12_PASSWORD), or
    SEAL_KEY_PATH + SEAL_CERT_PATH (+ SEAL_KEY_PASSWORD, SEAL_CHAIN_PATHS)."""
    chain = _paths(settings.get("SEAL_CHAIN_PATHS"))
    if settings.get("SEAL_PKCS12_PATH"):
        password = settings.get("SEAL_PKCS12_PASSWORD")
        signer = signers.SimpleSigner.load_pkcs12(settings["SEAL_PKCS12_PATH"], ca_chain_files=chain or None,
                                                  passphrase=password.encode() if password else None)
    elif settings.get("SEAL_KEY_PATH") and settings.get("SEAL_CERT_PATH"):
        password = settings.get("SEAL_KEY_PASSWORD")
        signer = signers.SimpleSigner.load(settings["SEAL_KEY_PATH"], settings["SEAL_CERT_PATH"],
                                           ca_chain_files=chain or None,
                                           key_passphrase=password.encode() if password else None)
    else:
        raise SealNotConfigured("no seal key: set SEAL_PKCS12_PATH, or SEAL_KEY_PATH and SEAL_CERT_PATH")
    if signer is None:
        raise SealNotConfigured("the seal key or certificate could not be read (wrong file or password?)")
    return signer


class PadesSigner:
    """PAdES baseline signatures (ETSI.CAdES.detached), SHA-256."""

    name = "pades"

    def __init__(self, settings):
        self._signer = load_pyhanko_signer(settings)
        url = settings.get("TSA_URL")
        self._timestamper = timestamps.HTTPTimeStamper(url) if url else None
        self.certificate = self._signer.signing_cert

    def seal(self, pdf, page, box, reason, location):
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        append_signature_field(writer, SigFieldSpec(sig_field_name=FIELD_NAME, on_page=page, box=box))
        metadata = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, location=location,
                                                subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256")
        # The seal's picture is drawn by the document itself; the signature only adds its time, in the corner.
        style = stamp.TextStampStyle(stamp_text="%(ts)s", border_width=0, timestamp_format="%Y-%m-%d %H:%M:%S")
        pdf_signer = signers.PdfSigner(metadata, signer=self._signer, stamp_style=style,
                                       timestamper=self._timestamper)
        try:
            return outside_event_loop(pdf_signer.sign_pdf, writer).getvalue()
        except (TimestampRequestError, SigningError) as exc:
            log.error("sealing failed: %s", exc)
            raise SealFailed(str(exc)) from exc

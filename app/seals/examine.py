"""What the seal of a PDF someone was given says.

`sealed`: signed by a certificate that chains to our trust roots, every byte
covered and nothing changed after signing. `altered`: our office's signature
is there, but the file changed after sealing (a changed byte, or an
incremental update that edits the pages). `unsealed` / `foreign`: no
signature, or one that does not chain to our roots.

A timestamp (TSA_URL) is checked against the timestamp server's roots; when
it cannot be trusted the seal is judged on its own and no time is reported,
since a token can be stripped or swapped without touching the signed bytes.
"""

import io
import logging
from dataclasses import dataclass

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

from app.seals.blocking import outside_event_loop

log = logging.getLogger(__name__)


@dataclass
class SealCheck:
    state: str  # sealed | altered | unsealed | foreign
    signer: str | None = None
    stamped_at: object = None  # the trusted timestamp's time (aware datetime), when there is one


def _office_signed(signature, office_certificates):
    certificate = getattr(signature, "signer_cert", None)
    return certificate is not None and any(certificate.sha256 == c.sha256 for c in office_certificates)


def _seal_holds(status):
    """The signature's own verdict (pyHanko's bottom line without the timestamp)."""
    return (status.trusted and status.intact and status.valid and status.seed_value_ok
            and (status.docmdp_ok or status.modification_level is None))


def examine(pdf, trust_roots, office_certificates, timestamp_roots=()):
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.info("not a readable PDF: %s", exc)
        return SealCheck("unsealed")
    if not signatures:
        return SealCheck("unsealed")
    signature = signatures[-1]
    ours = _office_signed(signature, office_certificates)
    try:
        timestamps = ValidationContext(trust_roots=list(timestamp_roots)) if timestamp_roots else None
        status = outside_event_loop(validate_pdf_signature, signature,
                                    ValidationContext(trust_roots=list(trust_roots)),
                                    ts_validation_context=timestamps)
    except (SignatureValidationError, SigningError, PdfError, ValueError, KeyError, TypeError) as exc:
        log.info("seal could not be validated: %s", exc)
        return SealCheck("altered" if ours else "foreign")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else None
    if _seal_holds(status):
        stamp = status.timestamp_validity
        trusted_time = stamp.timestamp if stamp is not None and stamp.trusted and stamp.intact else None
        return SealCheck("sealed", signer, trusted_time)
    if ours or status.trusted:
        return SealCheck("altered", signer)
    return SealCheck("foreign", signer)

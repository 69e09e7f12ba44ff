"""Sealing's public face: seal a finished PDF in the office's name, and
examine a PDF someone was given. The signer is made once per process."""

from flask import current_app
from pyhanko.keys import load_cert_from_pemder

from app.seals import devseal
from app.seals.examine import SealCheck, examine
from app.seals.signer import PadesSigner, SealFailed, SealNotConfigured, load_pyhanko_signer

__all__ = ["SealCheck", "SealFailed", "SealNotConfigured", "check_configuration", "examine_pdf", "seal", "signer_name"]

SETTINGS = ("SEAL_PKCS12_PATH", "SEAL_PKCS12_PASSWORD", "SEAL_KEY_PATH", "SEAL_CERT_PATH", "SEAL_KEY_PASSWORD",
            "SEAL_CHAIN_PATHS", "SEAL_TRUST_ROOTS", "TSA_URL", "TSA_TRUST_ROOTS")


def _settings(app):
    """The seal settings; outside production, a development seal when none is configured."""
    settings = {name: app.config.get(name) for name in SETTINGS}
    configured = settings["SEAL_PKCS12_PATH"] or (settings["SEAL_KEY_PATH"] and settings["SEAL_CERT_PATH"])
    if not configured and app.config["APP_ENV"] != "production":
        paths = devseal.ensure_files(app.instance_path)
        settings.update(SEAL_KEY_PATH=str(paths["key"]), SEAL_CERT_PATH=str(paths["cert"]),
                        SEAL_CHAIN_PATHS=str(paths["root"]), SEAL_TRUST_ROOTS=str(paths["root"]))
    return settings


def check_configuration(app):
    """Production must name its seal: a generated one would seal in nobody's name."""
    load_pyhanko_signer(_settings(app))


def _certificates(paths):
    return [load_cert_from_pemder(p.strip()) for p in (paths or "").split(",") if p.strip()]


def _state():
    ext = current_app.extensions
    if "onetrip_seal" not in ext:
        settings = _settings(current_app)
        signer = PadesSigner(settings)
        roots = _certificates(settings.get("SEAL_TRUST_ROOTS") or settings.get("SEAL_CHAIN_PATHS"))
        ext["onetrip_seal"] = {"signer": signer, "roots": roots or [signer.certificate],
                               "timestamp_roots": _certificates(settings.get("TSA_TRUST_ROOTS"))}
    return ext["onetrip_seal"]


def seal(pdf, page, box, reason, location="杭州市萧山区"):
    """The PDF sealed by the office, the seal's signature field over `box` on `page`."""
    return _state()["signer"].seal(pdf, page, box, reason, location)


def signer_name():
    return _state()["signer"].certificate.subject.human_friendly


def examine_pdf(pdf):
    state = _state()
    return examine(pdf, state["roots"], [state["signer"].certificate], state["timestamp_roots"])

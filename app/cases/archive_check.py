"""Checking an archive package (archive.py) the way DA/T 70 asks, as far as a
program can: 真实性 (authentic: every file's SHA-256 is the one the metadata
names, and every issued document's seal holds), 完整性 (complete: the metadata
is there with what it must say, every file it names is in the package and
nothing else is), 可用性 (usable: PDFs open and have pages, images are what
they claim, JSON reads) and 安全性 (safe: no file is infected, when ClamAV is
configured; otherwise the check says it was not run)."""

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.cases import filestore, malware
from app.cases.archive import METADATA
from app.seals import service as seals

CHECKS = ("authentic", "complete", "usable", "safe")
NAMES = {"authentic": "真实性", "complete": "完整性", "usable": "可用性", "safe": "安全性"}
REQUIRED = ("standard", "package_version", "case", "files", "fixity")


@dataclass
class Report:
    path: Path
    problems: dict = field(default_factory=lambda: {check: [] for check in CHECKS})
    skipped: list = field(default_factory=list)  # checks that could not be run here

    @property
    def ok(self):
        return not any(self.problems.values())


def _usable(path, data):
    """Why the file cannot be used, or None."""
    kind = path.rsplit(".", 1)[-1]
    try:
        if kind == "pdf":
            return None if len(PdfReader(io.BytesIO(data)).pages) else "PDF has no pages"
        if kind == "json":
            json.loads(data)
            return None
    except (PdfReadError, ValueError, KeyError) as exc:
        return f"does not open: {exc}"
    if kind in ("jpg", "png"):
        return None if filestore.sniff(data[:16]) == kind else f"is not a {kind} file"
    return f"unknown format {kind}"


def _scan(data):
    with tempfile.NamedTemporaryFile() as tmp:
        tmp.write(data)
        tmp.flush()
        return malware.scan(Path(tmp.name))


def check_package(path):
    """The Report of the package at `path`."""
    report = Report(Path(path))
    try:
        package = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems["usable"].append(f"not a readable ZIP: {exc}")
        return report
    with package:
        names = set(package.namelist())
        try:
            meta = json.loads(package.read(METADATA))
        except (KeyError, ValueError) as exc:
            report.problems["complete"].append(f"{METADATA} missing or unreadable: {exc}")
            return report
        missing_keys = [key for key in REQUIRED if key not in meta]
        if missing_keys:
            report.problems["complete"].append(f"metadata lacks {', '.join(missing_keys)}")
        listed = {entry["path"]: entry for entry in meta.get("files") or []}
        for extra in sorted(names - set(listed) - {METADATA}):
            report.problems["complete"].append(f"{extra}: in the package but not in the metadata")
        scanning = malware.configured()
        if not scanning:
            report.skipped.append("safe")
        for name, entry in listed.items():
            if name not in names:
                report.problems["complete"].append(f"{name}: named in the metadata but missing")
                continue
            data = package.read(name)
            if hashlib.sha256(data).hexdigest() != entry.get("sha256") or len(data) != entry.get("size"):
                report.problems["authentic"].append(f"{name}: SHA-256 or size differs from the metadata")
            if entry.get("category") == "issued_document" and seals.examine_pdf(data).state != "sealed":
                report.problems["authentic"].append(f"{name}: the office's seal does not hold")
            unusable = _usable(name, data)
            if unusable:
                report.problems["usable"].append(f"{name}: {unusable}")
            if scanning:
                infected = _scan(data)
                if infected:
                    report.problems["safe"].append(f"{name}: {infected[1].get('name') or 'not scanned'}")
    return report

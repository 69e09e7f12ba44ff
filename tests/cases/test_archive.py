"""Archive packages (GB/T 42727) of finished cases and their check (DA/T 70):
a completed case's package holds its documents, sealed results, materials,
submissions and timeline, each named in the metadata with its SHA-256; the
check passes it (virus scan by the real clamd included), and fails it when a
byte changes, a file goes missing or one is added."""

import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from app.cases import archive_check
from app.cases import service as cases
from app.cases.models import Application, CaseEvent
from app.extensions import db
from tests.support import clamd, factories
from tests.support.files import PLAIN_PDF


@pytest.fixture
def package(app, published, tmp_path, runner):
    """A completed filing with one material (a PDF with a cross-reference table) and its package."""
    with app.app_context():
        application = factories.make_case("draft", files=False)
        evaluation = cases.evaluate(application)
        cases.upload(application.id, evaluation.spec.material("eia_registration"), io.BytesIO(PLAIN_PDF), "环评.pdf")
        cases.submit(cases.evaluate(application))
        staff = factories.officer()
        cases.decide(application, cases.Decision("accept"), staff)
        cases.decide(application, cases.Decision("complete", project_code=factories.PROJECT_CODE), staff)
        application_id = application.id
    result = runner.invoke(args=["cases", "archive", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        reference = db.session.get(Application, application_id).reference
    path = tmp_path / f"{reference}.zip"
    assert "1 written, 0 already archived" in result.output and path.exists()
    return application_id, path


def _rewrite(path, change):
    """Rewrite the package with `change(name, data)` → data or None (left out); returns the path."""
    with zipfile.ZipFile(path) as package:
        entries = [(name, package.read(name)) for name in package.namelist()]
    with zipfile.ZipFile(path, "w") as package:
        for name, data in entries:
            data = change(name, data)
            if data is not None:
                package.writestr(name, data)
    return path


def test_the_package_of_a_completed_case(app, package):
    application_id, path = package
    with zipfile.ZipFile(path) as zipped:
        names = set(zipped.namelist())
        meta = json.loads(zipped.read("metadata.json"))
        for entry in meta["files"]:
            assert hashlib.sha256(zipped.read(entry["path"])).hexdigest() == entry["sha256"]
    assert meta["standard"].startswith("GB/T 42727") and meta["case"]["project_code"]
    assert {e["category"] for e in meta["files"]} == {"application_document", "issued_document", "material",
                                                      "submissions", "timeline"}
    assert any(n.startswith("issued/filing_certificate-") for n in names)
    assert "documents/application_form.pdf" in names and "timeline.json" in names
    assert names == {e["path"] for e in meta["files"]} | {"metadata.json"}
    with app.app_context():
        assert db.session.scalar(select(CaseEvent).filter_by(application_id=application_id, kind="archived"))


def test_archiving_again_skips_what_is_archived(app, package, runner):
    _application_id, path = package
    result = runner.invoke(args=["cases", "archive", "--out", str(path.parent)])
    assert "0 written, 1 already archived" in result.output


def test_the_check_passes_a_sound_package_through_the_real_clamd(app, package, runner, clamd_socket,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", clamd_socket)
    result = runner.invoke(args=["cases", "check-archive", str(package[1])])
    assert result.exit_code == 0, result.output
    for check in ("真实性 authentic: ok", "完整性 complete: ok", "可用性 usable: ok", "安全性 safe: ok"):
        assert check in result.output


def test_without_a_scanner_the_safety_check_says_it_did_not_run(app, package, runner):
    result = runner.invoke(args=["cases", "check-archive", str(package[1])])
    assert result.exit_code == 0 and "safe: skipped" in result.output


def _flip_a_byte(name, data):
    if name.startswith("materials/"):
        return data[:-1] + bytes([data[-1] ^ 1])
    return data


@pytest.mark.parametrize(("change", "failed", "message"), [
    (_flip_a_byte, "authentic", "SHA-256 or size differs"),
    (lambda name, data: None if name == "timeline.json" else data, "complete", "named in the metadata but missing"),
])
def test_a_changed_package_fails_its_check(app, package, change, failed, message):
    path = _rewrite(package[1], change)
    with app.app_context():
        report = archive_check.check_package(path)
    assert not report.ok and any(message in p for p in report.problems[failed]), report.problems


def test_an_unsealed_result_fails_authenticity_even_with_its_hash_in_the_metadata(app, package):
    _application_id, path = package
    with zipfile.ZipFile(path) as zipped:
        meta = json.loads(zipped.read("metadata.json"))
    issued = next(e for e in meta["files"] if e["category"] == "issued_document")
    issued.update(size=len(PLAIN_PDF), sha256=hashlib.sha256(PLAIN_PDF).hexdigest())
    _rewrite(path, lambda name, data: json.dumps(meta).encode() if name == "metadata.json" else
             PLAIN_PDF if name == issued["path"] else data)
    with app.app_context():
        report = archive_check.check_package(path)
    assert report.problems["authentic"] == [f"{issued['path']}: the office's seal does not hold"]


def test_a_file_the_metadata_does_not_name_fails_completeness(app, package):
    _application_id, path = package
    with zipfile.ZipFile(path, "a") as zipped:
        zipped.writestr("materials/extra/001.png", b"not listed")
    with app.app_context():
        report = archive_check.check_package(path)
    assert any("not in the metadata" in p for p in report.problems["complete"])


def test_an_infected_file_fails_the_safety_check(app, package, clamd_socket, monkeypatch):
    _application_id, path = package
    with zipfile.ZipFile(path) as zipped:
        meta = json.loads(zipped.read("metadata.json"))
    meta["files"].append({"path": "materials/extra/001.png", "category": "material", "format": "png",
                          "size": len(clamd.EICAR), "sha256": hashlib.sha256(clamd.EICAR).hexdigest()})
    with zipfile.ZipFile(path, "a") as zipped:
        zipped.writestr("materials/extra/001.png", clamd.EICAR)
    _rewrite(path, lambda name, data: json.dumps(meta).encode() if name == "metadata.json" else data)
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", clamd_socket)
    with app.app_context():
        report = archive_check.check_package(path)
    assert any("Eicar-Test-Signature" in p for p in report.problems["safe"]), report.problems
    assert any("is not a png file" in p for p in report.problems["usable"])

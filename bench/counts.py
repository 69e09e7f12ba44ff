"""Work done per request, counted (counts do not drift with the machine's speed):
answer resolutions on the check and status pages, document layouts per single
download, spec compilations and golden-example runs per admin editor view, and
documents written by `flask documents render`.

    .venv/bin/python bench/counts.py

Walks the wizard over HTTP with Flask's test client on a fresh SQLite file, so
the same script runs on older commits too (that is how the "before" figures in
docs/performance.md were taken). The last line is JSON.
"""

import html
import importlib
import io
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the root, not bench/ (bench/queue.py shadows `queue`)

from flask_migrate import upgrade

from app import create_app
from tests.support.answers import domestic_steps
from tests.support.files import PDF

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
MATERIAL_RE = re.compile(r'action="/applications/\d+/materials/([a-z_]+)"')
COUNTED = {
    "resolutions": ("app.rules.visibility", "resolve"),
    "layouts": ("app.documents.layout", "build_document"),
    "spec_compilations": ("app.specs.loader", "compile_spec"),
    "golden_example_runs": ("app.rules.service", "run_example"),
    "pdf_writes": ("app.documents.pdf", "render_pdf"),
    "docx_writes": ("app.documents.word", "render_docx"),
}
counts = Counter()


def _count(name, function):
    def counted(*args, **kwargs):
        counts[name] += 1
        return function(*args, **kwargs)

    return counted


def install_counters():
    """Replace every reference to each counted function, in every loaded app module."""
    for name, (module_name, attribute) in COUNTED.items():
        original = getattr(importlib.import_module(module_name), attribute)
        wrapper = _count(name, original)
        for module in [m for key, m in sys.modules.items() if key.startswith("app") and m is not None]:
            for key, value in list(vars(module).items()):
                if value is original:
                    setattr(module, key, wrapper)
                elif isinstance(value, dict):  # tables of functions, e.g. FORMATS = {"pdf": (mimetype, writer)}
                    for item, entry in list(value.items()):
                        if isinstance(entry, tuple) and original in entry:
                            value[item] = tuple(wrapper if part is original else part for part in entry)


class Browser:
    def __init__(self, client):
        self.client, self.token = client, None

    def get(self, path):
        response = self.client.get(path)
        match = response.mimetype == "text/html" and CSRF_RE.search(response.get_data(as_text=True))
        if match:
            self.token = match[1]
        return response

    def post(self, path, data=None, page=None, **kwargs):
        self.get(page or path)
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token}, **kwargs)


def signed_in(app, phone, role=None):
    """A test client with the session Flask-Login sets at sign-in (works on older commits too)."""
    from app.auth.models import User, UserRole
    from app.extensions import db

    with app.app_context():
        user = User(phone=phone, display_name="张三", enterprise_name="杭州示例科技有限公司")
        if role:
            user.roles.append(UserRole(role=role))
        db.session.add(user)
        db.session.commit()
        user_id = user.get_id()
    browser = Browser(app.test_client())
    with browser.client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    return browser


def measured(label, results, action):
    counts.clear()
    response = action()
    status = getattr(response, "status_code", None)
    if status is not None and status >= 400:
        raise RuntimeError(f"{label}: HTTP {status}")
    results[label] = {name: counts[name] for name in COUNTED if counts[name]}


def walk(applicant, app_id):
    url = f"/applications/{app_id}/steps/enterprise"
    steps = domestic_steps()
    while "/steps/" in url:
        step_id = url.split("/steps/")[1].split("?")[0]
        response = applicant.post(url, {**steps[step_id], "action": "next"})
        url = response.headers["Location"]
    page = applicant.get(f"/applications/{app_id}/materials").get_data(as_text=True)
    for material in sorted(set(MATERIAL_RE.findall(page))):
        applicant.post(f"/applications/{app_id}/materials/{material}",
                       {"file": (io.BytesIO(PDF), f"{material}.pdf")},
                       page=f"/applications/{app_id}/materials", content_type="multipart/form-data")


def main():
    workdir = Path(tempfile.mkdtemp(prefix="onetrip-counts-"))
    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "counts-secret-key-0123456789abcdef",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/counts.sqlite3",
                      "UPLOAD_DIR": str(workdir / "uploads"), "WTF_CSRF_ENABLED": True})
    app.logger.disabled = True
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    runner.invoke(args=["specs", "publish", str(ROOT / "forms_spec" / "enterprise_investment.yaml")])
    install_counters()
    results = {}
    applicant = signed_in(app, "+8613812345678")
    officer = signed_in(app, "+8613900000001", role="officer")
    admin = signed_in(app, "+8613900000002", role="admin")

    app_id = int(re.search(r"/applications/(\d+)/", applicant.post(
        "/applications/new", page="/applications/").headers["Location"])[1])
    walk(applicant, app_id)
    measured("check page", results, lambda: applicant.get(f"/applications/{app_id}/check"))
    measured("draft PDF download", results,
             lambda: applicant.get(f"/applications/{app_id}/documents/application_form.pdf"))
    applicant.post(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")
    measured("status page", results, lambda: applicant.get(f"/applications/{app_id}"))
    measured("applicant PDF download", results,
             lambda: applicant.get(f"/applications/{app_id}/documents/receipt.pdf"))
    measured("officer PDF download", results,
             lambda: officer.get(f"/review/cases/{app_id}/documents/receipt.pdf"))
    measured("officer case page", results, lambda: officer.get(f"/review/cases/{app_id}"))

    draft = re.search(r"/admin/specs/(\d+)", admin.post("/admin/specs/drafts", page="/admin/specs")
                      .headers["Location"])[1]
    text = admin.get(f"/admin/specs/{draft}").get_data(as_text=True)
    source = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', text, re.S)[1]
    changed = html.unescape(source).replace("label: 项目名称,", "label: 项目名称（全称）,", 1)
    measured("admin editor: save a change", results, lambda: admin.post(f"/admin/specs/{draft}", {"text": changed}))
    measured("admin editor: view after the save", results, lambda: admin.get(f"/admin/specs/{draft}"))
    measured("admin editor: view again", results, lambda: admin.get(f"/admin/specs/{draft}"))

    answers = workdir / "answers.json"
    answers.write_text((ROOT / "tests" / "documents" / "demo_answers.json").read_text(encoding="utf-8"),
                       encoding="utf-8")
    measured("flask documents render", results,
             lambda: runner.invoke(args=["documents", "render", str(answers), "--out", str(workdir / "out")]))

    width = max(len(k) for k in results)
    for label, found in results.items():
        print(f"{label:<{width}}  " + ", ".join(f"{k}={v}" for k, v in found.items()))
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()

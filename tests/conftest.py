import os
import re
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db, limiter
from app.publishing import service as publishing
from app.specs import service as specs
from tests.support import factories
from tests.support.browser import Browser
from tests.support.catalogue import compile_catalogues

CODE_RE = re.compile(r"验证码是(\d{6})")


def _database_url(tmp_path_factory):
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def _drop_everything():
    """Start the session from an empty database, whatever an earlier run left."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    meta.drop_all(bind=db.engine)


# Shared rate-limit storage of the production apps: a Redis database of the pass's own
# (.ci/run runs the SQLite and the PostgreSQL passes at the same time).
PRODUCTION_LIMITS = os.environ.get("TEST_RATELIMIT_URL", "redis://127.0.0.1:6379/2")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    compile_catalogues()  # a plain `pytest` on a fresh checkout needs the English catalogue too
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "SECRET_KEY": "test-secret-key-not-for-production",
    })
    app.instance_path = str(instance)
    with app.app_context():
        _drop_everything()
        upgrade()  # the real migrations, never create_all
    yield app
    with app.app_context():
        db.engine.dispose()


def _clear_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        # A browser test's live server may still be answering the page's last request while the
        # next test starts: TRUNCATE then meets its read locks and PostgreSQL may call it a
        # deadlock. The request ends in a moment; try again rather than fail the next test.
        for attempt in range(5):
            try:
                db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                break
            except OperationalError:
                db.session.rollback()
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_state(app, tmp_path):
    # Files live beside the rows: a fresh folder per test, as the tables are emptied per test
    # (ids start again at 1, and a packet kept by an earlier test would be served otherwise).
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    with app.app_context():
        _clear_tables()
        limiter.reset()
        app.extensions.pop("onetrip_sms_backend", None)
    yield
    with app.app_context():
        db.session.remove()


@pytest.fixture
def uploads_dir(app):
    return Path(app.config["UPLOAD_DIR"])


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory):
    """An office seal as production would be given one (here self-signed, made once)."""
    from app.seals import devseal

    paths = devseal.make_files(tmp_path_factory.mktemp("seal"), "萧山区发展和改革局")
    return {"SEAL_KEY_PATH": str(paths["key"]), "SEAL_CERT_PATH": str(paths["cert"]),
            "SEAL_CHAIN_PATHS": str(paths["root"]), "SEAL_TRUST_ROOTS": str(paths["root"])}


@pytest.fixture
def production(monkeypatch, tmp_path, seal_files):
    """Makes production apps: a real secret, shared rate-limit storage, a public address, a seal."""
    monkeypatch.setenv("SECRET_KEY", "a-real-production-secret-0123456789")
    monkeypatch.delenv("REDIS_URL", raising=False)

    def make(**overrides):
        return create_app({"APP_ENV": "production", "RATELIMIT_STORAGE_URI": PRODUCTION_LIMITS,
                           "PUBLIC_BASE_URL": "https://touzi.example.gov.cn", **seal_files,
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/production.db", **overrides})

    return make


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """Read what the SMS outbox holds, as a person reading their phone would."""
    from app.sms import service as sms

    class Outbox:
        def to(self, phone):
            with app.app_context():
                return [m.body for m in sms.messages_to(phone)]

        def last_code(self, phone):
            bodies = self.to(phone)
            assert bodies, f"no SMS to {phone}"
            return CODE_RE.search(bodies[-1]).group(1)

        def all(self):
            with app.app_context():
                return list(reversed(sms.recent_messages(1000)))

    return Outbox()


@pytest.fixture
def sign_in(app, outbox):
    """Sign a browser in through the real SMS-code journey; grant roles first."""
    from app.auth import service as auth

    def _sign_in(browser, phone="+8613812345678", role=None, profile=True):
        if role:
            with app.app_context():
                auth.grant_role(phone, role)
        browser.submit("/auth/sign-in", {"phone": phone})
        response = browser.submit("/auth/verify", {"code": outbox.last_code(phone)})
        assert response.status_code == 302
        if profile and "/auth/profile" in response.headers["Location"]:
            browser.submit("/auth/profile", {"display_name": "张三", "enterprise_name": "杭州示例科技有限公司"})
        return browser

    return _sign_in


@pytest.fixture
def login_as(app):
    """A browser signed in as `phone` (with `role`), without the SMS journey
    (tests/auth walks that one): the session Flask-Login would set."""
    from app.auth import service as auth

    def _login_as(phone=factories.APPLICANT_PHONE, role=None, ip="127.0.0.1", client=None):
        with app.app_context():
            user = auth.grant_role(phone, role) if role else factories.applicant(phone)
            if role:
                auth.account(user.phone, display_name=f"演示{role}")
            user_id = user.get_id()
        browser = Browser(client or app.test_client(), ip=ip)
        with browser.client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user_id, True
        return browser

    return _login_as


@pytest.fixture
def officer(login_as):
    return login_as(factories.OFFICER_PHONE, role="officer", ip="10.8.8.8")


# --- Applications: shared by the wizard, documents and review tests -------------
@pytest.fixture
def published(app):
    with app.app_context():
        version, _ = publishing.publish_file(specs.SPEC_DIR / "enterprise_investment.yaml", app.config["SITE_LEVEL"])
        return version.id


@pytest.fixture
def case(app, published):
    """Makes a case in a state through cases.service (tests/support/factories.py); returns its id."""

    def _case(state="submitted", **options):
        with app.app_context():
            return factories.make_case(state, **options).id

    return _case


@pytest.fixture
def applicant(login_as, client, published):
    return login_as(client=client)


@pytest.fixture
def new_application(applicant):
    def _new(browser=applicant):
        response = browser.submit("/applications/new", page="/applications/")
        assert response.status_code == 302, response.get_data(as_text=True)
        match = re.search(r"/applications/(\d+)/steps/(\w+)", response.headers["Location"])
        return int(match[1])

    return _new


MATERIAL_FORM_RE = re.compile(r'action="/applications/(\d+)/materials/([a-z_]+)"')


def needed_materials(browser, app_id):
    page = browser.get(f"/applications/{app_id}/materials").get_data(as_text=True)
    return sorted({m for _, m in MATERIAL_FORM_RE.findall(page)})


@pytest.fixture
def supply_materials():
    """Upload a small PDF for every material the application currently needs."""
    from tests.support.files import PDF, upload

    def _supply(browser, app_id):
        supplied = needed_materials(browser, app_id)
        for material_id in supplied:
            response = browser.submit(f"/applications/{app_id}/materials/{material_id}",
                                      {"file": upload(PDF, f"{material_id}.pdf")},
                                      page=f"/applications/{app_id}/materials", content_type="multipart/form-data")
            assert response.status_code == 302, response.get_data(as_text=True)
        return supplied

    return _supply


@pytest.fixture
def complete(supply_materials):
    """Walk every step, supply the materials and submit; returns the submit response."""
    from tests.support.wizard import walk

    def _complete(browser, app_id, steps):
        walk(browser, app_id, steps)
        supply_materials(browser, app_id)
        return browser.submit(f"/applications/{app_id}/submit", page=f"/applications/{app_id}/check")

    return _complete


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real clamd (Debian's clamav-daemon) with a local EICAR signature: its socket path."""
    from tests.support import clamd

    process, sock = clamd.start(tmp_path_factory.mktemp("clamd"))
    yield str(sock)
    process.terminate()
    process.wait(timeout=10)

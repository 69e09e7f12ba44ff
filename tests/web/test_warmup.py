"""A fresh worker compiles the live spec, its document templates and the page
templates before its first request."""

from sqlalchemy.exc import OperationalError

from app.documents import templates as documents_templates
from app.specs import service as specs
from app.warmup import warm_up


def test_warm_up_compiles_the_live_spec_and_every_page_template(app, published):
    specs._COMPILED.clear()
    documents_templates._compiled.cache_clear()
    app.jinja_env.cache.clear()

    warm_up(app)

    with app.app_context():
        assert specs.live_version().sha256 in specs._COMPILED
        assert documents_templates._compiled.cache_info().currsize >= 4
    cached = {key[1] for key in app.jinja_env.cache}
    assert {"base.html", "wizard/step.html", "wizard/check.html"} <= cached


def test_warm_up_without_a_database_schema_leaves_compiling_for_later(app, monkeypatch, caplog):
    def no_tables():
        raise OperationalError("SELECT", {}, Exception("no such table: spec_versions"))

    monkeypatch.setattr(specs, "live_versions", no_tables)
    warm_up(app)  # does not raise: the first request compiles instead
    assert "spec warm-up skipped" in caplog.text

"""Saving a step: one guarded UPDATE."""

import pytest
from sqlalchemy import update

from app.cases import service as cases
from app.cases.models import Application
from app.extensions import db

SUBMITTED = cases.Status.SUBMITTED


def test_a_save_racing_a_submit_changes_nothing(case, app):
    app_id = case("draft")
    with app.app_context():
        application = db.session.get(Application, app_id)  # loaded as a draft …
        with db.engine.begin() as other:  # … then submitted from another tab
            other.execute(update(Application).where(Application.id == app_id)
                          .values(status=SUBMITTED))
        with pytest.raises(PermissionError):
            cases.save_step(cases.evaluate(application), {"project_name": "改过的名字"}, "project")
        db.session.rollback()
        db.session.expire_all()
        stored = db.session.get(Application, app_id)
        assert stored.answers.get("project_name") != "改过的名字"
        assert stored.status == SUBMITTED


def test_save_merges_drops_blanks_and_keeps_the_merged_answers_on_the_object(case, app):
    app_id = case("draft")
    with app.app_context():
        application = db.session.get(Application, app_id)
        saved = cases.save_step(cases.evaluate(application), {"project_name": "甲", "site_address": "乙"}, "project")
        saved = cases.save_step(saved, {"site_address": None}, "project")
        merged = saved.answers
        assert merged["project_name"] == "甲" and "site_address" not in merged
        assert application.answers == merged  # the object keeps what was saved …
        assert saved.snapshot["project_name"] == "甲"  # … and so does the evaluation it hands back
        db.session.expire_all()
        assert db.session.get(Application, app_id).answers == merged
        assert db.session.get(Application, app_id).project_name == "甲"

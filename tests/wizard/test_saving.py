"""Saving a step: one guarded UPDATE."""

import pytest
from sqlalchemy import update

from app.extensions import db
from app.wizard import service
from app.wizard.models import Application, ApplicationStatus


def test_a_save_racing_a_submit_changes_nothing(applicant, new_application, app):
    app_id = new_application()
    with app.app_context():
        application = db.session.get(Application, app_id)  # loaded as a draft …
        with db.engine.begin() as other:  # … then submitted from another tab
            other.execute(update(Application).where(Application.id == app_id)
                          .values(status=ApplicationStatus.SUBMITTED))
        with pytest.raises(PermissionError):
            service.save_answers(application, {"project_name": "改过的名字"}, "project")
        db.session.rollback()
        db.session.expire_all()
        stored = db.session.get(Application, app_id)
        assert stored.answers.get("project_name") != "改过的名字"
        assert stored.status == ApplicationStatus.SUBMITTED


def test_save_returns_the_merged_answers_and_drops_blanks(applicant, new_application, app):
    app_id = new_application()
    with app.app_context():
        application = db.session.get(Application, app_id)
        service.save_answers(application, {"project_name": "甲", "site_address": "乙"}, "project")
        application = db.session.get(Application, app_id)
        merged = service.save_answers(application, {"site_address": None}, "project")
        assert merged["project_name"] == "甲" and "site_address" not in merged
        assert db.session.get(Application, app_id).answers == merged

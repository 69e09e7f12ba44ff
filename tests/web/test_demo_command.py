"""`flask demo` (the run command): the staff accounts, and which seal the documents carry."""

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


def test_demo_grants_the_staff_roles_and_names_the_development_seal(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "officer: +8613900000001" in result.output and "admin:   +8613900000002" in result.output
    assert "development seal in instance/seal/" in result.output and "萧山区发展和改革局" in result.output
    with app.app_context():
        roles = {u.phone: u.role_names for u in db.session.scalars(select(User)).unique()}
    assert roles == {"+8613900000001": {"applicant", "officer"}, "+8613900000002": {"applicant", "admin"}}

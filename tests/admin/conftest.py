"""The admins' tests sign in as one admin."""

import pytest


@pytest.fixture
def admin(app, login_as, published):
    return login_as("+8613900000002", role="admin", ip="10.7.7.7")

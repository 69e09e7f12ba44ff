"""Who may open an application: its owner. Checked once per request, by the
decorator, before the view runs; anyone else gets a 404 (not a 403: another
applicant's case does not exist for them)."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.cases import service as cases


def owned_application(view):
    """The view receives the signed-in applicant's `application` instead of its id."""

    @wraps(view)
    @login_required
    def wrapped(application_id, **kwargs):
        application = cases.owned_application(current_user, application_id)
        if application is None:
            abort(404)
        return view(application, **kwargs)

    return wrapped

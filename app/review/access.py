"""Who may open a submitted case on the officers' side: an officer. Checked
once per request, by the decorator, before the view runs."""

from functools import wraps

from flask import abort

from app.auth.service import role_required
from app.cases import service as cases


def submitted_case(view):
    """The view receives the submitted `application` instead of its id (404 for drafts)."""

    @wraps(view)
    @role_required("officer")
    def wrapped(application_id, **kwargs):
        application = cases.submitted_case(application_id)
        if application is None:
            abort(404)
        return view(application, **kwargs)

    return wrapped

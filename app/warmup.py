"""What a fresh web worker does before it takes its first request.

Compiling the live spec and the page templates costs about a second of CPU per
worker. Done lazily, that second lands on whichever applicant happens to be
first after every start or recycle (gunicorn.conf.py recycles workers)."""

import logging

from sqlalchemy.exc import SQLAlchemyError

from app.documents import service as documents
from app.extensions import db
from app.specs import service as specs

log = logging.getLogger(__name__)


def warm_up(app):
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    with app.app_context():
        try:
            versions = specs.live_versions()
        except SQLAlchemyError as exc:  # no database yet (first deploy): compile on demand instead
            log.warning("spec warm-up skipped: %s", exc)
            versions = []
        for version in versions:
            spec = specs.compiled(version)
            documents.template_problems(spec)  # compiles every template of the live version
        db.session.remove()

"""What a fresh web worker does before it takes its first request.

Compiling the live spec and the page templates costs about a second of CPU per
worker. Done lazily, that second lands on whichever applicant happens to be
first after every start or recycle (gunicorn.conf.py recycles workers)."""

import logging

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


def warm_up(app):
    from app.specs import service as specs

    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    with app.app_context():
        try:
            specs.warm_up()
        except SQLAlchemyError as exc:  # no database yet (first deploy): compile on demand instead
            log.warning("spec warm-up skipped: %s", exc)

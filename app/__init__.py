"""OneTrip (最多跑一次): enterprise investment project filing for a district."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as settings
from app.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the application. `config` is a config class name or a dict of overrides."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), instance_relative_config=True)
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app, config):
    import os

    overrides = config if isinstance(config, dict) else {}
    env = (overrides.get("APP_ENV") or (config if isinstance(config, str) else None)
           or os.environ.get("APP_ENV", "development"))
    app.config.from_object(settings.CONFIGS[env])
    settings.from_environment(app)
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings.resolve_database_uri(app)
    settings.load_secret_key(app)
    settings.check_production(app)
    if app.config["APP_ENV"] == "production":
        from app.seals.service import check_configuration

        check_configuration(app)  # a production site seals in its office's name, never a generated one
        from app.sms.service import check_configuration as check_sms

        check_sms(app)  # a template-only provider without its template codes could send nothing
    from app.cases.service import startup_warnings

    # Not refusals: a site may run without them, but its admins must know (the admin page lists them).
    app.config["STARTUP_WARNINGS"] = startup_warnings(app.config)
    for warning in app.config["STARTUP_WARNINGS"]:
        logging.getLogger("app").warning("start-up: %s", warning)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logging.basicConfig(level=logging.INFO)


def register_extensions(app):
    from app.auth.service import load_user
    from app.web.i18n import install_template_gettext, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    import app.models


def register_blueprints(app):
    from app.web.params import IdConverter

    app.url_map.converters["int"] = IdConverter
    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.guide.routes import bp as guide_bp
    from app.review.after_filing_routes import bp as review_after_filing_bp
    from app.review.routes import bp as review_bp
    from app.sms.receipts import bp as sms_receipts_bp
    from app.sms.routes import bp as dev_sms_bp
    from app.verify.routes import bp as verify_bp
    from app.web.routes import bp as web_bp
    from app.wizard.after_filing_routes import bp as after_filing_bp
    from app.wizard.delivery_routes import bp as delivery_bp
    from app.wizard.document_routes import bp as applicant_documents_bp
    from app.wizard.material_routes import bp as materials_bp
    from app.wizard.routes import bp as wizard_bp

    for blueprint in (web_bp, auth_bp, wizard_bp, materials_bp, applicant_documents_bp, delivery_bp, review_bp,
                      admin_bp, verify_bp, sms_receipts_bp, guide_bp, after_filing_bp, review_after_filing_bp):
        app.register_blueprint(blueprint)
    if app.config["DEV_SMS_PAGE"]:
        app.register_blueprint(dev_sms_bp)


def register_errorhandlers(app):
    from app.web.errors import register_errorhandlers as register

    register(app)


def register_template_helpers(app):
    from app.web import security, templating

    templating.register(app)
    security.register(app)


def register_commands(app):
    from app.auth.commands import users_cli
    from app.cases.commands import accounts_cli, cases_cli, lifecycle_cli
    from app.publishing.commands import documents_cli, rules_cli, specs_cli
    from app.seals.commands import seal_cli
    from app.sms.commands import sms_cli
    from app.web.commands import demo_command
    from app.worker import worker_command

    app.cli.add_command(users_cli)
    app.cli.add_command(sms_cli)
    app.cli.add_command(specs_cli)
    app.cli.add_command(rules_cli)
    app.cli.add_command(documents_cli)
    app.cli.add_command(seal_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(lifecycle_cli)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(cases_cli)

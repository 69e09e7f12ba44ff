"""/guide and /check-my-project: the service guide and the self-check, open to
anyone, on the live spec. Nothing here writes to the database until a signed-in
applicant asks to start a filing with the self-check's answers."""

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.cases import service as cases
from app.extensions import limiter
from app.guide import content, samples, selfcheck
from app.guide.flow import flow_svg
from app.names import FILING_TYPES
from app.specs import service as specs
from app.web import service as web

bp = Blueprint("guide", __name__, template_folder="templates")


def _limit():
    return current_app.config["GUIDE_IP_LIMIT"]


def _live_spec():
    version = specs.live_version()
    if version is None:
        abort(503)
    return specs.compiled(version)


def _days(days):
    return _("即时") if not days else _("%(n)s个工作日", n=days)


@bp.get("/guide")
@limiter.limit(_limit)
def guide():
    spec, lang = _live_spec(), web.current_lang()
    guide_model = content.guide_of(spec)
    steps = guide_model.raw.get("steps") or []
    drawing = flow_svg([(content.localized(s, "title", lang), s.get("days", 0)) for s in steps], _days)
    return render_template("guide/guide.html", spec=spec, guide=guide_model, lang=lang, steps=steps, flow=drawing,
                           time_limits=current_app.config["CASE_TIME_LIMITS"], localized=content.localized,
                           condition=content.condition_in_words,
                           samples=dict(samples.sample_documents(spec, current_app.config["SITE_LEVEL"])),
                           form_labels=cases.MATERIAL_FORM_LABELS, days=_days, filing_types=FILING_TYPES)


@bp.get("/guide/samples/<document_id>.pdf")
@limiter.limit(_limit)
def sample(document_id):
    found = samples.sample_pdf(_live_spec(), document_id, current_app.config["SITE_LEVEL"])
    if found is None:
        abort(404)
    title, pdf = found
    return web.send_bytes(pdf, "application/pdf", f"样表-{title}.pdf", inline=True)


def _render_check(spec, result, lang, status=200):
    return render_template("guide/check.html", spec=spec, check=result, lang=lang, outcome=result.outcome,
                           time_limits=current_app.config["CASE_TIME_LIMITS"], filing_types=FILING_TYPES), status


@bp.get("/check-my-project")
@limiter.limit(_limit)
def check():
    spec, lang = _live_spec(), web.current_lang()
    result = selfcheck.check(spec, request.args, current_app.config["SITE_LEVEL"], lang)
    return _render_check(spec, result, lang, 422 if result.errors else 200)


@bp.post("/check-my-project/start")
@limiter.limit(_limit)
def start():
    """Carry the self-check's answers into a new application (after sign-in)."""
    spec, lang = _live_spec(), web.current_lang()
    result = selfcheck.check(spec, request.form, current_app.config["SITE_LEVEL"], lang)
    if result.errors:
        return _render_check(spec, result, lang, 422)
    answers = selfcheck.stored_answers(result)
    if not current_user.is_authenticated:
        # The answers ride in the address sign-in returns to: nothing is stored,
        # and signing in (which starts a fresh session) cannot lose them.
        query = urlencode(list(selfcheck.as_form(spec, answers).items(multi=True)))
        return redirect(url_for("auth.sign_in", next=f"{url_for('guide.resume')}?{query}"))
    application = cases.start(current_user, answers=answers)
    flash(_("已用自查时的回答新建申请，请逐步核对并补全。"), "success")
    return redirect(url_for("wizard.step", application_id=application.id,
                            step_id=cases.spec_of(application).steps[0].id))


@bp.get("/check-my-project/resume")
@login_required
def resume():
    """After sign-in: the carried answers, and one button to start the filing with them."""
    spec, lang = _live_spec(), web.current_lang()
    result = selfcheck.check(spec, request.args, current_app.config["SITE_LEVEL"], lang)
    if result.errors or not result.answered:
        return redirect(url_for("guide.check", **request.args))
    return render_template("guide/resume.html", check=result, lang=lang)

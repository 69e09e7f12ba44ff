"""The officers' area: queue, case page, decisions, files, documents, statistics."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.auth.service import role_required
from app.cases import service as cases
from app.clock import CHINA
from app.messages import N_
from app.review import stats_view
from app.review.access import submitted_case
from app.review.corrections import correction
from app.review.forms import DecisionForm
from app.review.names import CaseNames
from app.review.timeline import timeline
from app.specs import service as specs
from app.web import service as web

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")
PER_PAGE = 25
TOTAL_INVESTMENT = "total_investment_wan"  # the spec's computed total (万元), as the documents print it
CSV_HEADER = [N_("受理编号"), N_("项目名称"), N_("项目单位"), N_("统一社会信用代码"), N_("状态"), N_("办理类型"),
              N_("层级"), N_("超出区级权限"), N_("行业门类"), N_("镇街"), N_("提交时间"), N_("已用工作日"),
              N_("时限（工作日）"), N_("总投资（万元）"), N_("项目代码")]


def _filter_from_request():
    args = request.args
    return cases.QueueFilter(
        state=args.get("state", ""), filing_type=args.get("type", ""), level=args.get("level", ""),
        escalated=args.get("escalated", ""), section=args.get("section", ""), town=args.get("town", ""),
        since=web.date_value(args.get("since")), until=web.date_value(args.get("until")),
        q=args.get("q", "")[:100], sort=args.get("sort", "submitted"),
    )


def _names():
    """The names of the codes on a case, from the live spec, in the officer's language."""
    live = specs.live_version()
    return CaseNames(specs.compiled(live) if live else None, web.current_lang())


@bp.get("/")
@role_required("officer")
def queue():
    """The queue of submitted cases, with filters, search, sorting, pages and CSV."""
    f = _filter_from_request()
    names = _names()
    if request.args.get("format") == "csv":
        return _csv(cases.queue_export(f, answer_ids=(TOTAL_INVESTMENT,)), names)
    page = web.page_number(request.args.get("page"))
    after = request.args.get("after") or None
    if after and cases.parse_queue_cursor(after) is None:
        web.bad_request(_("分页参数无效，请从第一页重新翻页。"))
    found = cases.queue(f, page, PER_PAGE, after)
    now = clock.utcnow()
    return render_template(
        "review/queue.html", rows=[(a, *cases.time_limit_clock(a, now)) for a in found.rows], found=found,
        total=found.total, page=page, keyset=bool(after),
        pages=max((found.total + PER_PAGE - 1) // PER_PAGE, 1), f=f, counts=cases.cached_counts_by_state(), names=names,
        args=request.args, watch=cases.cached_watch_counts(now),
    )


def china_time(value):
    """A stored (naive UTC) time as the district's clock shows it: 2026-03-02 09:38."""
    if value is None:
        return ""
    return value.replace(tzinfo=dt.UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _number(stored):
    """A stored decimal (a string) as a number the spreadsheet sums; "" when there is none."""
    try:
        return Decimal(stored) if stored not in (None, "") else ""
    except InvalidOperation:
        return stored


def _csv(exported, names):
    now = clock.utcnow()
    rows = ([a.reference, a.project_name, a.enterprise_name, a.credit_code, names.status(a.status.value),
             names.filing_type(a.filing_type), names.level(a.level), names.yes_no(a.escalated),
             names.section(a.industry_section), names.town(a.town), china_time(a.submitted_at),
             cases.time_limit_clock(a, now)[0], cases.time_limit(a), _number(answers.get(TOTAL_INVESTMENT)),
             a.project_code or ""]
            for a, answers in exported)
    return web.csv_response("queue.csv", [web.translate(h) for h in CSV_HEADER], rows)


def _targets(evaluation, lang):
    choices = [("", _("（不指定）"))]
    for step in evaluation.resolved.steps:
        choices.append((f"step:{step.id}", f"【{step.text('title', lang)}】"))
        choices.extend((f"field:{f.id}", f"  {f.text('label', lang)}") for f in evaluation.resolved.shown_fields(step)
                       if not f.computed)
    return choices


def _decision_form(application, evaluation, lang):
    form = DecisionForm()
    form.action.choices = [(a, web.translate(cases.ACTION_LABELS[a])) for a in cases.allowed_decisions(application)]
    for i in range(1, 4):
        form[f"target_{i}"].choices = _targets(evaluation, lang)
    form.known_fields, form.known_steps = evaluation.resolved.fields, {s.id for s in evaluation.resolved.steps}
    return form


@bp.route("/cases/<int:application_id>", methods=["GET", "POST"])
@submitted_case
def case(application):
    lang = web.current_lang()
    evaluation = cases.evaluate_submission(application, lang)
    form = _decision_form(application, evaluation, lang)
    if not form.is_submitted() and application.amends is not None:
        form.project_code.data = application.amends.project_code  # a 备案变更 keeps its project code
    back = url_for("review.case", application_id=application.id)
    if form.validate_on_submit():
        fields, steps = form.corrections(form.known_fields, form.known_steps)
        decision = cases.Decision(action=form.action.data or "", reason=form.reason_text(),
                                  project_code=form.project_code.data or "", field_reasons=fields,
                                  step_reasons=steps)
        try:
            cases.decide(application, decision, current_user)
        except cases.DecisionRefused as exc:
            flash(web.error_text(exc), "error")
            return redirect(back + "#decide"), 303
        flash(_("已%(action)s，并已短信通知申请人。", action=web.translate(cases.ACTION_LABELS[decision.action])),
              "success")
        return redirect(back)
    # A problem with what was typed: the page again, with the choice, the text and each message at its field.
    status = 422 if form.is_submitted() else 200
    days, clock_state = cases.time_limit_clock(application)
    events = cases.events(application)
    return render_template(
        "review/case.html", application=application, evaluation=evaluation, spec=evaluation.spec,
        submission=evaluation.submission, outcome=evaluation.outcome, checklist=evaluation.checklist,
        timeline=timeline(application.submissions, events, cases.messages_of(application)),
        correction=correction(application, events, evaluation.spec, lang),
        form=form, days=days, clock_state=clock_state, docs=evaluation.document_titles(), lang=lang,
        names=CaseNames(evaluation.spec, lang),
        issued=cases.issued_of(application.id), courier=cases.courier_request_of(application.id),
        after=cases.after_filing_of(application),
    ), status


@bp.get("/cases/<int:application_id>/files/<int:file_id>")
@submitted_case
def case_file(application, file_id):
    stored = cases.file_of(application, file_id)
    if stored is None:
        abort(404)
    inline = request.args.get("inline") == "1"
    cases.record(application, current_user, "file_viewed" if inline else "file_downloaded",
                 file=stored.original_name, material=stored.material_id)
    return web.send_upload(cases.file_path(stored), stored.content_type, stored.download_name, inline=inline)


@bp.get("/cases/<int:application_id>/documents/<document_id>.<fmt>")
@submitted_case
def document(application, document_id, fmt):
    rendered = cases.document(cases.evaluate_submission(application), document_id, fmt)
    if rendered is None:
        abort(404)
    name, mimetype, data = rendered
    cases.record(application, current_user, "document_downloaded", document=document_id, format=fmt)
    return web.send_bytes(data, mimetype, f"{application.reference}-{name}", inline=fmt == "pdf")


@bp.get("/cases/<int:application_id>/packet.zip")
@submitted_case
def packet(application):
    data, pending = cases.packet(application)
    if pending:
        return render_template("documents/packet_pending.html", application=application), 202
    cases.record(application, current_user, "packet_downloaded")
    return web.send_bytes(data, "application/zip", f"{application.reference}.zip")


def _issued_of_case(application, issued_id):
    document = cases.issued_by_id(issued_id)
    if document is None or document.application_id != application.id:
        abort(404)
    return document


@bp.get("/cases/<int:application_id>/issued/<int:issued_id>.pdf")
@submitted_case
def issued(application, issued_id):
    document = _issued_of_case(application, issued_id)
    cases.record(application, current_user, "issued_downloaded", document=document.title)
    return web.send_bytes(cases.issued_file(document), "application/pdf",
                          f"{application.reference}-{document.kind}.pdf", inline=True)


@bp.post("/cases/<int:application_id>/issued/<int:issued_id>/revoke")
@submitted_case
def revoke_issued(application, issued_id):
    document = _issued_of_case(application, issued_id)
    back = url_for("review.case", application_id=application.id) + "#issued"
    try:
        cases.revoke_issued(document, current_user, request.form.get("reason", "")[:500])
    except cases.DecisionRefused as exc:
        flash(web.error_text(exc), "error")
        return redirect(back), 303
    flash(_("已撤销《%(title)s》，公开核验页面将显示为已撤销。", title=document.title), "success")
    return redirect(back)


@bp.post("/cases/<int:application_id>/dispatch")
@submitted_case
def dispatch(application):
    back = url_for("review.case", application_id=application.id) + "#courier"
    try:
        problems = cases.dispatch_courier(application, current_user, request.form)
    except cases.CourierRefused as exc:
        flash(web.error_text(exc), "error")
        return redirect(back), 303
    for message, params in problems.values():
        flash(_(message, **params), "error")
    if not problems:
        flash(_("已登记寄出，并已短信通知申请人。"), "success")
    return redirect(back), 303 if problems else 302


@bp.get("/stats")
@role_required("officer")
def stats():
    return render_template("review/stats.html", **stats_view.figures(_names()))

"""The officers' area: queue, case page, decisions, files, statistics."""

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.service import role_required
from app.documents import cases as case_documents
from app.links import public_url
from app.review import service, stats_view
from app.review.forms import DecisionForm
from app.review.workdays import working_days_between
from app.rules import service as rules
from app.specs import service as specs
from app.web import downloads, params, spreadsheet
from app.wizard import service as wizard
from app.wizard import uploads

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")
PER_PAGE = 25


def _filter_from_request():
    args = request.args
    return service.QueueFilter(
        state=args.get("state", ""), filing_type=args.get("type", ""), level=args.get("level", ""),
        escalated=args.get("escalated", ""), section=args.get("section", ""), town=args.get("town", ""),
        since=params.date_value(args.get("since")), until=params.date_value(args.get("until")),
        q=args.get("q", "")[:100],
        sort=args.get("sort", "submitted"),
    )


def clock(application, now=None):
    """(working days since submission, 'ok' | 'near' | 'over') against the limit for its type."""
    if application.submitted_at is None:
        return None, "ok"
    days = working_days_between(application.submitted_at, now or dt.datetime.now(dt.UTC).replace(tzinfo=None))
    limit = current_app.config["CASE_TIME_LIMITS"].get(application.filing_type or "", 20)
    state = "over" if days > limit else ("near" if days >= limit * 0.8 else "ok")
    return days, state


@bp.get("/")
@role_required("officer")
def queue():
    """The queue of submitted cases, with filters, search, sorting, pages and CSV."""
    f = _filter_from_request()
    if request.args.get("format") == "csv":
        return _csv(service.queue_all(f))
    page = params.page_number(request.args.get("page"))
    rows, total = service.queue(f, page, PER_PAGE)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    spec = specs.compiled(specs.live_version()) if specs.live_version() else None
    return render_template(
        "review/queue.html", rows=[(a, *clock(a, now)) for a in rows], total=total, page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1), f=f, counts=service.counts_by_state(),
        sections=[o for o in (spec.lists.get("industry") or []) if not o.get("parent")] if spec else [],
        towns=spec.lists.get("towns") or [] if spec else [], args=request.args,
    )


def _csv(applications):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    header = ["受理编号", "项目名称", "项目单位", "统一社会信用代码", "状态", "办理类型", "层级", "超出区级权限",
              "行业门类", "镇街", "提交时间", "已用工作日"]
    rows = ([a.reference, a.project_name, a.enterprise_name, a.credit_code, a.status.value, a.filing_type, a.level,
             "是" if a.escalated else "否", a.industry_section, a.town,
             a.submitted_at.isoformat(timespec="minutes") if a.submitted_at else "", clock(a, now)[0]]
            for a in applications)
    return spreadsheet.csv_response("queue.csv", header, rows)


def _case_or_404(application_id):
    application = wizard.submitted_case(application_id)
    if application is None:
        abort(404)
    return application


def _targets(spec, resolved):
    choices = [("", _("(不指定)"))]
    for step in resolved.steps:
        choices.append((f"step:{step.id}", f"【{step.title}】"))
        choices.extend((f"field:{f.id}", f"  {f.label}") for f in resolved.shown_fields(step) if not f.computed)
    return choices


def _decision_form(application, spec, resolved):
    form = DecisionForm()
    form.action.choices = [(a, str(service.ACTION_NAMES[a])) for a in service.allowed_actions(application)]
    for i in range(1, 4):
        form[f"target_{i}"].choices = _targets(spec, resolved)
    return form


@bp.route("/cases/<int:application_id>", methods=["GET", "POST"])
@role_required("officer")
def case(application_id):
    application = _case_or_404(application_id)
    spec = wizard.spec_of(application)
    submission = application.submissions[-1]
    resolved = rules.resolve(spec, submission.answers)
    form = _decision_form(application, spec, resolved)
    if form.validate_on_submit():
        fields, steps = form.corrections(resolved.fields, {s.id for s in resolved.steps})
        decision = service.Decision(action=form.action.data or "", reason=form.reason.data or "",
                                    project_code=form.project_code.data or "", field_reasons=fields,
                                    step_reasons=steps)
        try:
            service.decide(application, decision, current_user)
        except service.DecisionRefused as exc:
            flash(_(exc.message, **exc.params), "error")
            return redirect(url_for("review.case", application_id=application.id) + "#decide"), 303
        flash(_("已%(action)s,并已短信通知申请人。", action=str(service.ACTION_NAMES[decision.action])), "success")
        return redirect(url_for("review.case", application_id=application.id))
    if form.errors and "csrf_token" not in form.errors:
        for field_name, messages in form.errors.items():
            flash(f"{form[field_name].label.text}:{' '.join(str(m) for m in messages)}", "error")
        return redirect(url_for("review.case", application_id=application.id) + "#decide"), 303
    days, clock_state = clock(application)
    status_url = public_url("wizard.view", application_id=application.id)
    return render_template(
        "review/case.html", application=application, spec=spec, resolved=resolved, submission=submission,
        answers=submission.answers, outcome=submission.outcome or {}, materials=submission.materials or [],
        files={f.material_id: f for f in application.files}, events=service.events(application),
        messages=service.sms_for(application), form=form, days=days, clock_state=clock_state,
        docs=case_documents.links(application, current_app.config["SITE_LEVEL"], status_url),
        format_answer=specs.format_answer, lang="zh_CN",
    )


@bp.get("/cases/<int:application_id>/files/<int:file_id>")
@role_required("officer")
def case_file(application_id, file_id):
    application = _case_or_404(application_id)
    stored = wizard.materials.file_of(application, file_id)
    if stored is None:
        abort(404)
    inline = request.args.get("inline") == "1"
    service.record(application, current_user, "file_viewed" if inline else "file_downloaded",
                   file=stored.original_name, material=stored.material_id)
    return downloads.send_upload(uploads.path_of(stored.stored_name), stored.content_type, stored.download_name,
                                 inline=inline)


@bp.get("/stats")
@role_required("officer")
def stats():
    return render_template("review/stats.html", **stats_view.figures())


EVENT_LABELS = {"accept": _l("受理"), "return": _l("退回补正"), "complete": _l("办结"), "forward": _l("转报"),
                "not_accept": _l("不予受理"), "packet_downloaded": _l("下载材料包"),
                "document_downloaded": _l("下载文件"), "file_viewed": _l("查看材料"), "file_downloaded": _l("下载材料")}


@bp.app_context_processor
def event_labels():
    return {"event_label": lambda kind: str(EVENT_LABELS.get(kind, kind))}

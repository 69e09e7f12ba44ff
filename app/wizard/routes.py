"""The applicant's wizard: my applications, one page per step, check answers, submit."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.documents import cases
from app.links import public_url
from app.messages import N_
from app.review import service as review
from app.rules import service as rules
from app.specs import service as specs
from app.web.i18n import translate
from app.wizard import forms, service, widgets
from app.wizard.models import EDITABLE, ApplicationStatus

bp = Blueprint("wizard", __name__, url_prefix="/applications", template_folder="templates")
bp.add_app_template_global(widgets.select_options, "select_options")


def _lang():
    return str(get_locale() or "zh_CN")


def _owned_or_404(application_id):
    application = service.owned_application(current_user, application_id)
    if application is None:
        abort(404)
    return application


def _draft_or_redirect(application):
    if application.status not in EDITABLE:
        flash(_("该申请已提交,不能再修改。"), "info")
        return redirect(url_for("wizard.view", application_id=application.id))
    return None


@bp.get("/")
@login_required
def my_applications():
    return render_template("wizard/list.html", applications=service.applications_of(current_user))


@bp.post("/new")
@login_required
def new():
    try:
        application = service.start_application(current_user)
    except service.NoLiveSpec:
        flash(_("申报表单尚未发布,请稍后再试。"), "error")
        return redirect(url_for("wizard.my_applications"))
    spec = service.spec_of(application)
    return redirect(url_for("wizard.step", application_id=application.id, step_id=spec.steps[0].id))


@bp.post("/<int:application_id>/delete")
@login_required
def delete(application_id):
    application = _owned_or_404(application_id)
    if application.status != ApplicationStatus.DRAFT:
        abort(400)
    service.delete_draft(application)
    flash(_("草稿已删除。"), "info")
    return redirect(url_for("wizard.my_applications"))


def _neighbours(resolved, step):
    ids = [s.id for s in resolved.steps]
    index = ids.index(step.id) if step.id in ids else -1
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if 0 <= index < len(ids) - 1 else None
    return previous, following


def _site_level():
    return current_app.config["SITE_LEVEL"]


def _panel(application, spec, lang, resolved):
    """The live panel: who may approve, and the materials checklist (states only)."""
    outcome = rules.outcome(spec, application.answers or {}, _site_level(), lang, resolved)
    return {"outcome": outcome, "checklist": service.materials.states(application.id, outcome)}


def _render_step(application, spec, step, form, answers, resolved, errors=None, posted_rows=None, status=200):
    """The step page; `resolved` is rules.resolve(spec, answers), done once by the caller."""
    lang = _lang()
    panel = _panel(application, spec, lang, resolved)
    correction = review.latest_return(application)
    warnings = [p for p in rules.step_problems(spec, answers, step, lang, resolved) if p.severity == "warning"]
    extra = request.args.get("add")
    rows = {}
    for spec_field in step.fields:
        if spec_field.columns:
            if posted_rows and spec_field.id in posted_rows:
                rows[spec_field.id] = posted_rows[spec_field.id]
            else:
                stored = answers.get(spec_field.id) or []
                rows[spec_field.id] = [{c.id: c.type.form_value(r.get(c.id)) for c in spec_field.columns}
                                       for r in stored]
            wanted = max(len(rows[spec_field.id]), spec_field.constraints.get("min_rows", 1), 1)
            if extra == spec_field.id:
                wanted = len(rows[spec_field.id]) + 1
            rows[spec_field.id] += [{} for _ in range(wanted - len(rows[spec_field.id]))]
    computed = {f.id: specs.format_answer(f, resolved.stored.get(f.id), lang)
                for f in step.fields if f.computed}
    # Shown fields, plus hidden ones that a field of this step can reveal
    # (wizard.js shows them without a reload).
    on_this_step = {f.id for f in step.fields}
    fields = [f for f in step.fields if f.id in resolved.fields or (f.show_if and f.show_if.names & on_this_step)]
    return render_template(
        "wizard/step.html", application=application, spec=spec, step=step, fields=fields, form=form, lang=lang,
        resolved=resolved, rows=rows, computed=computed, errors=errors or {}, panel=panel, warnings=warnings,
        corrections=(correction.data or {}) if correction else {}, correction=correction,
        return_to=request.values.get("return_to"), step_number=[s.id for s in resolved.steps].index(step.id) + 1
        if step in resolved.steps else None,
    ), status


def _fill_form(form, step, answers):
    for spec_field in step.fields:
        if spec_field.id in form:
            form[spec_field.id].data = spec_field.type.form_value(answers.get(spec_field.id))


@bp.route("/<int:application_id>/steps/<step_id>", methods=["GET", "POST"])
@login_required
def step(application_id, step_id):
    application = _owned_or_404(application_id)
    if (response := _draft_or_redirect(application)) is not None:
        return response
    spec = service.spec_of(application)
    current = spec.step(step_id)
    if current is None:
        abort(404)
    form_class = forms.build_form_class(current)
    answers = application.answers or {}
    resolved = rules.resolve(spec, answers)
    if current not in resolved.steps:
        flash(_("根据您之前的回答,这一步无需填写。"), "info")
        return redirect(url_for("wizard.check", application_id=application.id))

    if request.method == "GET":
        form = form_class(formdata=None)
        _fill_form(form, current, answers)
        return _render_step(application, spec, current, form, answers, resolved)

    try:
        forms.check_keys(current, request.form)
        action, table_id, row_index = forms.parse_action(current, request.form.get("action"))
    except forms.TamperedForm:
        abort(400)
    form = form_class()
    form.validate()  # CSRF is checked globally; field checks are ours (clean_step)
    cleaned, errors = forms.clean_step(current, form, request.form)
    if errors:
        errors = _shown_only(spec, current, answers, cleaned, errors)
    posted_rows = {f.id: forms.table_rows(f, request.form) for f in current.fields if f.columns}
    if action == "remove_row" and row_index < len(posted_rows[table_id]):
        posted_rows[table_id].pop(row_index)
        cleaned, errors = forms.clean_step(current, form, _rows_to_formdata(request.form, table_id,
                                                                           posted_rows[table_id]))
    if errors:
        # Nothing is stored from a post with malformed values: the page comes
        # back with what was typed and a message at each problem.
        return _render_step(application, spec, current, form, answers, resolved, errors, posted_rows, status=422)

    # The committed row is not read back: the success path uses these answers
    # and the id from the URL (a reload would cost a query per step).
    answers = service.save_answers(application, cleaned, current.id)
    resolved = rules.resolve(spec, answers)
    previous, following = _neighbours(resolved, current)
    here = url_for("wizard.step", application_id=application_id, step_id=current.id,
                   return_to=request.form.get("return_to") or None)

    if action == "add_row":
        return redirect(url_for("wizard.step", application_id=application_id, step_id=current.id,
                                add=table_id, return_to=request.form.get("return_to") or None) + "#" + table_id)
    if action == "remove_row":
        return redirect(here)
    if action == "save":
        flash(_("已保存。您可以随时回来继续填写。"), "success")
        return redirect(url_for("wizard.my_applications"))
    if action == "back":
        target = previous or current.id
        return redirect(url_for("wizard.step", application_id=application_id, step_id=target))

    problems = [p for p in rules.step_problems(spec, answers, current, _lang(), resolved) if p.severity == "error"]
    if problems:
        step_errors = {}
        for problem in problems:
            step_errors.setdefault(problem.field_id or "_step", _(problem.message, **problem.params))
        form = form_class(formdata=None)
        _fill_form(form, current, answers)
        return _render_step(application, spec, current, form, answers, resolved, step_errors, status=422)
    if request.form.get("return_to") == "check" or following is None:
        return redirect(url_for("wizard.check", application_id=application_id))
    return redirect(url_for("wizard.step", application_id=application_id, step_id=following))


def _shown_only(spec, step, answers, cleaned, errors):
    """Hidden means gone: a malformed value in a question the other answers hide is ignored."""
    merged = {**answers, **{k: v for k, v in cleaned.items() if k not in errors and v is not None}}
    shown = rules.resolve(spec, merged).fields
    return {key: message for key, message in errors.items() if key.split("-")[0] in shown}


def _documents(application, evaluated=None):
    """Links to the documents this application's packet holds (`evaluated`: see cases.links)."""
    status_url = public_url("wizard.view", application_id=application.id)
    return cases.links(application, _site_level(), status_url, live=application.status in EDITABLE,
                       evaluated=evaluated)


def _rows_to_formdata(formdata, table_id, rows):
    """The posted form with one table's cells renumbered after a row was removed."""
    from werkzeug.datastructures import MultiDict

    data = MultiDict([(k, v) for k, v in formdata.items(multi=True)
                      if not forms.CELL_RE.match(k) or forms.CELL_RE.match(k)[1] != table_id])
    for index, row in enumerate(rows):
        for column, value in row.items():
            data.add(f"{table_id}-{index}-{column}", value)
    return data


@bp.get("/<int:application_id>/check")
@login_required
def check(application_id):
    application = _owned_or_404(application_id)
    if (response := _draft_or_redirect(application)) is not None:
        return response
    spec = service.spec_of(application)
    return _render_check(application, spec)


def _render_check(application, spec, status=200, rejected=None, missing=None):
    lang = _lang()
    resolved, outcome, problems, checklist = service.evaluate(application, _site_level(), lang)
    panel = {"outcome": outcome, "checklist": checklist, "problems": problems}
    return render_template("wizard/check.html", application=application, spec=spec, resolved=resolved,
                           docs=_documents(application, (outcome, checklist)),
                           problems=[p for p in problems if p.severity == "error"],
                           warnings=[p for p in problems if p.severity == "warning"], panel=panel,
                           rejected=rejected, missing=missing, lang=lang, format_answer=specs.format_answer), status


@bp.post("/<int:application_id>/submit")
@login_required
def submit(application_id):
    application = _owned_or_404(application_id)
    if application.status not in EDITABLE:
        # A second click or a replayed post: the case already exists.
        return redirect(url_for("wizard.submitted", application_id=application.id))
    spec = service.spec_of(application)
    try:
        service.submit(application, _site_level())
    except service.Incomplete:
        flash(_("还有未完成的内容,请按提示修改后再提交。"), "error")
        return _render_check(application, spec, status=422)
    except service.Rejected as exc:
        return _render_check(application, spec, status=422, rejected=exc.outcome)
    except service.MaterialsMissing as exc:
        return _render_check(application, spec, status=422, missing=exc.missing)
    except service.PreviewOnly:
        flash(_("这是草稿规范的预览申请,不能提交。"), "info")
        return _render_check(application, spec, status=422)
    cases.prepare_packet(application, public_url("wizard.view", application_id=application.id))
    return redirect(url_for("wizard.submitted", application_id=application.id))


@bp.get("/<int:application_id>/submitted")
@login_required
def submitted(application_id):
    application = _owned_or_404(application_id)
    if application.status in EDITABLE:
        return redirect(url_for("wizard.check", application_id=application.id))
    return render_template("wizard/submitted.html", application=application, docs=_documents(application))


@bp.get("/<int:application_id>")
@login_required
def view(application_id):
    application = _owned_or_404(application_id)
    if application.status == ApplicationStatus.DRAFT:
        spec = service.spec_of(application)
        target = application.last_step or spec.steps[0].id
        return redirect(url_for("wizard.step", application_id=application.id, step_id=target))
    spec = service.spec_of(application)
    submission = application.submissions[-1]
    resolved = rules.resolve(spec, submission.answers)
    return render_template("wizard/view.html", application=application, spec=spec, resolved=resolved,
                           decisions=[e for e in review.events(application) if e.to_status],
                           correction=review.latest_return(application),
                           docs=_documents(application),
                           answers=submission.answers, lang=_lang(), format_answer=specs.format_answer)


@bp.post("/<int:application_id>/steps/<step_id>/preview")
@login_required
def preview(application_id, step_id):
    """What the page would show with the answers as typed (nothing is saved):
    which fields of the step are shown, and the computed values."""
    application = _owned_or_404(application_id)
    spec = service.spec_of(application)
    current = spec.step(step_id)
    if current is None or application.status not in EDITABLE:
        abort(404)
    try:
        forms.check_keys(current, request.form)
    except forms.TamperedForm:
        abort(400)
    form = forms.build_form_class(current)()
    cleaned, errors = forms.clean_step(current, form, request.form)
    answers = {**(application.answers or {}), **{k: v for k, v in cleaned.items() if k not in errors}}
    answers = {k: v for k, v in answers.items() if v is not None}
    lang = _lang()
    resolved, outcome, problems = rules.evaluate(spec, answers, _site_level(), lang)
    checklist = service.materials.states(application.id, outcome)
    panel = {"outcome": outcome, "checklist": checklist, "problems": problems}
    return {
        "visible": [f.id for f in current.fields if f.id in resolved.fields],
        "computed": {f.id: specs.format_answer(f, resolved.stored.get(f.id), lang)
                     for f in current.fields if f.computed},
        "outcome": {k: v for k, v in outcome.to_json().items() if k != "matched"},
        "panel_html": render_template("wizard/_panel.html", panel=panel, application=application, lang=lang),
    }


STATUS_LABELS = {"draft": N_("草稿"), "submitted": N_("已提交,待受理"), "accepted": N_("已受理"),
                 "returned": N_("退回补正"), "completed": N_("已办结"), "forwarded": N_("已转报"),
                 "not_accepted": N_("不予受理")}
FILING_TYPE_LABELS = {"filing": N_("备案"), "approval": N_("核准"), "examination": N_("审批"),
                      "rejected": N_("不予办理")}
MATERIAL_STATE_LABELS = {"uploaded": N_("已上传"), "deferred": N_("容缺后补"), "missing": N_("待上传")}


@bp.app_context_processor
def status_labels():
    def label(table):
        return lambda value: translate(table[value]) if value in table else str(value or "")

    return {"status_label": label(STATUS_LABELS), "filing_type_label": label(FILING_TYPE_LABELS),
            "material_state_label": label(MATERIAL_STATE_LABELS)}

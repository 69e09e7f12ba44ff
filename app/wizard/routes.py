"""The applicant's wizard: my applications, one page per step, check answers, submit."""

from flask import Blueprint, abort, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.cases import service as cases
from app.rules import service as rules
from app.web import service as web
from app.wizard import forms, widgets
from app.wizard.access import owned_application

bp = Blueprint("wizard", __name__, url_prefix="/applications", template_folder="templates")
bp.add_app_template_global(widgets.select_options, "select_options")
bp.add_app_template_global(widgets.input_attributes, "input_attributes")


def _draft_or_redirect(application):
    if application.status not in cases.EDITABLE:
        flash(_("该申请已提交，不能再修改。"), "info")
        return redirect(url_for("wizard.view", application_id=application.id))
    return None


@bp.get("/")
@login_required
def my_applications():
    return render_template("wizard/list.html", applications=cases.applications_of(current_user))


@bp.post("/new")
@login_required
def new():
    try:
        application = cases.start(current_user)
    except cases.NoLiveSpec:
        flash(_("申报表单尚未发布，请稍后再试。"), "error")
        return redirect(url_for("wizard.my_applications"))
    return redirect(url_for("wizard.step", application_id=application.id,
                            step_id=cases.spec_of(application).steps[0].id))


@bp.post("/<int:application_id>/delete")
@owned_application
def delete(application):
    if application.status != cases.Status.DRAFT:
        abort(400)
    cases.delete_draft(application)
    flash(_("草稿已删除。"), "info")
    return redirect(url_for("wizard.my_applications"))


def _neighbours(resolved, step):
    ids = [s.id for s in resolved.steps]
    index = ids.index(step.id) if step.id in ids else -1
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if 0 <= index < len(ids) - 1 else None
    return previous, following


def _table_rows(step, answers, posted, extra):
    """The rows each table of the step shows: as posted (after an error), else
    as stored; at least min_rows, one more when the applicant added one."""
    rows = {}
    for spec_field in step.fields:
        if not spec_field.columns:
            continue
        if posted and spec_field.id in posted:
            rows[spec_field.id] = [{c.id: _as_stored(c, row.get(c.id)) for c in spec_field.columns}
                                   for row in posted[spec_field.id]]
        else:
            rows[spec_field.id] = [{c.id: c.type.form_value(r.get(c.id)) for c in spec_field.columns}
                                   for r in answers.get(spec_field.id) or []]
        wanted = max(len(rows[spec_field.id]), spec_field.constraints.get("min_rows", 1), 1)
        if extra == spec_field.id:
            wanted = len(rows[spec_field.id]) + 1
        rows[spec_field.id] += [{} for _ in range(wanted - len(rows[spec_field.id]))]
    return rows


def _as_stored(column, typed):
    """A posted cell as it will show once saved ("30000" → "30000.00"), so that every
    row of a table looks the same after an error; what does not clean stays as typed."""
    try:
        cleaned = column.type.clean(typed, column)
    except ValueError:
        return typed
    return typed if cleaned is None else column.type.form_value(cleaned)


def _panel(evaluation):
    """What the live panel shows: the outcome, the checklist, and the questions a
    verdict still waits for (the rules engine knows what each rule read)."""
    outcome, fields = evaluation.outcome, evaluation.spec.fields
    return {"outcome": outcome, "checklist": evaluation.checklist, "amendment": evaluation.amendment,
            "deciding": [fields[name] for name in outcome.pending],
            "energy_deciding": [fields[name] for name in outcome.energy_pending]}


def _stored_values(step, answers):
    return {f.id: f.type.form_value(answers.get(f.id)) for f in step.fields if not f.columns and not f.computed}


def _posted_values(step, formdata):
    return {f.id: f.type.raw_from_form(formdata, f) for f in step.fields if not f.columns and not f.computed}


def _render_step(evaluation, step, values, errors=None, posted_rows=None, status=200):
    """The step page from the request's one evaluation."""
    application, lang, resolved = evaluation.application, evaluation.lang, evaluation.resolved
    correction = cases.latest_return(application)
    # Shown fields, plus hidden ones that a field of this step can reveal (wizard.js shows them without a reload).
    on_this_step = {f.id for f in step.fields}
    fields = [f for f in step.fields if f.id in resolved.fields or (f.show_if and f.show_if.names & on_this_step)]
    shown_ids = [s.id for s in resolved.steps]
    return render_template(
        "wizard/step.html", application=application, evaluation=evaluation, step=step, fields=fields,
        values=values, lang=lang, resolved=resolved, errors=errors or {},
        panel=_panel(evaluation),
        rows=_table_rows(step, application.answers or {}, posted_rows, request.args.get("add")),
        computed={f.id: f.printed(resolved.stored.get(f.id), lang) for f in step.fields if f.computed},
        warnings=[p for p in evaluation.step_problems(step) if p.severity == "warning"],
        corrections=(correction.data or {}) if correction else {}, correction=correction,
        return_to=request.values.get("return_to"),
        step_number=shown_ids.index(step.id) + 1 if step.id in shown_ids else None,
        skipped=_skipped_steps(evaluation), changed=_changed(evaluation),
    ), status


def _changed(evaluation):
    """For a 备案变更: field id → its cases.Change against the filing ({} for a first filing)."""
    amendment = evaluation.amendment
    return {c.field_id: c for c in amendment.changes} if amendment else {}


def _skipped_steps(evaluation):
    """[(step, the questions whose answers skip it)]: the step list says what is skipped and why."""
    fields, shown = evaluation.spec.fields, set(evaluation.resolved.steps)
    return [(s, [fields[name].text("label", evaluation.lang) for name in sorted(s.show_if.names) if name in fields])
            for s in evaluation.spec.steps if s not in shown and s.show_if is not None]


@bp.route("/<int:application_id>/steps/<step_id>", methods=["GET", "POST"])
@owned_application
def step(application, step_id):
    if (response := _draft_or_redirect(application)) is not None:
        return response
    spec = cases.spec_of(application)
    current = spec.step(step_id)
    if current is None:
        abort(404)
    lang = web.current_lang()
    evaluation = cases.evaluate(application, lang)
    if current not in evaluation.resolved.steps:
        flash(_("根据您之前的回答，这一步无需填写。"), "info")
        return redirect(url_for("wizard.check", application_id=application.id))
    if request.method == "GET":
        return _render_step(evaluation, current, _stored_values(current, application.answers or {}))

    try:
        forms.check_keys(current, request.form)
        action, table_id, row_index = forms.parse_action(current, request.form.get("action"))
    except forms.TamperedForm:
        abort(400)
    cleaned, errors = forms.clean_step(current, request.form)
    if errors:
        errors = _shown_only(spec, current, application.answers or {}, cleaned, errors)
    posted_rows = forms.posted_rows(current, request.form)
    if action == "remove_row" and row_index < len(posted_rows[table_id]):
        posted_rows[table_id].pop(row_index)
        cleaned, errors = forms.clean_step(current, forms.without_row(request.form, table_id, posted_rows[table_id]))
    if errors:
        # Nothing is stored from a post with malformed values: the page comes
        # back with what was typed and a message at each problem.
        return _render_step(evaluation, current, _posted_values(current, request.form), errors, posted_rows,
                            status=422)

    # After the save nothing reads the (expired) row again: the id was taken
    # before, and the new evaluation has everything the success path needs.
    application_id = application.id
    evaluation = cases.save_step(evaluation, cleaned, current.id)
    previous, following = _neighbours(evaluation.resolved, current)
    return_to = request.form.get("return_to") or None
    if action == "add_row":
        return redirect(url_for("wizard.step", application_id=application_id, step_id=current.id, add=table_id,
                                return_to=return_to) + "#" + table_id)
    if action == "remove_row":
        return redirect(url_for("wizard.step", application_id=application_id, step_id=current.id,
                                return_to=return_to))
    if action == "save":
        flash(_("已保存。您可以随时回来继续填写。"), "success")
        return redirect(url_for("wizard.my_applications"))
    if action == "back":
        return redirect(url_for("wizard.step", application_id=application_id, step_id=previous or current.id))

    problems = [p for p in evaluation.step_problems(current) if p.severity == "error"]
    if problems:
        step_errors = {}
        for problem in problems:
            step_errors.setdefault(problem.field_id or "_step", _(problem.message, **problem.params))
        return _render_step(evaluation, current, _stored_values(current, application.answers), step_errors,
                            status=422)
    if return_to == "check" or following is None:
        return redirect(url_for("wizard.check", application_id=application_id))
    return redirect(url_for("wizard.step", application_id=application_id, step_id=following))


def _shown_only(spec, step, answers, cleaned, errors):
    """Hidden means gone: a malformed value in a question the other answers hide is ignored."""
    merged = {**answers, **{k: v for k, v in cleaned.items() if k not in errors and v is not None}}
    shown = rules.evaluate(spec, merged).resolved.fields
    return {key: message for key, message in errors.items() if key.split("-")[0] in shown}


@bp.get("/<int:application_id>/check")
@owned_application
def check(application):
    if (response := _draft_or_redirect(application)) is not None:
        return response
    return _render_check(cases.evaluate(application, web.current_lang()))


def _render_check(evaluation, status=200):
    cases.tell_refusal(evaluation)
    correction = cases.latest_return(evaluation.application) \
        if evaluation.application.status == cases.Status.RETURNED else None
    return render_template("wizard/check.html", application=evaluation.application, evaluation=evaluation,
                           notes=(correction.data or {}) if correction else {},
                           spec=evaluation.spec, lang=evaluation.lang, docs=evaluation.document_titles(),
                           problems=evaluation.errors, warnings=evaluation.warnings,
                           missing=evaluation.missing_materials, panel=_panel(evaluation),
                           changed=_changed(evaluation)), status


@bp.post("/<int:application_id>/submit")
@owned_application
def submit(application):
    if application.status not in cases.EDITABLE:
        # A second click or a replayed post: the case already exists.
        return redirect(url_for("wizard.submitted", application_id=application.id))
    evaluation = cases.evaluate(application, web.current_lang())
    try:
        cases.submit(evaluation)
    except cases.Incomplete:
        flash(_("还有未完成的内容，请按提示修改后再提交。"), "error")
        return _render_check(evaluation, status=422)
    except (cases.Rejected, cases.MaterialsMissing, cases.NeedsNewFiling, cases.NothingChanged):
        return _render_check(evaluation, status=422)
    except cases.PreviewOnly:
        flash(_("这是草稿规范的预览申请，不能提交。"), "info")
        return _render_check(evaluation, status=422)
    if application.status == cases.Status.RECORDED:
        flash(_("已记录本次修改：变化未达到须办理备案变更的程度，原备案证明继续有效。"), "success")
        return redirect(url_for("wizard.view", application_id=application.id))
    return redirect(url_for("wizard.submitted", application_id=application.id))


@bp.get("/<int:application_id>/submitted")
@owned_application
def submitted(application):
    if application.status in cases.EDITABLE:
        return redirect(url_for("wizard.check", application_id=application.id))
    evaluation = cases.evaluate_submission(application, web.current_lang())
    return render_template("wizard/submitted.html", application=application, docs=evaluation.document_titles())


@bp.get("/<int:application_id>")
@owned_application
def view(application):
    if application.status == cases.Status.DRAFT:
        target = application.last_step or cases.spec_of(application).steps[0].id
        return redirect(url_for("wizard.step", application_id=application.id, step_id=target))
    lang = web.current_lang()
    evaluation = cases.evaluate_submission(application, lang)
    docs = cases.evaluate_current(application, lang).document_titles() if application.status in cases.EDITABLE \
        else evaluation.document_titles()
    return render_template("wizard/view.html", application=application, evaluation=evaluation,
                           spec=evaluation.spec, lang=lang, docs=docs,
                           decisions=[e for e in cases.events(application) if e.to_status],
                           correction=cases.latest_return(application), issued=cases.issued_of(application.id),
                           courier=cases.courier_request_of(application.id), messages=cases.messages_of(application),
                           after=cases.after_filing_of(application))


@bp.post("/<int:application_id>/steps/<step_id>/preview")
@owned_application
def preview(application, step_id):
    """What the page would show with the answers as typed (nothing is saved):
    which fields of the step are shown, the computed values and the live panel."""
    spec = cases.spec_of(application)
    current = spec.step(step_id)
    if current is None or application.status not in cases.EDITABLE:
        abort(404)
    try:
        forms.check_keys(current, request.form)
    except forms.TamperedForm:
        abort(400)
    cleaned, errors = forms.clean_step(current, request.form)
    answers = {**(application.answers or {}), **{k: v for k, v in cleaned.items() if k not in errors}}
    lang = web.current_lang()
    evaluation = cases.evaluate_answers(application, {k: v for k, v in answers.items() if v is not None}, lang)
    resolved = evaluation.resolved
    panel = _panel(evaluation)
    changed = _changed(evaluation)
    marks = get_template_attribute("wizard/_inputs.html", "change_mark")
    return {
        "visible": [f.id for f in current.fields if f.id in resolved.fields],
        "change_marks": {f.id: str(marks(f, changed[f.id])) for f in current.fields if f.id in changed},
        "computed": {f.id: f.printed(resolved.stored.get(f.id), lang) for f in current.fields if f.computed},
        "outcome": {k: v for k, v in evaluation.outcome.to_json().items() if k != "matched"},
        "panel_html": render_template("wizard/_panel.html", panel=panel, application=application, lang=lang),
        "bar_html": render_template("wizard/_outcome_bar.html", panel=panel, application=application, lang=lang),
    }

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.cases import service as cases
from app.clock import CHINA
from app.messages import N_
from app.text import NoControlCharacters

CORRECTION_ROWS = 3
NO_PROJECT_CODE = N_("办结时请填写项目代码。")


def _text(label, max_length, **kwargs):
    return TextAreaField(label, validators=[Optional(), Length(max=max_length), NoControlCharacters(multiline=True)],
                         **kwargs)


class DecisionForm(FlaskForm):
    """One decision: a radio group of the allowed actions (none chosen at first) and,
    per action, the fields it needs. What an action needs is checked here, so that
    each problem stands at its field; cases.decide checks it again."""

    action = RadioField(_l("操作"), choices=[], validate_choice=False)
    project_code = StringField(_l("项目代码"),
                               validators=[Optional(), Length(max=40), NoControlCharacters()],
                               render_kw={"placeholder": "2311-330109-04-01-789813"})
    reason = _text(_l("不予受理的理由"), 2000)
    return_reason = _text(_l("补正总体说明（可选）"), 2000)
    forward_reason = _text(_l("转报说明（可选）"), 2000)
    target_1 = SelectField(_l("需修改的内容"), choices=[], validate_choice=False)
    note_1 = StringField(_l("修改要求"), validators=[Optional(), Length(max=500), NoControlCharacters()])
    target_2 = SelectField(_l("需修改的内容"), choices=[], validate_choice=False)
    note_2 = StringField(_l("修改要求"), validators=[Optional(), Length(max=500), NoControlCharacters()])
    target_3 = SelectField(_l("需修改的内容"), choices=[], validate_choice=False)
    note_3 = StringField(_l("修改要求"), validators=[Optional(), Length(max=500), NoControlCharacters()])

    # Set by the page before validating: the field and step ids a correction may name.
    known_fields, known_steps = frozenset(), frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.corrections_errors = []  # the return's rows as a whole: nothing to correct

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return self._action_needs() and valid

    @property
    def has_errors(self):
        return bool(self.errors or self.corrections_errors)

    def reason_text(self):
        """The free text of the chosen action (its reason or note)."""
        field = {"not_accept": self.reason, "return": self.return_reason, "forward": self.forward_reason}.get(
            self.action.data)
        return (field.data or "").strip() if field is not None else ""

    def _action_needs(self):
        action = self.action.data or ""
        if not action:
            self.action.errors.append(_("请选择一项操作。"))
        elif action not in dict(self.action.choices):
            return True  # not allowed now: cases.decide says why (the state may have just changed)
        elif action == "complete":
            code = (self.project_code.data or "").strip()
            wrong = cases.project_code_problem(code, dt.datetime.now(CHINA).date()) if code else (NO_PROJECT_CODE, {})
            if wrong:
                self.project_code.errors.append(_(wrong[0], **wrong[1]))
        elif action == "not_accept" and not self.reason_text():
            self.reason.errors.append(_("不予受理时请填写理由。"))
        elif action == "return":
            self._check_corrections()
        return not self.has_errors

    def _check_corrections(self):
        for i in range(1, CORRECTION_ROWS + 1):
            target, note = self[f"target_{i}"], (self[f"note_{i}"].data or "").strip()
            if note and not self._known(target.data):
                target.errors.append(_("请选择这条修改要求对应的内容。"))
        fields, steps = self.corrections(self.known_fields, self.known_steps)
        if not self.has_errors and not (self.reason_text() or fields or steps):
            self.corrections_errors.append(_("退回补正时请说明需要修改的内容。"))

    def _known(self, target):
        kind, _sep, ident = (target or "").partition(":")
        return (kind == "field" and ident in self.known_fields) or (kind == "step" and ident in self.known_steps)

    def corrections(self, known_fields, known_steps):
        """({field id: note}, {step id: note}) from the rows that name a known target."""
        fields, steps = {}, {}
        for i in range(1, CORRECTION_ROWS + 1):
            target, note = self[f"target_{i}"].data or "", (self[f"note_{i}"].data or "").strip()
            kind, _sep, ident = target.partition(":")
            if not note:
                continue
            if kind == "field" and ident in known_fields:
                fields[ident] = note
            elif kind == "step" and ident in known_steps:
                steps[ident] = note
        return fields, steps

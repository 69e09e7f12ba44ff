from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.text import NoControlCharacters

CORRECTION_ROWS = 3


class DecisionForm(FlaskForm):
    action = RadioField(_l("操作"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("理由或说明"),
                           validators=[Optional(), Length(max=2000), NoControlCharacters(multiline=True)])
    project_code = StringField(_l("项目代码(办结时必填)"),
                               validators=[Optional(), Length(max=40), NoControlCharacters()],
                               render_kw={"placeholder": "2311-330109-04-01-789813"})
    target_1 = SelectField(_l("需修改的内容"), choices=[], validate_choice=False)
    note_1 = StringField(_l("修改要求"), validators=[Optional(), Length(max=500), NoControlCharacters()])
    target_2 = SelectField(_l("需修改的内容"), choices=[], validate_choice=False)
    note_2 = StringField(_l("修改要求"), validators=[Optional(), Length(max=500), NoControlCharacters()])
    target_3 = SelectField(_l("需修改的内容"), choices=[], validate_choice=False)
    note_3 = StringField(_l("修改要求"), validators=[Optional(), Length(max=500), NoControlCharacters()])

    def corrections(self, known_fields, known_steps):
        """({field id: note}, {step id: note}) from the rows that name a known target."""
        fields, steps = {}, {}
        for i in range(1, CORRECTION_ROWS + 1):
            target, note = self[f"target_{i}"].data or "", (self[f"note_{i}"].data or "").strip()
            kind, _, ident = target.partition(":")
            if not note:
                continue
            if kind == "field" and ident in known_fields:
                fields[ident] = note
            elif kind == "step" and ident in known_steps:
                steps[ident] = note
        return fields, steps

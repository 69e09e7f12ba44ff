from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.text import NoControlCharacters

NOTE_MAX = 500  # spec_versions.note and admin_audit.note are String(500)


def _tidy(text):
    """Line breaks as one character each (browsers send CRLF), no blank edges."""
    return text.replace("\r\n", "\n").strip() if isinstance(text, str) else text


class ChangeNoteForm(FlaskForm):
    """Publishing and rolling back ask why: the note goes into the version list and the audit log."""

    note = TextAreaField(
        _l("变更说明"),
        filters=[_tidy],
        validators=[DataRequired(message=_l("请填写变更说明，写明改了什么、为什么。未填写时不会发布。")),
                    Length(max=NOTE_MAX, message=_l("变更说明不超过500个字。")),
                    NoControlCharacters(multiline=True)],
        render_kw={"rows": 4, "maxlength": NOTE_MAX},
    )

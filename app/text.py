"""What characters a stored text may hold.

Control characters (other than tab and, in multi-line texts, the line break)
are invisible, mean nothing in a form, and are not allowed in XML: one in a
project name made every Word document of the case fail to build. They are
refused where people type, and dropped where documents are written (for
texts stored before they were refused).
"""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app.messages import N_

# C0 and C1 controls except tab and line feed, DEL, lone surrogates and the
# two non-characters XML forbids.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
CONTROL_RE = re.compile(f"[{_CONTROL}]")
SINGLE_LINE_CONTROL_RE = re.compile(f"[{_CONTROL}\n]")


def has_control_characters(text, multiline=False):
    return bool((CONTROL_RE if multiline else SINGLE_LINE_CONTROL_RE).search(text))


def printable(text):
    """`text` without the characters that cannot be written to a document."""
    return CONTROL_RE.sub("", text) if CONTROL_RE.search(text) else text


CONTROL_MESSAGE = N_("不能包含控制字符等不可见字符（常见于从其他软件复制的内容），请删除后重新输入。")


class NoControlCharacters:
    """WTForms validator for the forms that are not built from a spec."""

    def __init__(self, multiline=False):
        self.multiline = multiline

    def __call__(self, form, field):
        if isinstance(field.data, str) and has_control_characters(field.data, self.multiline):
            raise ValidationError(_l(CONTROL_MESSAGE))

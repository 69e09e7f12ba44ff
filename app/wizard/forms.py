"""A step's form: what a post may hold, and reading it through the field types.

No WTForms here: the CSRF token is Flask-WTF's (checked for every POST by
CSRFProtect), and every field's value is read and checked by its field type
(specs/fieldtypes), the same code that reads JSON answers, so a form post and
an outside check cannot disagree. Table cells are plain inputs named
`{field}-{row}-{column}`.
"""

import re

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from app.specs.service import FieldValueError, TableErrors

CELL_RE = re.compile(r"^([a-z][a-z0-9_]*)-(\d{1,3})-([a-z][a-z0-9_]*)$")
ACTION_RE = re.compile(r"^(next|back|save)$|^(add_row):([a-z][a-z0-9_]*)$|^(remove_row):([a-z][a-z0-9_]*):(\d{1,3})$")
CONTROL_KEYS = {"csrf_token", "action", "return_to"}
MAX_VALUE_LENGTH = 20_000  # longer than any field allows: a tampered post


class TamperedForm(ValueError):
    """The post does not come from our form: unknown keys, absurd sizes, unknown buttons."""


def translate(error):
    return gettext(error.message, **error.params)


def check_keys(step, formdata):
    """Refuse a post carrying anything our form could not have sent."""
    scalar = {f.id for f in step.fields if not f.columns and not f.computed}
    tables = {f.id: {c.id for c in f.columns} for f in step.fields if f.columns}
    for key in formdata:
        values = formdata.getlist(key)
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise TamperedForm(f"value of {key} too long")
        if key in scalar or key in CONTROL_KEYS:
            continue
        match = CELL_RE.match(key)
        if match and match[1] in tables and match[3] in tables[match[1]]:
            continue
        raise TamperedForm(f"unknown key {key!r}")


def parse_action(step, value):
    """The step form's button: ("next" | "back" | "save", None, None),
    ("add_row", table, None) or ("remove_row", table, row). Anything else,
    or a table not on this step, is a tampered post."""
    match = ACTION_RE.fullmatch(value or "next")
    if match is None:
        raise TamperedForm("unknown action")
    if match[1]:
        return match[1], None, None
    kind, table, row = (match[2], match[3], None) if match[2] else (match[4], match[5], int(match[6]))
    if table not in {f.id for f in step.fields if f.columns}:
        raise TamperedForm(f"no table {table!r} on this step")
    return kind, table, row


def posted_rows(step, formdata):
    """{table id: [{column: raw}]} of the step's tables as posted."""
    return {f.id: f.type.raw_from_form(formdata, f) for f in step.fields if f.columns}


def without_row(formdata, table_id, rows):
    """The posted form with one table's cells renumbered after a row was removed."""
    data = MultiDict([(k, v) for k, v in formdata.items(multi=True)
                      if not CELL_RE.match(k) or CELL_RE.match(k)[1] != table_id])
    for index, row in enumerate(rows):
        for column, value in row.items():
            data.add(f"{table_id}-{index}-{column}", value)
    return data


def clean_step(step, formdata):
    """Read every posted field of the step. Returns (cleaned, errors): cleaned maps
    field id → stored value (None = blank); errors maps field id (or
    `table-row-column` for cells) → translated message."""
    cleaned, errors = {}, {}
    for spec_field in step.fields:
        if spec_field.computed:
            continue
        try:
            cleaned[spec_field.id] = spec_field.type.clean(spec_field.type.raw_from_form(formdata, spec_field),
                                                           spec_field)
        except TableErrors as exc:
            for row, cells in exc.cells.items():
                for column, error in cells.items():
                    errors[f"{spec_field.id}-{row}-{column}"] = translate(error)
            errors[spec_field.id] = translate(exc)
        except FieldValueError as exc:
            errors[spec_field.id] = translate(exc)
    return cleaned, errors

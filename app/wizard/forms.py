"""Step forms built from the spec at request time, and reading what was posted.

Scalar fields are WTForms fields on a FlaskForm subclass made per step (CSRF
comes with it). Table cells are plain inputs named `{field}-{row}-{column}`.
"""

import re

from flask_babel import gettext
from flask_wtf import FlaskForm

from app.specs.fieldtypes import FieldValueError
from app.specs.fieldtypes.table import TableErrors

CELL_RE = re.compile(r"^([a-z][a-z0-9_]*)-(\d{1,3})-([a-z][a-z0-9_]*)$")
ACTION_RE = re.compile(r"^(next|back|save)$|^(add_row):([a-z][a-z0-9_]*)$|^(remove_row):([a-z][a-z0-9_]*):(\d{1,3})$")
CONTROL_KEYS = {"csrf_token", "action", "return_to"}
MAX_VALUE_LENGTH = 20_000  # longer than any field allows: a tampered post


class TamperedForm(ValueError):
    """The post does not come from our form: unknown keys, absurd sizes."""


def translate(error):
    return gettext(error.message, **error.params)


def build_form_class(step):
    attrs = {}
    for spec_field in step.fields:
        if spec_field.computed or spec_field.columns:
            continue
        unbound = spec_field.type.wtforms_field(spec_field, spec_field.options or [])
        if unbound is not None:
            attrs[spec_field.id] = unbound
    return type(f"Step_{step.id}", (FlaskForm,), attrs)


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


def table_rows(spec_field, formdata):
    """Posted cells of one table → list of {column: raw}, in row order."""
    rows = {}
    for key in formdata:
        match = CELL_RE.match(key)
        if match and match[1] == spec_field.id:
            rows.setdefault(int(match[2]), {})[match[3]] = formdata.get(key)
    return [rows[i] for i in sorted(rows)]


def clean_step(step, form, formdata):
    """Convert every posted field of the step. Returns (cleaned, errors):
    cleaned maps field id → stored value (None = blank); errors maps field id
    (or `table-row-column` for cells) → translated message."""
    cleaned, errors = {}, {}
    for spec_field in step.fields:
        if spec_field.computed:
            continue
        if spec_field.columns:
            raw = table_rows(spec_field, formdata)
        elif spec_field.type.widget == "checkboxes":
            raw = formdata.getlist(spec_field.id)
        else:
            raw = form[spec_field.id].data
        try:
            cleaned[spec_field.id] = spec_field.type.clean(raw, spec_field)
        except TableErrors as exc:
            for row, cells in exc.cells.items():
                for column, error in cells.items():
                    errors[f"{spec_field.id}-{row}-{column}"] = translate(error)
            errors[spec_field.id] = translate(exc)
        except FieldValueError as exc:
            errors[spec_field.id] = translate(exc)
    return cleaned, errors

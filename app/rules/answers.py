"""Answers given as JSON (outside checks, golden examples) → stored answers."""

from app.specs.fieldtypes import FieldValueError


class AnswerError(ValueError):
    pass


def _raw(spec_field, value):
    """A JSON value → what the field type's clean() expects from a form."""
    name = spec_field.type.name
    if name == "yesno":
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value
    if name == "consent":
        return "y" if value is True else value
    if name == "checkboxes":
        return value if isinstance(value, list) else [value]
    if isinstance(value, bool):
        raise AnswerError(f"{spec_field.id}: expected a {name} value, got true/false")
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if not isinstance(value, str):
        raise AnswerError(f"{spec_field.id}: expected a {name} value, got {type(value).__name__}")
    return value


def _clean(spec_field, value):
    try:
        return spec_field.type.clean(_raw(spec_field, value), spec_field)
    except FieldValueError as exc:
        allowed = ""
        if spec_field.options:
            allowed = " (one of: " + ", ".join(o["value"] for o in spec_field.options if not o.get("parent")
                                               or spec_field.type.name == "industry") + ")"
        raise AnswerError(f"{spec_field.id}: {value!r} is not valid — {exc.message % exc.params}{allowed}") from exc


def from_json(spec, data):
    """Convert a JSON object of answers. Unknown ids are ignored (returned as a list)."""
    if not isinstance(data, dict):
        raise AnswerError("answers must be a JSON object of field id → value")
    answers, unknown = {}, []
    for key, value in data.items():
        spec_field = spec.fields.get(key)
        if spec_field is None:
            unknown.append(key)
            continue
        if value is None:
            continue
        if spec_field.columns:
            if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
                raise AnswerError(f"{key}: expected a list of rows (objects)")
            rows = []
            for row in value:
                columns = {c.id: c for c in spec_field.columns}
                rows.append({cid: _clean(columns[cid], row[cid]) if row.get(cid) is not None else None
                             for cid in columns})
            answers[key] = rows
        else:
            cleaned = _clean(spec_field, value)
            if cleaned is not None:
                answers[key] = cleaned
    return answers, unknown

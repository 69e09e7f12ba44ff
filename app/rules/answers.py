"""Answers given as JSON (outside checks, golden examples) → stored answers,
through each field type's own reading of JSON and its form cleaning."""

from app.specs.service import FieldValueError


class AnswerError(ValueError):
    pass


def _clean(spec_field, value):
    try:
        return spec_field.type.clean(spec_field.type.raw_from_json(value, spec_field), spec_field)
    except ValueError as exc:
        if not isinstance(exc, FieldValueError):
            raise AnswerError(f"{spec_field.id}: {exc}") from exc
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
        cleaned = _clean(spec_field, value)
        if cleaned is not None:
            answers[key] = cleaned
    return answers, unknown

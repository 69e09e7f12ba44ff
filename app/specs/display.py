"""How an answer prints: in check-answers pages, case pages and documents."""


def format_answer(spec_field, stored, lang="zh_CN"):
    """Stored value → text with its unit; tables give a list of row dicts of text."""
    if spec_field.columns:
        return [
            {c.id: format_answer(c, (row or {}).get(c.id), lang) for c in spec_field.columns}
            for row in stored or []
        ]
    if stored is None:
        return ""
    text = spec_field.type.display(stored, spec_field, spec_field.options_for(lang))
    if lang.startswith("en"):
        text = {"是": "Yes", "否": "No", "已确认": "Confirmed", "未确认": "Not confirmed"}.get(text, text)
    if spec_field.unit and text:
        return f"{text} {spec_field.unit}"
    return text

"""Chinese text uses full-width punctuation (GB/T 15834): no ASCII , . : ; ( )
next to a Chinese character in the shipped spec, its lists, the document
templates, the SMS templates and the catalogue of UI strings. Codes and
expressions are not text and are skipped: expression keys, and Jinja's
{{ … }} / {% … %} inside texts."""

import re
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CJK = r"[\u3400-\u9fff\U00020000-\U0002ffff]"
ASCII_NEXT_TO_CJK = re.compile(rf"{CJK}[,.:;()]|[,:;(]{CJK}|\){CJK}")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Keys whose values are expressions, patterns or identifiers, not text anyone reads.
CODE_KEYS = {"when", "show_if", "value", "level", "if", "rows", "for", "pattern", "id", "template", "type",
             "after", "options", "parent", "kind", "field", "step"}


def _texts(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item, key)
    elif isinstance(node, str) and key not in CODE_KEYS:
        yield key, node


def _offences(text):
    return [text[max(0, m.start() - 6):m.end() + 6] for m in ASCII_NEXT_TO_CJK.finditer(JINJA.sub(" ", text))]


def _yaml_files():
    return [*sorted((ROOT / "forms_spec").glob("*.yaml")), *sorted((ROOT / "forms_spec" / "lists").glob("*.yaml")),
            *sorted((ROOT / "doc_templates").glob("*.yaml")), ROOT / "app" / "sms" / "sms_templates.yaml"]


def test_the_check_finds_ascii_punctuation_next_to_chinese():
    assert _offences("项目名称,年产") and _offences("(初稿)") and _offences("说明:见下") and _offences("完成.")
    assert not _offences("项目名称\uff0c年产") and not _offences("GB/T 4754-2017") and not _offences("3812 电动机制造")
    assert not _offences("{{ answers.x or '(未填)' }}")  # inside Jinja: code, not text


def test_spec_lists_and_templates_use_full_width_punctuation():
    found = []
    for path in _yaml_files():
        for key, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if _offences(text):
                found.append(f"{path.relative_to(ROOT)}: {key}: {_offences(text)}")
    assert found == [], "\n".join(found)


def test_the_ui_strings_use_full_width_punctuation():
    with open(ROOT / "app" / "translations" / "messages.pot", "rb") as f:
        found = [m.id for m in read_po(f) if m.id and isinstance(m.id, str) and _offences(m.id)]
    assert found == [], "\n".join(found)

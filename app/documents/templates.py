"""Document templates: YAML layouts whose texts are Jinja2, compiled in an
immutable sandbox with autoescaping and strict undefined variables.

Every name a template uses is checked when the template is loaded: the
context names below, and for `answers.x` / `raw.x` / `labels.x` a field the
spec declares. A misspelt variable is a load error, never a blank in a form.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jsonschema
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes

from app.specs.expressions import (
    FORBIDDEN_ATTRIBUTES,
    LimitedSandbox,
    render_bounded,
    restrict,
    text_statement_problems,
)
from app.specs.yamlfile import SpecInvalid, SpecProblem, format_path, line_of, parse_yaml

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "doc_templates"
MAX_TEMPLATE_BYTES = 256 * 1024

# What every template may read (see documents/context.py).
CONTEXT_NAMES = {"answers", "raw", "labels", "outcome", "materials", "application", "spec", "status_url",
                 "steps"}
FIELD_MAPS = {"answers", "raw", "labels"}

ENV = restrict(LimitedSandbox(autoescape=True, undefined=StrictUndefined))

BLOCK_KEYS = ("heading", "paragraph", "key_values", "table", "answers", "signatures", "qr", "page_break", "for")
TEMPLATE_SCHEMA = {
    "type": "object",
    "required": ["id", "title", "blocks"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"},
        "title": {"type": "string"},
        "header_left": {"type": "string"},
        "header_right": {"type": "string"},
        "blocks": {"$ref": "#/$defs/blocks"},
    },
    "$defs": {
        "blocks": {"type": "array", "items": {"$ref": "#/$defs/block"}},
        "block": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "if": {"type": "string"},
                "heading": {"type": "string"}, "level": {"type": "integer", "minimum": 1, "maximum": 3},
                "paragraph": {"type": "string"},
                "align": {"enum": ["left", "center", "right", "justify"]},
                "size": {"enum": ["normal", "small", "large"]}, "bold": {"type": "boolean"},
                "indent": {"type": "boolean"},
                "key_values": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                                           "items": {"type": "string"}}},
                "title": {"type": "string"},
                "table": {"type": "object", "required": ["columns", "rows", "cells"], "additionalProperties": False,
                          "properties": {"columns": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                                         "rows": {"type": "string"},
                                         "cells": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                                         "widths": {"type": "array", "items": {"type": "number"}},
                                         "title": {"type": "string"}}},
                "answers": {"enum": ["all"]},
                "signatures": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "qr": {"type": "string"}, "caption": {"type": "string"},
                "page_break": {"const": True},
                "for": {"type": "string", "pattern": r"^\s*[a-z_][a-z0-9_]*\s+in\s+.+$"},
                "blocks": {"$ref": "#/$defs/blocks"},
            },
        },
    },
}


class TemplateInvalid(SpecInvalid):
    pass


def _check_names(tree, allowed, field_ids):
    """Unknown names and unknown fields behind answers./raw./labels. → messages."""
    problems = []
    unknown = meta.find_undeclared_variables(tree) - allowed
    if unknown:
        problems.append(f"unknown names: {', '.join(sorted(unknown))}")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and (name.startswith("_") or name in FORBIDDEN_ATTRIBUTES):
            problems.append(f"access to '{name}' is not allowed")
        if isinstance(node.node, nodes.Name) and node.node.name in FIELD_MAPS and isinstance(name, str) \
                and name not in field_ids:
            problems.append(f"'{node.node.name}.{name}': the spec has no field '{name}'")
    return problems


@dataclass
class Compiled:
    kind: str  # text | expr
    source: str
    code: object

    def __call__(self, context):
        if self.kind == "text":
            return render_bounded(self.code, context)
        return self.code(**context)


class DocTemplate:
    """A loaded, checked template; `build(context)` gives a document model."""

    def __init__(self, source, filename, field_ids):
        self.filename = filename
        self.sha256 = hashlib.sha256(source if isinstance(source, bytes) else source.encode()).hexdigest()
        data, tree = parse_yaml(source, filename, MAX_TEMPLATE_BYTES)
        problems = [SpecProblem(filename, format_path(e.absolute_path), line_of(tree, list(e.absolute_path)),
                                e.message)
                    for e in jsonschema.Draft202012Validator(TEMPLATE_SCHEMA).iter_errors(data)]
        if problems:
            raise TemplateInvalid(problems)
        self.tree, self.field_ids, self.problems = tree, set(field_ids), []
        self.id = data["id"]
        self.title = self._compile(data["title"], ("title",), CONTEXT_NAMES)
        self.header_left = self._compile(data.get("header_left", ""), ("header_left",), CONTEXT_NAMES)
        self.header_right = self._compile(data.get("header_right", ""), ("header_right",), CONTEXT_NAMES)
        self.blocks = self._blocks(data["blocks"], ("blocks",), CONTEXT_NAMES)
        if self.problems:
            raise TemplateInvalid(self.problems)

    def _compile(self, source, path, allowed, kind="text"):
        try:
            tree = ENV.parse(source if kind == "text" else "{{ (" + source + ") }}")
            problems = _check_names(tree, allowed, self.field_ids) + text_statement_problems(tree)
            code = ENV.from_string(source) if kind == "text" else ENV.compile_expression(source)
        except TemplateSyntaxError as exc:  # includes unknown filters and tests
            self._problem(path, f"syntax error: {exc.message}")
            return None
        for message in problems:
            self._problem(path, message)
        return Compiled(kind, source, code)

    def _problem(self, path, message):
        self.problems.append(SpecProblem(self.filename, format_path(path), line_of(self.tree, list(path)), message))

    def _blocks(self, raw_blocks, path, allowed):
        compiled = []
        for i, raw in enumerate(raw_blocks):
            bpath = (*path, i)
            kinds = [k for k in BLOCK_KEYS if k in raw]
            if len(kinds) != 1:
                self._problem(bpath, f"a block has exactly one of: {', '.join(BLOCK_KEYS)}")
                continue
            kind = kinds[0]
            block = {"kind": kind, "raw": raw}
            if "if" in raw:
                block["if"] = self._compile(raw["if"], (*bpath, "if"), allowed, "expr")
            if kind == "for":
                var, _, iterable = raw["for"].strip().partition(" in ")
                block["var"] = var.strip()
                block["iter"] = self._compile(iterable.strip(), (*bpath, "for"), allowed, "expr")
                block["blocks"] = self._blocks(raw.get("blocks") or [], (*bpath, "blocks"), allowed | {var.strip()})
            elif kind == "key_values":
                block["rows"] = [(self._compile(k, (*bpath, "key_values", r, 0), allowed),
                                  self._compile(v, (*bpath, "key_values", r, 1), allowed))
                                 for r, (k, v) in enumerate(raw["key_values"])]
            elif kind == "table":
                table = raw["table"]
                block["rows"] = self._compile(table["rows"], (*bpath, "table", "rows"), allowed, "expr")
                block["columns"] = [self._compile(c, (*bpath, "table", "columns", j), allowed)
                                    for j, c in enumerate(table["columns"])]
                block["cells"] = [self._compile(c, (*bpath, "table", "cells", j), allowed | {"row", "number"})
                                  for j, c in enumerate(table["cells"])]
                if len(table["cells"]) != len(table["columns"]):
                    self._problem((*bpath, "table"), "cells and columns differ in number")
            elif kind == "signatures":
                block["labels"] = [self._compile(s, (*bpath, "signatures", j), allowed)
                                   for j, s in enumerate(raw["signatures"])]
            elif kind in ("heading", "paragraph", "qr"):
                block["text"] = self._compile(raw[kind], (*bpath, kind), allowed)
            for extra in ("title", "caption"):
                if extra in raw:
                    block[extra] = self._compile(raw[extra], (*bpath, extra), allowed)
            compiled.append(block)
        return compiled

    def title_for(self, context):
        """The document's title alone, as build() would set it."""
        from app.documents.layout import text_of

        return text_of(self.title, context)

    def build(self, context):
        """Render into a document model (see documents/layout.py)."""
        from app.documents.layout import build_document

        return build_document(self, context)


def load_template(name, field_ids, base_dir=TEMPLATE_DIR):
    path = (base_dir / name).resolve()
    if path.parent != base_dir.resolve() or not path.is_file():
        raise TemplateInvalid([SpecProblem(name, "", None, "template file not found in doc_templates/")])
    return DocTemplate(path.read_bytes(), name, field_ids)

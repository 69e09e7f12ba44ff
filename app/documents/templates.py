"""Document templates: YAML layouts whose texts are Jinja2, compiled in the
language's sandbox (app/lang) with autoescaping and strict undefined names.

Every name a template uses is checked when the template is compiled: the
context names below, and for `answers.x` / `raw.x` / `labels.x` a field the
spec declares. A misspelt variable is a problem at publish time (the gate
compiles every template of a version), never a blank in a printed form.
"""

import hashlib
from functools import lru_cache

import jsonschema

from app.lang.service import SpecInvalid, SpecProblem, compile_piece, format_path, line_of, parse_yaml

MAX_TEMPLATE_BYTES = 256 * 1024

# What every template may read (see documents/context.py).
CONTEXT_NAMES = {"answers", "raw", "labels", "outcome", "materials", "application", "spec", "status_url",
                 "steps", "decision", "verification"}
FIELD_MAPS = {"answers", "raw", "labels"}

BLOCK_KEYS = ("heading", "paragraph", "key_values", "table", "grid", "answers", "signatures", "qr", "seal",
              "page_break", "for")
GRID_CELL = {"type": "object", "additionalProperties": False, "minProperties": 1,
             "properties": {"label": {"type": "string"}, "text": {"type": "string"},
                            "span": {"type": "integer", "minimum": 1, "maximum": 12},
                            "align": {"enum": ["left", "center", "right"]}}}
GRID_CELLS = {"type": "array", "minItems": 1, "items": GRID_CELL}
GRID = {"type": "object", "required": ["widths", "rows"], "additionalProperties": False,
        "properties": {"widths": {"type": "array", "minItems": 1, "maxItems": 12,
                                  "items": {"type": "number", "exclusiveMinimum": 0}},
                       "title": {"type": "string"},
                       "rows": {"type": "array", "minItems": 1, "items": {"anyOf": [
                           GRID_CELLS,
                           {"type": "object", "required": ["if", "cells"], "additionalProperties": False,
                            "properties": {"if": {"type": "string"}, "cells": GRID_CELLS}}]}}}}
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
                "grid": GRID,
                "answers": {"enum": ["all"]},
                "signatures": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "qr": {"type": "string"}, "caption": {"type": "string"},
                "seal": {"type": "string"}, "date": {"type": "string"}, "verify_qr": {"type": "string"},
                "page_break": {"const": True},
                "for": {"type": "string", "pattern": r"^\s*[a-z_][a-z0-9_]*\s+in\s+.+$"},
                "blocks": {"$ref": "#/$defs/blocks"},
            },
        },
    },
}


class TemplateInvalid(SpecInvalid):
    pass


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
        piece, problems = compile_piece(source, kind, allowed, self.field_ids, FIELD_MAPS)
        for message in problems:
            self._problem(path, message)
        return piece

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
            elif kind == "grid":
                block["rows"] = self._grid_rows(raw["grid"], (*bpath, "grid"), allowed)
                if "title" in raw["grid"]:
                    block["title"] = self._compile(raw["grid"]["title"], (*bpath, "grid", "title"), allowed)
            elif kind == "signatures":
                block["labels"] = [self._compile(s, (*bpath, "signatures", j), allowed)
                                   for j, s in enumerate(raw["signatures"])]
            elif kind in ("heading", "paragraph", "qr", "seal"):
                block["text"] = self._compile(raw[kind], (*bpath, kind), allowed)
            for extra in ("title", "caption", "date", "verify_qr"):
                if extra in raw:
                    block[extra] = self._compile(raw[extra], (*bpath, extra), allowed)
            compiled.append(block)
        return compiled

    def _grid_rows(self, grid, path, allowed):
        """[(condition or None, [(compiled text, is label, span, align)])], each row
        checked to cover exactly the grid's columns."""
        rows, columns = [], len(grid["widths"])
        for r, raw_row in enumerate(grid["rows"]):
            rpath = (*path, "rows", r)
            condition = None
            if isinstance(raw_row, dict):
                condition = self._compile(raw_row["if"], (*rpath, "if"), allowed, "expr")
                raw_row, rpath = raw_row["cells"], (*rpath, "cells")
            cells = []
            for c, cell in enumerate(raw_row):
                if ("label" in cell) == ("text" in cell):
                    self._problem((*rpath, c), "a grid cell has either a label or a text, not both")
                    continue
                key = "label" if "label" in cell else "text"
                cells.append((self._compile(cell[key], (*rpath, c, key), allowed), key == "label",
                              cell.get("span", 1), cell.get("align", "left")))
            spanned = sum(cell.get("span", 1) for cell in raw_row)
            if spanned != columns:
                self._problem(rpath, f"row {r + 1}: the cells span {spanned} columns, the grid has {columns}")
            rows.append((condition, cells))
        return rows



@lru_cache(maxsize=64)
def _compiled(source, filename, field_ids):
    return DocTemplate(source, filename, field_ids)


def template_of(spec, document_spec):
    """The compiled template of one of the spec's documents (compiled once per
    process for a given text and set of fields). Raises TemplateInvalid."""
    return _compiled(document_spec.source, document_spec.template_name, frozenset(spec.fields))

"""Reading a spec: safe YAML, JSON Schema, then the checks a schema cannot make.

Every problem is reported with the file, the YAML path and the line, so an
admin can find it; nothing in a spec can run code.
"""

import json
from functools import lru_cache
from pathlib import Path

import jsonschema

from app.lang.service import (
    FUNCTIONS,
    Expression,
    ExpressionError,
    SpecInvalid,
    SpecProblem,
    format_path,
    line_of,
    parse_yaml,
)
from app.specs import fieldtypes
from app.specs.model import Field, Spec, Step
from app.specs.policy import PolicyCompiler

__all__ = ["SPEC_DIR", "TEMPLATE_DIR", "compile_spec", "list_problems", "resolve_lists", "resolve_templates",
           "template_dir_for"]

SPEC_DIR = Path(__file__).resolve().parents[2] / "forms_spec"
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "doc_templates"
MAX_TEMPLATE_BYTES = 256 * 1024
SCHEMA_PATH = SPEC_DIR / "schema" / "spec.schema.json"
MAX_LIST_BYTES = 1024 * 1024
CONSTRAINT_KEYS = ("min", "max", "decimals", "min_length", "max_length", "pattern", "pattern_message",
                   "rows", "min_rows", "max_rows")


# --- Schema ---------------------------------------------------------------

@lru_cache(maxsize=1)
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _schema_problems(data, tree, filename):
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties":
            message = f"unknown key: {message}"
        problems.append(SpecProblem(filename, format_path(path), line_of(tree, path), message))
    return problems


# --- Lists ---------------------------------------------------------------

LIST_SCHEMA = {
    "type": "object",
    "required": ["id", "options"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "title_en": {"type": "string"},
        "options": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["value", "label"], "additionalProperties": False,
            "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                           "label_en": {"type": "string"}, "parent": {"type": "string"},
                           "level": {"type": "string"}, "basis": {"type": "string"}}}},
    },
}


def list_problems(data, filename):
    """Problems of a list file's parsed content (schema and duplicate values)."""
    problems = [SpecProblem(filename, format_path(e.absolute_path), None, e.message)
                for e in jsonschema.Draft202012Validator(LIST_SCHEMA).iter_errors(data)]
    if not problems:
        values = [o["value"] for o in data["options"]]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            problems.append(SpecProblem(filename, "options", None, f"duplicate values: {', '.join(duplicates)}"))
    return problems


def load_list_file(name, base_dir):
    path = (base_dir / "lists" / name).resolve()
    if path.parent != (base_dir / "lists").resolve() or not path.is_file():
        raise SpecInvalid([SpecProblem(name, "", None, "list file not found in forms_spec/lists/")])
    data, tree = parse_yaml(path.read_bytes(), f"lists/{name}", MAX_LIST_BYTES)
    problems = [SpecProblem(f"lists/{name}", format_path(e.absolute_path), line_of(tree, list(e.absolute_path)),
                            e.message) for e in jsonschema.Draft202012Validator(LIST_SCHEMA).iter_errors(data)]
    if problems:
        raise SpecInvalid(problems)
    return data["options"]


def template_dir_for(spec_dir):
    """Templates beside an exported spec (DIR/doc_templates), else the repository's."""
    beside = Path(spec_dir) / "doc_templates"
    return beside if beside.is_dir() else TEMPLATE_DIR


def resolve_templates(data, template_dir=TEMPLATE_DIR):
    """{template file name: text} for the templates the spec's documents name."""
    texts = {}
    for item in [*(data.get("documents") or []), *(data.get("issued") or [])]:
        name = item.get("template") if isinstance(item, dict) else None
        if not isinstance(name, str) or name in texts:
            continue
        path = (template_dir / name).resolve()
        if path.parent == template_dir.resolve() and path.is_file() and path.stat().st_size <= MAX_TEMPLATE_BYTES:
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                texts[name] = path.read_bytes()  # reported as "not UTF-8 text" when compiled
    return texts


def resolve_lists(data, base_dir):
    """{list id: options} with file references read from `base_dir/lists/`."""
    resolved = {}
    for list_id, value in (data.get("lists") or {}).items():
        resolved[list_id] = load_list_file(value, base_dir) if isinstance(value, str) else value
    return resolved


# --- Compilation ---------------------------------------------------------------

class _Compiler(PolicyCompiler):
    def __init__(self, data, tree, lists, templates, filename):
        self.data, self.tree, self.lists, self.templates, self.filename = data, tree, lists, templates, filename
        self.problems = []
        self.fields = {}
        self.field_step = {}  # field id → step index

    def problem(self, path, message):
        self.problems.append(SpecProblem(self.filename, format_path(path), line_of(self.tree, list(path)), message))

    def compiled(self, kind, source, path, allowed, what):
        """An Expression or TextTemplate whose names are all `allowed`; else a problem and None."""
        try:
            compiled = kind(source)
        except ExpressionError as exc:
            self.problem(path, f"{what}: {exc}")
            return None
        unknown = sorted(compiled.names - allowed)
        if unknown:
            self.problem(path, f"{what} names unknown or not yet asked: {', '.join(unknown)}")
            return None
        return compiled

    def expression(self, source, path, allowed, what):
        return self.compiled(Expression, source, path, allowed, what)

    def options(self, raw, path):
        if raw is None:
            return None
        if isinstance(raw, str):
            if raw not in self.lists:
                self.problem(path, f"unknown option list '{raw}'")
                return None
            return self.lists[raw]
        values = [o["value"] for o in raw]
        if len(values) != len(set(values)):
            self.problem(path, "duplicate option values")
        return raw

    def field(self, raw, path, step_id):
        type_name = raw["type"]
        if type_name not in fieldtypes.registry:
            self.problem((*path, "type"), f"unknown field type '{type_name}'; known: "
                         + ", ".join(sorted(fieldtypes.registry)))
            return None
        field = Field(
            id=raw["id"], type=fieldtypes.get(type_name), label=raw["label"], label_en=raw.get("label_en"),
            help=raw.get("help"), help_en=raw.get("help_en"), placeholder=raw.get("placeholder"),
            required=raw.get("required", False), default=raw.get("default"), prefill=raw.get("prefill", False),
            unit=raw.get("unit"), constraints={k: raw[k] for k in CONSTRAINT_KEYS if k in raw},
            options=self.options(raw.get("options"), (*path, "options")), step_id=step_id, path=tuple(path),
        )
        if type_name in ("select", "radio", "checkboxes", "industry") and not field.options:
            self.problem(path, f"a {type_name} field needs options")
        if type_name == "table":
            seen = set()
            for i, column in enumerate(raw.get("columns") or []):
                if column["id"] in seen:
                    self.problem((*path, "columns", i, "id"), f"duplicate column id '{column['id']}'")
                seen.add(column["id"])
                if column["type"] == "table":
                    self.problem((*path, "columns", i, "type"), "a table cannot hold a table")
                    continue
                compiled = self.field(column, (*path, "columns", i), step_id)
                if compiled:
                    field.columns.append(compiled)
            if not raw.get("columns"):
                self.problem(path, "a table field needs columns")
        return field

    def compile(self):
        allowed_base = set(FUNCTIONS) | set(self.lists)
        steps, seen_steps = [], set()
        for si, raw_step in enumerate(self.data["steps"]):
            spath = ("steps", si)
            if raw_step["id"] in seen_steps:
                self.problem((*spath, "id"), f"duplicate step id '{raw_step['id']}'")
            seen_steps.add(raw_step["id"])
            earlier = set(self.fields)
            show_if = None
            if "show_if" in raw_step:
                show_if = self.expression(raw_step["show_if"], (*spath, "show_if"), allowed_base | earlier,
                                          "show_if (may only use fields of earlier steps)")
            step = Step(id=raw_step["id"], title=raw_step["title"], title_en=raw_step.get("title_en"),
                        intro=raw_step.get("intro"), intro_en=raw_step.get("intro_en"), show_if=show_if,
                        fields=[], index=si)
            for fi, raw_field in enumerate(raw_step["fields"]):
                fpath = (*spath, "fields", fi)
                if raw_field["id"] in self.fields:
                    self.problem((*fpath, "id"), f"duplicate field id '{raw_field['id']}'")
                    continue
                field = self.field(raw_field, fpath, raw_step["id"])
                if field is None:
                    continue
                visible_so_far = allowed_base | set(self.fields)
                if "show_if" in raw_field:
                    field.show_if = self.expression(raw_field["show_if"], (*fpath, "show_if"), visible_so_far,
                                                    "show_if (may only use fields asked before this one)")
                if "value" in raw_field and not hasattr(field.type, "computed"):
                    self.problem((*fpath, "value"), "only integer and decimal fields can be computed")
                elif "value" in raw_field:
                    field.value = self.expression(raw_field["value"], (*fpath, "value"), visible_so_far,
                                                  "value (may only use fields asked before this one)")
                self.fields[field.id] = field
                step.fields.append(field)
            steps.append(step)
        answers = allowed_base | set(self.fields)
        rules = self.cross_field_rules(answers, seen_steps)
        levels, authority_rules = self.authority(answers)
        self.guide(authority_rules)
        energy_levels, energy_rules = self.energy(answers)
        materials = self.materials(answers)
        examples = self.examples(materials)
        documents = self.documents(answers, self.templates)
        issued = self.documents(answers, self.templates, "issued")
        case_index = self.case_index()
        changes = self.changes(allowed_base)
        if self.problems:
            raise SpecInvalid(self.problems)
        return Spec(id=self.data["id"], title=self.data["title"], title_en=self.data.get("title_en"),
                    description=self.data.get("description"), steps=steps, fields=self.fields, lists=self.lists,
                    rules=rules, raw=self.data, reference_prefix=self.data.get("reference_prefix", "XS"),
                    levels=levels, authority_rules=authority_rules, energy_levels=energy_levels,
                    energy_rules=energy_rules, materials=materials, examples=examples, documents=documents,
                    templates=self.templates, case_index=case_index, issued=issued,
                    changes=changes)


def compile_spec(text, filename="spec.yaml", lists=None, base_dir=SPEC_DIR, templates=None):
    """Text of a spec → Spec. `lists` and `templates` (already resolved, as stored
    with a version) win over reading files."""
    data, tree = parse_yaml(text, filename)
    if not isinstance(data, dict):
        raise SpecInvalid([SpecProblem(filename, "", 1, "a spec is a mapping (id, title, steps, …)")])
    problems = _schema_problems(data, tree, filename)
    if problems:
        raise SpecInvalid(problems)
    if lists is None:
        lists = resolve_lists(data, base_dir)
    if templates is None:
        templates = resolve_templates(data, template_dir_for(base_dir))
    return _Compiler(data, tree, lists, templates, filename).compile()

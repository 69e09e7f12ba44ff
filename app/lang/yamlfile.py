"""Reading YAML files that admins edit (specs, option lists, document
templates): safe loading without anchors, size limits, and problems reported
with the file, the YAML path and the line."""

from dataclasses import dataclass

import yaml

MAX_SPEC_BYTES = 512 * 1024
MAX_DEPTH = 40  # nesting levels; a spec needs about ten


@dataclass
class SpecProblem:
    file: str
    path: str
    line: int | None
    message: str

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top)'}: {self.message}"


class SpecInvalid(ValueError):
    def __init__(self, problems):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# libyaml's parser when PyYAML has it (about twenty times faster on a spec), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refuse_aliases_and_depth(text, filename):
    """One pass over the parser's events, before anything is built: anchors and
    aliases are refused (an alias "bomb" expands a few hundred bytes into
    gigabytes), and so is nesting deeper than MAX_DEPTH (building recurses once
    per level, and the schema validator and the compiler after it too)."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise SpecInvalid([SpecProblem(filename, "", event.start_mark.line + 1,
                                           "YAML: anchors and aliases (&, *) are not allowed")])
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_DEPTH:
                raise SpecInvalid([SpecProblem(filename, "", event.start_mark.line + 1,
                                               f"nested more than {MAX_DEPTH} levels deep")])
        elif isinstance(event, _CLOSING):
            depth -= 1


def parse_yaml(text, filename, max_bytes=MAX_SPEC_BYTES):
    """Return (data, node tree). Raises SpecInvalid with the line on any problem."""
    if isinstance(text, bytes):
        if b"\x00" in text:
            raise SpecInvalid([SpecProblem(filename, "", None, "binary content, not a YAML text file")])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SpecInvalid([SpecProblem(filename, "", None, "not UTF-8 text")]) from exc
    if len(text.encode("utf-8")) > max_bytes:
        raise SpecInvalid([SpecProblem(filename, "", None, f"larger than the {max_bytes // 1024} KB limit")])
    try:
        _refuse_aliases_and_depth(text, filename)
        loader = _LOADER(text)
        try:
            tree = loader.get_single_node()
            data = loader.construct_document(tree) if tree is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SpecInvalid([SpecProblem(filename, "", line, f"YAML: {exc.problem or exc.context}")]) from exc
    except yaml.YAMLError as exc:
        raise SpecInvalid([SpecProblem(filename, "", None, f"YAML: {exc}")]) from exc
    return data, tree


def line_of(tree, path):
    """The 1-based line of the node at `path` (keys and indexes) in a composed tree."""
    node, line = tree, (tree.start_mark.line + 1 if tree else None)
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node, line = value, key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def format_path(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out



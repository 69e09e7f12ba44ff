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


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loading without anchors and aliases: an alias 'bomb' expands a
    few hundred bytes into gigabytes."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(problem="anchors and aliases (&, *) are not allowed",
                                       problem_mark=event.start_mark)
        return super().compose_node(parent, index)


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
    too_deep = SpecInvalid([SpecProblem(filename, "", None, f"nested more than {MAX_DEPTH} levels deep")])
    if _flow_depth(text) > MAX_DEPTH:
        raise too_deep  # before PyYAML, which recurses once per level and runs out of stack
    try:
        tree = yaml.compose(text, Loader=_NoAliasLoader)
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SpecInvalid([SpecProblem(filename, "", line, f"YAML: {exc.problem or exc.context}")]) from exc
    except yaml.YAMLError as exc:
        raise SpecInvalid([SpecProblem(filename, "", None, f"YAML: {exc}")]) from exc
    except RecursionError as exc:
        raise too_deep from exc
    if _depth(data) > MAX_DEPTH:
        raise too_deep  # the schema validator and the compiler recurse too
    return data, tree


def _flow_depth(text):
    """Deepest nesting of [ and { outside quotes: an upper bound PyYAML can survive."""
    depth = deepest = 0
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
        elif ch == "\n":
            quote = None  # a quote inside a plain scalar (it's) does not run to the next line
    return deepest


def _depth(data):
    """Nesting depth of parsed YAML, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return deepest


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



"""Changing single values of a YAML text in place: the rest of the text —
comments, order, layout, quoting — stays as the admin wrote it.

A change names a key of a mapping by its path from the document root
(`("steps", 1, "fields", 0, "label")`) and gives the new value, or None to
remove the key. The value's characters are found from the marks the YAML
parser records, and only they are replaced; a key that is not there yet is
written after a neighbour (`after`), in the mapping's own style: `, key: v`
inside `{…}`, a line of its own at the neighbour's indentation otherwise.

Every result is read back: it must hold exactly the data of the old text with
the changes made, nothing else. Where it does not (a shape this module does
not handle), the edit is refused with CannotEdit and the text is untouched."""

import copy
import json
from dataclasses import dataclass

import yaml

from app.specs import service as specs

__all__ = ["CannotEdit", "Change", "line_at", "set_values"]

FILENAME = "spec.yaml"
# Whether the new text is too large is for the one who stores it to say (with its message).
_READ_LIMIT = 2 * specs.MAX_SPEC_BYTES
_STR = "tag:yaml.org,2002:str"
# Characters a plain scalar may not start with, and characters that end or
# change one somewhere (a comment, a key, a flow collection): values holding
# any of them are written double-quoted.
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_FLOW = ",[]{}"
# Line breaks in YAML's eyes that JSON leaves as they are.
_ESCAPE = {ch: f"\\u{ord(ch):04x}" for ch in "\x85\u2028\u2029\ufeff"}
_RESOLVER = yaml.resolver.Resolver()


@dataclass(frozen=True)
class Change:
    path: tuple  # keys and indexes from the document root to the key changed
    value: object  # a text or True/False; None removes the key
    after: tuple = ()  # where a new key goes: after the first of these keys present


class CannotEdit(ValueError):
    """This value cannot be changed safely here; `line` is where it is (1-based)."""

    def __init__(self, line=None):
        super().__init__(f"cannot edit the value at line {line}")
        self.line = line


def set_values(text, changes):
    """The text with `changes` made. Raises CannotEdit (and specs.SpecInvalid when
    `text` itself is no YAML the app reads)."""
    data, tree = specs.parse_yaml(text, FILENAME)
    expected = copy.deepcopy(data)
    for change in changes:
        _assign(expected, change.path, change.value)
    # First keeping plain values plain where they were; if that does not read
    # back (an odd character the checks below let through), everything quoted.
    for always_quote in (False, True):
        new = text
        for change in changes:
            new = _set_one(new, change, always_quote)
        if _reads_back(new, expected):
            return new
    raise CannotEdit(line_at(tree, changes[0].path[:-1]) if changes else None)


def line_at(tree, path):
    """The 1-based line where the node at `path` starts (or its nearest ancestor)."""
    node = tree
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1 if node is not None else None


def _child(node, part):
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def _assign(data, path, value):
    *parents, key = path
    for part in parents:
        data = data[part]
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value


def _reads_back(text, expected):
    try:
        data, _tree = specs.parse_yaml(text, FILENAME, max_bytes=_READ_LIMIT)
    except specs.SpecInvalid:
        return False
    return _same(data, expected)


def _same(a, b):
    """Equal and of the same types all the way down (True is not 1, "1" is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _set_one(text, change, always_quote):
    _data, tree = specs.parse_yaml(text, FILENAME, max_bytes=_READ_LIMIT)
    *parents, key = change.path
    mapping = tree
    for part in parents:
        mapping = _child(mapping, part)
        if mapping is None:
            raise CannotEdit(line_at(tree, parents))
    if not isinstance(mapping, yaml.MappingNode):
        raise CannotEdit(mapping.start_mark.line + 1)
    pairs = mapping.value
    index = next((i for i, (k, _v) in enumerate(pairs) if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    if index is None:
        return text if change.value is None else _insert(text, mapping, key, change, always_quote)
    if change.value is None:
        return _remove(text, mapping, index)
    return _replace(text, pairs[index][1], change.value, mapping.flow_style, always_quote)


def _end(text, node):
    """Where the node's own characters end (marks of block scalars run on over the line breaks)."""
    start, end = node.start_mark.index, node.end_mark.index
    return start + len(text[start:end].rstrip())


def _line_start(text, index):
    return text.rfind("\n", 0, index) + 1


def _line_end(text, index):
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _replace(text, node, value, flow, always_quote):
    if not isinstance(node, yaml.ScalarNode) or node.start_mark.index >= _end(text, node):
        raise CannotEdit(node.start_mark.line + 1)  # a list, a mapping or an empty value
    start, end = node.start_mark.index, _end(text, node)
    return text[:start] + _render(value, node.style, flow, always_quote) + text[end:]


def _insert(text, mapping, key, change, always_quote):
    pairs = mapping.value
    present = {k.value: (k, v) for k, v in pairs if isinstance(k, yaml.ScalarNode)}
    anchor = next((present[name] for name in change.after if name in present), pairs[-1] if pairs else None)
    if anchor is None:
        raise CannotEdit(mapping.start_mark.line + 1)
    anchor_key, anchor_value = anchor
    entry = f"{key}: {_render(change.value, None, mapping.flow_style, always_quote)}"
    if mapping.flow_style:
        at = _end(text, anchor_value)
        return text[:at] + ", " + entry + text[at:]
    at = _line_end(text, _end(text, anchor_value))  # after a comment closing the neighbour's line too
    return text[:at] + "\n" + " " * anchor_key.start_mark.column + entry + text[at:]


def _remove(text, mapping, index):
    pairs = mapping.value
    key, value = pairs[index]
    line = key.start_mark.line + 1
    if mapping.flow_style:
        if index > 0:  # ", key: value" goes
            start, end = _end(text, pairs[index - 1][1]), _end(text, value)
            between = text[start:key.start_mark.index]
        elif len(pairs) > 1:  # "key: value, " goes
            start, end = key.start_mark.index, pairs[1][0].start_mark.index
            between = text[_end(text, value):end]
        else:
            raise CannotEdit(line)
        if "#" in between:
            raise CannotEdit(line)  # a comment between the entries would go too
        return text[:start] + text[end:]
    start = _line_start(text, key.start_mark.index)
    if text[start:key.start_mark.index].strip():
        raise CannotEdit(line)  # `- key: …`: the key opens a list item
    end = _line_end(text, _end(text, value))
    rest = text[_end(text, value):end].strip()
    if rest and not rest.startswith("#"):
        raise CannotEdit(line)
    return text[:start] + text[end + 1:] if end < len(text) else text[:max(start - 1, 0)]


def _render(value, style, flow, always_quote):
    """The value as YAML: plain or single-quoted where it was and may stay so, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        raise TypeError(f"a text or a flag, not {type(value).__name__}")
    if not always_quote and not style and _plain_is_safe(value, flow):
        return value
    if not always_quote and style == "'" and "\n" not in value and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    quoted = json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars
    return "".join(_ESCAPE.get(ch, ch) for ch in quoted)


def _plain_is_safe(value, flow):
    return (bool(value) and value.isprintable() and value == value.strip()
            and value[0] not in _INDICATORS and ":" not in value and "#" not in value
            and not (flow and any(ch in _FLOW for ch in value))
            and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR)

"""The one expression language: Jinja2 expressions in a sandbox.

Conditions (`show_if`, rule `when`) and computed values are compiled here
once, when a spec is loaded. Compilation also lists the names an expression
reads, so the loader can refuse names the spec does not declare, and refuses
attribute tricks (`().__class__`) before anything runs.
"""

import datetime as dt
import operator
import re
from decimal import Decimal, InvalidOperation

from jinja2 import TemplateSyntaxError, Undefined, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SEQUENCE = 10_000  # longest string or list an expression may build
MAX_EXPONENT = 64
WIDTH_RE = re.compile(r"%[-+ #0]*(?:\(\w*\))?[-+ #0]*(\d+)|\.(\d+)")
# Filters that cannot build large values from small inputs; the others
# (center, format, indent, wordwrap, replace, …) are removed from the sandbox.
SAFE_FILTERS = {"abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
                "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
                "rejectattr", "round", "select", "selectattr", "sort", "string", "sum", "title", "trim", "unique",
                "upper"}


class ExpressionError(ValueError):
    """An expression that cannot be compiled or is not allowed."""


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, plus limits on `**` and `*`: `'x' * 10**9`
    would otherwise build a gigabyte inside the sandbox."""

    intercepted_binops = frozenset({"**", "*", "%"})

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "%":
            widths = (int(a or b) for a, b in WIDTH_RE.findall(left)) if isinstance(left, str) else ()
            if any(w > MAX_SEQUENCE for w in widths):
                raise SecurityError("format width too large")
            return left % right
        if operator_name == "**":
            if not isinstance(right, int | float | Decimal) or abs(right) > MAX_EXPONENT:
                raise SecurityError("exponent too large")
            return left**right
        if isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
            count = right if isinstance(left, str | list | tuple) else left
            seq = left if isinstance(left, str | list | tuple) else right
            if not isinstance(count, int) or len(seq) * max(count, 0) > MAX_SEQUENCE:
                raise SecurityError("sequence too long")
        return operator.mul(left, right)


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def total(*values):
    """Sum of the given numbers; blanks count as zero."""
    return sum((_number(v) or Decimal(0) for v in values), Decimal(0))


def column_total(rows, column):
    """Sum of one column of a repeating table; blanks count as zero."""
    return total(*((row or {}).get(column) for row in (rows or [])))


def blank(value):
    return value is None or value == "" or value == [] or value == {}


def months_between(start, end):
    """Whole months from `start` to `end` (month or date values); None if either is blank."""
    if not start or not end:
        return None
    return (end.year - start.year) * 12 + (end.month - start.month)


def today():
    return dt.date.today()


# Functions every spec may call. Specs name them like fields.
FUNCTIONS = {
    "total": total,
    "column_total": column_total,
    "blank": blank,
    "months_between": months_between,
    "today": today,
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "len": len,
    "Decimal": _number,
}

def restrict(env):
    """Remove globals and every filter not in SAFE_FILTERS from a sandbox."""
    env.globals.clear()
    for name in list(env.filters):
        if name not in SAFE_FILTERS:
            del env.filters[name]
    return env


_ENV = restrict(LimitedSandbox(autoescape=False))
_ENV.globals.update(FUNCTIONS)


# Attributes the sandbox already blocks at run time; refusing them at load
# time turns an attack into a clear error before anything runs.
FORBIDDEN_ATTRIBUTES = {"mro", "format", "format_map", "func_globals", "f_globals", "gi_frame", "cr_frame"}


def _reject_private_access(tree):
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and (name.startswith("_") or name in FORBIDDEN_ATTRIBUTES):
            raise ExpressionError(f"access to '{name}' is not allowed")


def _checked(template_source, build):
    """Parse, refuse private access, build; returns (compiled, names read)."""
    try:
        tree = _ENV.parse(template_source)
        _reject_private_access(tree)
        compiled = build()
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"syntax error: {exc.message}") from exc
    return compiled, meta.find_undeclared_variables(tree) - set(FUNCTIONS)


def _run(function, names, context):
    """Call a compiled expression or template with the names it reads; any failure is an ExpressionError."""
    try:
        return function(**{name: context.get(name) for name in names})
    except SecurityError as exc:
        raise ExpressionError(f"not allowed: {exc}") from exc
    except Exception as exc:
        raise ExpressionError(f"{exc.__class__.__name__}: {exc}") from exc


def _direct_call(compiled):
    """The compiled expression as a function of its names. It runs the same
    sandboxed code as calling `compiled`, minus the copying of the names and the
    globals into new dicts that Jinja does on each call: a page evaluates dozens
    of expressions, and this makes each about three times cheaper."""
    template = compiled._template  # what compile_expression() built: `{% set result = (…) %}`

    def call(**values):
        context = template.new_context({**_ENV.globals, **values}, shared=True)
        for _ in template.root_render_func(context):
            pass
        result = context.vars["result"]
        return None if isinstance(result, Undefined) else result

    return call


class Expression:
    """A compiled expression with the names it reads."""

    __slots__ = ("_compiled", "_function", "names", "source")

    def __init__(self, source):
        self.source = str(source).strip()
        if not self.source:
            raise ExpressionError("empty expression")
        if len(self.source) > 2000:
            raise ExpressionError("expression longer than 2000 characters")
        self._compiled, self.names = _checked("{{ (" + self.source + ") }}",
                                              lambda: _ENV.compile_expression(self.source))
        self._function = _direct_call(self._compiled)

    def evaluate(self, context):
        """Evaluate with `context` (names → values). Errors raise ExpressionError."""
        return _run(self._function, self.names, context)

    def test(self, context):
        return bool(self.evaluate(context))

    def __repr__(self):
        return f"Expression({self.source!r})"


class TextTemplate:
    """A short text with {{ … }} placeholders (rule messages, reasons), in the
    same sandbox and with the same load-time name check as expressions."""

    __slots__ = ("_static", "_template", "names", "source")

    def __init__(self, source):
        self.source = str(source)
        if len(self.source) > 5000:
            raise ExpressionError("text longer than 5000 characters")
        self._template, self.names = _checked(self.source, lambda: _ENV.from_string(self.source))
        # Most reasons and messages are plain text: no need to run a template for them.
        self._static = None if "{" in self.source else self.source.strip()

    def render(self, context):
        if self._static is not None:
            return self._static
        return _run(self._template.render, self.names, context).strip()

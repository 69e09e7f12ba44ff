"""The sandbox every spec expression and document template runs in.

Jinja2's immutable sandbox with no globals and only the filters that cannot
build large values, plus limits on everything that does build values:
`'x' * 10**9`, `'x'.ljust(10**10)` or `((2**64)**64)**64` would otherwise fill
the memory. Strings and lists stay under MAX_SEQUENCE items, whole numbers
under MAX_INT_BITS, only value methods that cannot grow their value may be
called, and a text renders at most MAX_TEXT_OUTPUT characters.
"""

import datetime as dt
import functools
import operator
import re
from decimal import Decimal

from jinja2 import filters, nodes, pass_environment, pass_eval_context
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SEQUENCE = 10_000  # longest string or list an expression may build
MAX_EXPONENT = 64
MAX_INT_BITS = 512  # whole numbers beyond this are nobody's money or area
MAX_TEXT_OUTPUT = 200_000  # characters one text template may render
WIDTH_RE = re.compile(r"%[-+ #0]*(?:\(\w*\))?[-+ #0]*(\d+)|\.(\d+)")
STAR_WIDTH_RE = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d*\.\*)")
# Filters that cannot build large values from small inputs; the others
# (center, format, indent, wordwrap, replace, …) are removed from the sandbox.
SAFE_FILTERS = {"abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
                "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
                "rejectattr", "round", "select", "selectattr", "sort", "string", "sum", "title", "trim", "unique",
                "upper"}
# Methods an expression may call on plain values: those whose result is no
# larger than the value itself. ljust, center, zfill, replace, join, format,
# expandtabs… can turn ten characters into gigabytes and are not here.
_TEXT_METHODS = {"capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isascii",
                 "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "isupper", "lower", "lstrip",
                 "partition", "removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit", "rstrip",
                 "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper"}
SAFE_METHODS = (
    (str, _TEXT_METHODS),
    (dict, {"get", "items", "keys", "values"}),
    ((list, tuple), {"count", "index"}),
    (Decimal, {"is_zero", "is_signed", "to_integral_value"}),
    ((dt.date, dt.datetime), {"isoformat", "isoweekday", "weekday"}),
    ((int, float), {"is_integer"}),
)
VALUE_TYPES = tuple(t for types, _ in SAFE_METHODS for t in (types if isinstance(types, tuple) else (types,)))
# Statements a text may use; {% set %} and macros could double a text at every
# line or call (2**40 characters from a few lines), and none is needed.
TEXT_STATEMENTS = (nodes.Output, nodes.If, nodes.For)


def _sized(value):
    """`value`, unless it is a string or collection longer than MAX_SEQUENCE."""
    if isinstance(value, str | list | tuple | dict) and len(value) > MAX_SEQUENCE:
        raise SecurityError("value too large")
    return value


def _int_bits(value):
    return value.bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


def _format_size(template, args):
    """An upper bound of `template % args`, refusing * widths and huge widths."""
    if STAR_WIDTH_RE.search(template):
        raise SecurityError("* widths are not allowed")
    widths = [int(a or b) for a, b in WIDTH_RE.findall(template)]
    if any(w > MAX_SEQUENCE for w in widths):
        raise SecurityError("format width too large")
    values = args.values() if isinstance(args, dict) else (args if isinstance(args, tuple) else (args,))
    longest = max((len(v) if isinstance(v, str) else len(str(v)) for v in values), default=0)
    return len(template) + template.count("%") * longest + sum(widths)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the limits above."""

    intercepted_binops = frozenset({"**", "*", "%", "+"})

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "%":
            if isinstance(left, str) and _format_size(left, right) > MAX_SEQUENCE:
                raise SecurityError("formatted text too long")
            return _sized(left % right)
        if operator_name == "**":
            if not isinstance(right, int | float | Decimal) or abs(right) > MAX_EXPONENT:
                raise SecurityError("exponent too large")
            if isinstance(right, int) and _int_bits(left) * max(right, 1) > MAX_INT_BITS:
                raise SecurityError("number too large")
            return left**right
        if operator_name == "+":
            return _sized(left + right)
        if isinstance(left, list | tuple) or isinstance(right, list | tuple):
            raise SecurityError("lists cannot be repeated")
        if isinstance(left, str) or isinstance(right, str):
            count, text = (right, left) if isinstance(left, str) else (left, right)
            if not isinstance(count, int) or len(text) * max(count, 0) > MAX_SEQUENCE:
                raise SecurityError("sequence too long")
        elif _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
            raise SecurityError("number too large")
        return operator.mul(left, right)

    def is_safe_attribute(self, obj, attr, value):
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if callable(value) and isinstance(obj, VALUE_TYPES):
            return any(isinstance(obj, types) and attr in names for types, names in SAFE_METHODS)
        return True

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's signature
        return _sized(super().call(__context, __obj, *args, **kwargs))


def _bounded_join(eval_ctx, value, d="", attribute=None):
    items = list(value)
    if len(items) > MAX_SEQUENCE:
        raise SecurityError("too many items to join")
    size = sum(len(v) if isinstance(v, str) else len(str(v)) for v in items) + len(str(d)) * len(items)
    if size > MAX_SEQUENCE:
        raise SecurityError("joined text too long")
    return filters.do_join(eval_ctx, items, d, attribute)


def _numbers_only_sum(environment, iterable, attribute=None, start=0):
    """`sum` adds numbers; with lists it would concatenate without bound."""
    if not isinstance(start, int | float | Decimal):
        raise SecurityError("sum adds numbers only")
    result = filters.do_sum(environment, iterable, attribute, start)
    if not isinstance(result, int | float | Decimal) or _int_bits(result) > MAX_INT_BITS:
        raise SecurityError("sum adds numbers only")
    return result


def _size_checked(function):
    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def checked(*args, **kwargs):
        return _sized(function(*args, **kwargs))

    return checked


_BOUNDED_FILTERS = {"join": pass_eval_context(_bounded_join), "sum": pass_environment(_numbers_only_sum)}



def sandbox(**options):
    """A LimitedSandbox without globals and with only SAFE_FILTERS, each bounded
    (join, sum) or with its result's size checked."""
    env = LimitedSandbox(**options)
    env.globals.clear()
    for name in list(env.filters):
        if name not in SAFE_FILTERS:
            del env.filters[name]
        else:
            env.filters[name] = _BOUNDED_FILTERS.get(name) or _size_checked(env.filters[name])
    return env



# Attributes the sandbox already blocks at run time; refusing them at load
# time turns an attack into a clear error before anything runs.
FORBIDDEN_ATTRIBUTES = {"mro", "format", "format_map", "func_globals", "f_globals", "gi_frame", "cr_frame"}


def attribute_names(tree):
    """(node, name) for every `x.name` and `x['name']` in a parsed template."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str):
            yield node, name


def private_access_problems(tree):
    """Messages for `__class__`, `mro` and the like: refused before anything runs."""
    return [f"access to '{name}' is not allowed" for _, name in attribute_names(tree)
            if name.startswith("_") or name in FORBIDDEN_ATTRIBUTES]


def text_statement_problems(tree):
    """Messages for statements other than {% if %} and {% for %} in a text."""
    found = sorted({type(node).__name__.lower() for node in tree.find_all(nodes.Stmt)
                    if not isinstance(node, TEXT_STATEMENTS)})
    return [f"only {{% if %}} and {{% for %}} may be used in texts, not: {', '.join(found)}"] if found else []


def render_bounded(template, context):
    """Render a text template, stopping at MAX_TEXT_OUTPUT characters (loops
    over loops could otherwise write gigabytes)."""
    parts, size = [], 0
    for part in template.generate(context):
        size += len(part)
        if size > MAX_TEXT_OUTPUT:
            raise SecurityError("text too long")
        parts.append(part)
    return "".join(parts)

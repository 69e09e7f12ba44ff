"""Spec expressions and short texts: conditions (`show_if`, rule `when`),
computed values, rule messages and reasons.

Compiled once, when a spec is loaded; compiling lists the names each one
reads, so the spec compiler can refuse names the spec does not declare.
"""

from jinja2 import TemplateSyntaxError, Undefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context

from app.lang import names
from app.lang.functions import FUNCTIONS
from app.lang.sandbox import render_bounded, sandbox

MAX_EXPRESSION = 2000  # characters
MAX_TEXT = 5000

_ENV = sandbox(autoescape=False)
_ENV.globals.update(FUNCTIONS)


class ExpressionError(ValueError):
    """An expression that cannot be compiled, is not allowed, or failed when run."""


def _checked(template_source, build):
    """Parse, refuse private access and statements, build; returns (compiled,
    names read, {name: function} of the functions it calls)."""
    try:
        tree = _ENV.parse(template_source)
        refused = names.private_access_problems(tree) + names.text_statement_problems(tree)
        if refused:
            raise ExpressionError(refused[0])
        compiled = build()
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"syntax error: {exc.message}") from exc
    called = {n.name: FUNCTIONS[n.name] for n in tree.find_all(nodes.Name) if n.name in FUNCTIONS}
    return compiled, names.names_read(tree, FUNCTIONS), called


def _run(function, read, context):
    """Call a compiled expression or text with the names it reads; any failure is an ExpressionError."""
    try:
        return function({name: context.get(name) for name in read})
    except SecurityError as exc:
        raise ExpressionError(f"not allowed: {exc}") from exc
    except Exception as exc:
        raise ExpressionError(f"{exc.__class__.__name__}: {exc}") from exc


_NO_BLOCKS = {}


def _direct_call(compiled, called):
    """The compiled expression as a function of a dict of its names. It runs the
    same sandboxed code as calling `compiled`, in a bare context that holds only
    the names it reads and the functions it calls; Jinja's own call copies the
    names and every global into new dicts on each call. A page evaluates dozens
    of expressions, and this makes each about twice as cheap again."""
    render = compiled._template.root_render_func  # compile_expression() built `{% set result = (…) %}`

    def call(values):
        context = Context(_ENV, {**called, **values} if called else values, None, _NO_BLOCKS)
        for _ in render(context):
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
        if len(self.source) > MAX_EXPRESSION:
            raise ExpressionError(f"expression longer than {MAX_EXPRESSION} characters")
        self._compiled, self.names, called = _checked("{{ (" + self.source + ") }}",
                                                      lambda: _ENV.compile_expression(self.source))
        self._function = _direct_call(self._compiled, called)

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
        if len(self.source) > MAX_TEXT:
            raise ExpressionError(f"text longer than {MAX_TEXT} characters")
        self._template, self.names, _called = _checked(self.source, lambda: _ENV.from_string(self.source))
        # Most reasons and messages are plain text: no need to run a template for them.
        self._static = None if "{" in self.source else self.source.strip()

    def render(self, context):
        if self._static is not None:
            return self._static
        return _run(lambda values: render_bounded(self._template, values), self.names, context).strip()

"""The pieces of document templates: texts (autoescaped) and expressions
(`if:`, `for:`, table rows), compiled in the sandbox with strict undefined
names and checked with the one name checker."""

from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.exceptions import SecurityError

from app.lang import names
from app.lang.expressions import ExpressionError
from app.lang.sandbox import render_bounded, sandbox

_ENV = sandbox(autoescape=True, undefined=StrictUndefined)


@dataclass
class Piece:
    """A compiled text or expression of a template; call it with the context."""

    kind: str  # text | expr
    source: str
    code: object

    def __call__(self, context):
        try:
            if self.kind == "text":
                return render_bounded(self.code, context)
            return self.code(**context)
        except SecurityError as exc:
            raise ExpressionError(f"not allowed: {exc}") from exc
        except Exception as exc:
            raise ExpressionError(f"{exc.__class__.__name__}: {exc}") from exc


def compile_piece(source, kind, allowed, field_ids=(), field_maps=()):
    """(Piece, problems): the piece is None when it does not even parse."""
    try:
        tree = _ENV.parse(source if kind == "text" else "{{ (" + source + ") }}")
        found = names.problems(tree, allowed, field_ids, field_maps)
        code = _ENV.from_string(source) if kind == "text" else _ENV.compile_expression(source)
    except TemplateSyntaxError as exc:  # includes unknown filters and tests
        return None, [f"syntax error: {exc.message}"]
    return Piece(kind, source, code), found

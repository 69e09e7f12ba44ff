"""The expression language's public face (see the package docstring)."""

from app.lang.expressions import Expression, ExpressionError, TextTemplate
from app.lang.functions import FUNCTIONS, blank
from app.lang.templates import Piece, compile_piece
from app.lang.yamlfile import MAX_SPEC_BYTES, SpecInvalid, SpecProblem, format_path, line_of, parse_yaml

__all__ = [
    "FUNCTIONS", "MAX_SPEC_BYTES", "Expression", "ExpressionError", "Piece", "SpecInvalid", "SpecProblem",
    "TextTemplate", "blank", "compile_piece", "format_path", "line_of", "parse_yaml",
]

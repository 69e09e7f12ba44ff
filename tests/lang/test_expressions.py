"""The sandboxed expression language."""

import re
from decimal import Decimal

import pytest

from app.lang.service import Expression, ExpressionError, TextTemplate


def test_names_are_listed_and_functions_are_not():
    expr = Expression("total(a, b) > 10 and c in ['x', 'y']")
    assert expr.names == {"a", "b", "c"}


def test_total_treats_blanks_as_zero():
    assert Expression("total(a, b, c)").evaluate({"a": Decimal("1.5"), "b": None}) == Decimal("1.5")


def test_column_total():
    rows = [{"amount": Decimal("1.25")}, {"amount": None}, {"amount": Decimal("2")}]
    assert Expression("column_total(rows, 'amount')").evaluate({"rows": rows}) == Decimal("3.25")


@pytest.mark.parametrize("source", ["().__class__", "x.__globals__", "x['__init__']", "x.mro"])
def test_private_attributes_are_refused_at_compile_time(source):
    with pytest.raises(ExpressionError, match="not allowed"):
        Expression(source)


@pytest.mark.parametrize("source", ["'a' * 10**9", "[1] * 100000000", "2 ** 100000", "'%999999999s' % 'a'",
                                    "'%.99999f' % 1.5"])
def test_huge_results_are_refused_when_run(source):
    with pytest.raises(ExpressionError, match="not allowed"):
        Expression(source).evaluate({})


def test_syntax_error_is_an_expression_error():
    with pytest.raises(ExpressionError, match="syntax"):
        Expression("a +")


def test_range_is_not_available():
    assert "range" in Expression("range(10**9)").names  # an unknown name: a load error for specs


@pytest.mark.parametrize("source", ["'x'|center(10**9)", "'x'|format()", "'x'|indent(10**9)", "'x'|replace('x', 'y')"])
def test_filters_that_grow_values_are_not_available(source):
    with pytest.raises(ExpressionError, match="No filter"):
        Expression(source)


def test_ordinary_formatting_still_works():
    assert Expression("'%.2f' % x").evaluate({"x": 1.5}) == "1.50"
    assert Expression("names|join('、')").evaluate({"names": ["a", "b"]}) == "a、b"


@pytest.mark.parametrize("source, values", [
    ("ownership != 'domestic' and total(a, b) > 5", {"ownership": "foreign", "a": 3, "b": 4}),
    ("a * 2 if a else none_of_these", {"a": None}),
    ("rows | length", {"rows": [1, 2]}),
    ("missing_name", {}),
    ("months_between(start, end)", {"start": None, "end": None}),
])
def test_the_direct_call_gives_what_jinja_gives(source, values):
    expression = Expression(source)
    names = {n: values.get(n) for n in expression.names}

    assert expression.evaluate(values) == expression._compiled(**names)


@pytest.mark.parametrize("source", [
    "'x'.ljust(20000)", "'x'.ljust(10**10)", "'x'.rjust(10**9)", "'x'.center(10**9)", "'x'.zfill(10**9)",
    "'\\t'.expandtabs(10**9)", "('x' * 5000).replace('x', 'x' * 5000)", "('x' * 9000).join(['a'] * 3)",
    "'{}'.format(1)", "'%*s' % (10**9, 'x')", "'%-*s' % (10**9, 'x')", "'%.*f' % (10**6, 1.5)",
    "('%s' * 5000) % (('x' * 10000,) * 5000)", "'%(a)s' * 2000 % {'a': 'x' * 10000}",
    "(['x' * 10000] * 10000)|join", "['x' * 9000, 'y' * 9000]|join", "[[1] * 3] * 3", "(2**64)**64",
    "((2**64)**64)**64", "(2**256) * (2**256) * 4", "[['a'], ['b']]|sum(start=[])", "('x' * 6000) + ('y' * 6000)",
])
def test_every_way_to_build_a_huge_value_is_refused_when_run(source):
    with pytest.raises(ExpressionError, match="not allowed"):
        Expression(source).evaluate({})


def test_methods_that_cannot_grow_a_value_still_work():
    assert Expression("name.strip().upper().startswith('AB')").evaluate({"name": " abc "}) is True
    assert Expression("'a,b'.split(',')").evaluate({}) == ["a", "b"]
    assert Expression("rows|sum(attribute='n')").evaluate({"rows": [{"n": 1}, {"n": 2}]}) == 3
    assert Expression("(2**64) * 3").evaluate({}) == 3 * 2**64


@pytest.mark.parametrize("source", ["{% set s = 'ab' %}{{ s }}", "{% macro m(s) %}{{ m(s ~ s) }}{% endmacro %}",
                                    "{% filter upper %}x{% endfilter %}", "{% with a = 1 %}{{ a }}{% endwith %}"])
def test_texts_may_only_use_if_and_for(source):
    with pytest.raises(ExpressionError, match=re.escape("only {% if %} and {% for %}")):
        TextTemplate(source)


def test_a_text_that_would_write_gigabytes_is_stopped():
    text = TextTemplate("{% for a in x %}{% for b in x %}{% for c in x %}{{ y }}{% endfor %}{% endfor %}{% endfor %}")
    with pytest.raises(ExpressionError, match="not allowed: text too long"):
        text.render({"x": list(range(1000)), "y": "z" * 100})

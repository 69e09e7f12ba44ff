"""Project codes: both official formats, and a message naming the part that is wrong."""

import datetime as dt

import pytest

from app.cases.project_codes import problem

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize("code", ["2311-330109-04-01-789813", "2612-330109-04-01-78981X", "2012-330109-04-01-000001",
                                  "2020-330327-48-01-167360", "2015-330109-36-03-012345", " 2311-330109-04-01-789813 "])
def test_valid_codes(code):
    assert problem(code, TODAY) is None


@pytest.mark.parametrize(("code", "part"), [
    ("2311-33010-04-01-789813", "24位"),
    ("2313-330109-04-01-789813", "不是有效的年月"),
    ("2701-330109-04-01-789813", "晚于今天"),
    ("1905-330109-04-01-789813", "以四位年份开头"),
    ("2311-33010A-04-01-789813", "第二段"),
    ("2311-330109-0X-01-789813", "第三段"),
    ("2311-330109-04-A1-789813", "第四段"),
    ("2311-330109-04-01-78981", "24位"),
    ("", "24位"),
])
def test_a_malformed_code_names_the_wrong_part(code, part):
    message, params = problem(code, TODAY)
    assert part in message % params

import datetime as dt
import os
import xml.etree.ElementTree as ET

import chinese_calendar
import pytest

from app import workdays
from app.review.stats import bar_chart_svg
from app.workdays import add_working_days, is_workday, working_days_between

D = dt.date
SVG = "{http://www.w3.org/2000/svg}"
COVERED_YEARS = {day.year for day in chinese_calendar.holidays}


@pytest.fixture(autouse=True)
def no_admin_file(tmp_path, monkeypatch):
    """Whatever the admin put in forms_spec/calendar/holidays.yaml, these tests start without it."""
    monkeypatch.setattr(workdays, "HOLIDAYS_FILE", tmp_path / "no-such-holidays.yaml")


@pytest.fixture
def holidays_file(tmp_path, monkeypatch):
    path = tmp_path / "holidays.yaml"
    monkeypatch.setattr(workdays, "HOLIDAYS_FILE", path)
    return path


# --- chinese_calendar's data --------------------------------------------------

def test_national_day_2025():
    for day in range(1, 9):
        assert not is_workday(D(2025, 10, day)), f"2025-10-{day:02} is a holiday"
    assert is_workday(D(2025, 9, 28))   # Sunday, worked (调休)
    assert is_workday(D(2025, 10, 11))  # Saturday, worked (调休)
    assert is_workday(D(2025, 10, 9))
    assert not is_workday(D(2025, 10, 12))  # an ordinary Sunday


def test_working_days_across_national_day_2025():
    # Started 2025-09-30 10:00 in China = 02:00 UTC. After that day: 10-01..10-08 are all off,
    # 10-09 (Thu) is the first working day, so by 10-09 09:00 China time one working day has passed.
    start = dt.datetime(2025, 9, 30, 2, 0)
    assert working_days_between(start, dt.datetime(2025, 10, 9, 1, 0)) == 1
    # 10-09 (Thu), 10-10 (Fri), 10-11 (Sat, 调休) are worked, 10-12 (Sun) is not, 10-13 (Mon) is: 4.
    assert working_days_between(start, dt.datetime(2025, 10, 13, 1, 0)) == 4
    # The whole holiday: nothing.
    assert working_days_between(start, dt.datetime(2025, 10, 8, 15, 59)) == 0  # 10-08 23:59 in China


def test_days_are_taken_in_china_time():
    # 2025-10-08 16:30 UTC is already 10-09 00:30 in China, a working day.
    assert working_days_between(dt.datetime(2025, 9, 30, 2), dt.datetime(2025, 10, 8, 16, 30)) == 1
    # 2025-09-26 (Fri) 17:00 UTC is Saturday 09-27 01:00 in China: only 09-28 (调休) counts by Sunday night.
    assert working_days_between(dt.datetime(2025, 9, 26, 17), dt.datetime(2025, 9, 28, 15)) == 1
    # Aware datetimes are converted too.
    assert working_days_between(dt.datetime(2025, 9, 30, 10, tzinfo=workdays.CHINA), D(2025, 10, 9)) == 1


def test_working_days_between_edges():
    assert working_days_between(D(2025, 10, 13), D(2025, 10, 13)) == 0
    assert working_days_between(D(2025, 10, 14), D(2025, 10, 13)) == 0
    assert working_days_between(D(2025, 10, 13), D(2025, 10, 14)) == 1


def test_add_working_days():
    assert add_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)  # the 调休 Saturday
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)   # the 调休 Sunday
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    start = D(2025, 9, 15)
    for n in range(40):
        assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.skipif(2026 not in COVERED_YEARS, reason="this chinese-calendar has no data for 2026")
def test_spring_festival_2026():
    assert not is_workday(D(2026, 2, 17))  # 正月初一, a Tuesday
    assert is_workday(D(2026, 2, 14))      # Saturday, worked (调休)
    assert is_workday(D(2026, 2, 28))      # Saturday, worked (调休)
    # 02-14 (Sat, worked), 02-15..02-23 off, 02-24 (Tue) worked.
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


# --- The admin's file and the fallback ----------------------------------------

def test_far_future_year_is_monday_to_friday():
    assert 2099 not in COVERED_YEARS
    week = [D(2099, 6, 1) + dt.timedelta(days=i) for i in range(7)]  # Monday 2099-06-01 .. Sunday
    assert [is_workday(day) for day in week] == [True] * 5 + [False] * 2
    assert working_days_between(D(2099, 6, 5), D(2099, 6, 8)) == 1  # Friday to Monday
    assert add_working_days(D(2099, 6, 5), 1) == D(2099, 6, 8)


def test_missing_admin_file_is_fine():
    assert not workdays.HOLIDAYS_FILE.exists()
    assert is_workday(D(2031, 1, 1))  # a Wednesday, no data: Monday–Friday


def test_admin_file_wins(holidays_file):
    holidays_file.write_text(
        "# Extra days\n"
        'holidays: ["2031-01-01", "2025-10-09"]\n'
        "workdays: [2031-01-04, \"2025-10-04\"]   # unquoted dates are fine too\n",
        encoding="utf-8")
    assert not is_workday(D(2031, 1, 1))  # Wednesday, declared off
    assert is_workday(D(2031, 1, 2))      # Thursday, fallback
    assert is_workday(D(2031, 1, 4))      # Saturday, declared worked
    assert not is_workday(D(2025, 10, 9))  # beats chinese_calendar both ways
    assert is_workday(D(2025, 10, 4))
    # 2030-12-31 (Tue) → 01-01 off, 01-02, 01-03 (Thu, Fri), 01-04 (Sat, worked), 01-05 (Sun) off.
    assert working_days_between(D(2030, 12, 31), D(2031, 1, 5)) == 3
    assert add_working_days(D(2030, 12, 31), 1) == D(2031, 1, 2)


def test_admin_file_is_read_again_when_it_changes(holidays_file):
    holidays_file.write_text('holidays: ["2031-01-01"]\n', encoding="utf-8")
    assert not is_workday(D(2031, 1, 1))
    holidays_file.write_text("holidays: []\nworkdays: []\n", encoding="utf-8")
    stat = holidays_file.stat()
    os.utime(holidays_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert is_workday(D(2031, 1, 1))


def test_empty_admin_file(holidays_file):
    holidays_file.write_text("# nothing yet\n", encoding="utf-8")
    assert is_workday(D(2031, 1, 1))


@pytest.mark.parametrize("text", [
    'holidays: ["2031-02-30"]\n',
    "holidays: 2031-01-01\n",
    'holiday: ["2031-01-01"]\n',
    'holidays: ["2031-01-01"]\nworkdays: ["2031-01-01"]\n',
    "- 2031-01-01\n",
])
def test_broken_admin_file_is_loud(holidays_file, text):
    holidays_file.write_text(text, encoding="utf-8")
    with pytest.raises(workdays.HolidaysFileInvalid):
        is_workday(D(2031, 1, 1))


def test_the_shipped_admin_file_loads(monkeypatch):
    shipped = workdays.Path(workdays.__file__).resolve().parents[2] / "forms_spec" / "holidays.yaml"
    monkeypatch.setattr(workdays, "HOLIDAYS_FILE", shipped)
    holidays, days_worked = workdays._overrides()
    assert not holidays & days_worked


# --- Numbers ------------------------------------------------------------------

# --- Chart --------------------------------------------------------------------

def _parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def _texts(root):
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def test_bar_chart_svg():
    svg = bar_chart_svg([("09-29", 3), ("10-06", 0), ("<b>&", 12)], "每周提交 <测试>")
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "每周提交 <测试>"
    assert "09-29 3" in desc.text and "10-06 0" in desc.text and "<b>& 12" in desc.text
    assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    texts = _texts(root)
    for expected in ("3", "0", "12", "09-29", "10-06", "<b>&"):
        assert expected in texts
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == 3
    heights = [float(rect.get("height")) for rect in rects]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    assert "<script" not in svg and "@import" not in svg and "url(" not in svg
    assert "sans-serif" in root.get("font-family")


def test_bar_chart_svg_all_zero_and_empty():
    root = _parse(bar_chart_svg([("a", 0), ("b", 0)], "空"))
    assert [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")] == [0, 0]
    assert "nan" not in ET.tostring(root, encoding="unicode").lower()

    empty = _parse(bar_chart_svg([], "每周提交"))
    assert list(empty.iter(f"{SVG}rect")) == []
    assert "暂无数据" in _texts(empty)
    assert "暂无数据" in empty.find(f"{SVG}desc").text
    assert "No data" in _texts(_parse(bar_chart_svg([], "Weekly", empty_text="No data")))


def test_bar_chart_svg_many_bars_and_weekly_counts_together():
    weeks = [(D(2024, 10, 21) + dt.timedelta(weeks=i), 5 if i == 51 else 0) for i in range(52)]
    points = [(monday.strftime("%m-%d"), count) for monday, count in weeks]
    root = _parse(bar_chart_svg(points, "一年"))
    assert len(list(root.iter(f"{SVG}rect"))) == 52
    assert "10-13" in _texts(root)  # the latest week is always labelled
    assert "10-13 5" in root.find(f"{SVG}desc").text


def test_bar_chart_svg_refuses_negative_values():
    with pytest.raises(ValueError):
        bar_chart_svg([("a", -1)], "x")

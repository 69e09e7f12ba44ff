"""The statistics page's chart: an SVG bar chart (the figures are aggregated in SQL, cases/queue.py).

Plain functions on plain data. The chart is server-rendered SVG: no script, no
web font, readable by screen readers (role="img" with a <title> and a <desc>
that lists every value).
"""

import hashlib
import math
from xml.sax.saxutils import escape

__all__ = ["bar_chart_svg"]

FONT_FAMILY = ("'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', "
               "'Source Han Sans SC', 'WenQuanYi Micro Hei', system-ui, sans-serif")
BAR_COLOUR = "#0b4f9c"     # the site's primary blue
TEXT_COLOUR = "#212529"
AXIS_COLOUR = "#6c757d"
GRID_COLOUR = "#dee2e6"
FONT_SIZE = 11


# --- Chart -------------------------------------------------------------------

def _number(value):
    """3 → "3", 2.5 → "2.5", 3.333 → "3.33"."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _text_width(text, size=FONT_SIZE):
    """A rough width in px: CJK and full-width characters are one em, others about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def _ticks(top_value):
    """Value-axis ticks from 0: a 1/2/5 step, about four of them, the last at or above top_value."""
    if top_value <= 0:
        return [0, 1]
    raw = top_value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if float(top_value).is_integer():
        step = max(1, round(step))  # whole numbers stay whole
    count = math.ceil(top_value / step - 1e-9)
    return [step * i for i in range(count + 1)]


def _f(x):
    return f"{x:.1f}".removesuffix(".0")


def bar_chart_svg(points, title, width=640, height=220, *, empty_text="暂无数据"):
    """A bar chart of [(label, value)] as a standalone <svg> string (embed it with |safe).

    Values must not be negative. `empty_text` is shown (and read out) when there are no points.
    """
    points = [(str(label), value) for label, value in points]
    if any(value < 0 for _, value in points):
        raise ValueError("bar_chart_svg draws counts and durations: values must not be negative")
    digest = hashlib.blake2s(repr((title, points, width, height)).encode("utf-8"), digest_size=4).hexdigest()
    title_id, desc_id = f"chart-{digest}-title", f"chart-{digest}-desc"
    if points:
        desc = f"{title}: " + "; ".join(f"{label} {_number(value)}" for label, value in points)
    else:
        desc = f"{title}: {empty_text}"

    ticks = _ticks(max((value for _, value in points), default=0))
    top = ticks[-1]
    label_room = max(_text_width(_number(t)) for t in ticks)
    left, right = 10 + label_room + 6, width - 10
    heading, bottom = 8 + FONT_SIZE + 4, height - (FONT_SIZE + 12)
    plot_top = heading + FONT_SIZE + 8  # room for the value label over the tallest bar
    plot_height = max(bottom - plot_top, 1)

    def y_of(value):
        return bottom - plot_height * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%;height:auto" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<text x="10" y="{8 + FONT_SIZE}" fill="{TEXT_COLOUR}" font-size="{FONT_SIZE + 2}" '
        f'font-weight="bold">{escape(title)}</text>',
        '<g aria-hidden="true">',
    ]
    for t in ticks:  # the value axis: gridlines and their labels
        y = _f(y_of(t))
        parts.append(f'<line x1="{_f(left)}" x2="{_f(right)}" y1="{y}" y2="{y}" '
                     f'stroke="{GRID_COLOUR if t else AXIS_COLOUR}" stroke-width="1"/>')
        parts.append(f'<text x="{_f(left - 6)}" y="{y}" dy="0.35em" text-anchor="end" '
                     f'fill="{AXIS_COLOUR}">{_number(t)}</text>')

    if not points:
        parts.append(f'<text x="{_f((left + right) / 2)}" y="{_f((plot_top + bottom) / 2)}" '
                     f'text-anchor="middle" fill="{AXIS_COLOUR}">{escape(empty_text)}</text>')
    else:
        band = (right - left) / len(points)
        bar = band * 0.7
        widest = max(_text_width(label) for label, _ in points)
        every = max(1, math.ceil((widest + 4) / band))  # thin the category labels if they would collide
        for i, (label, value) in enumerate(points):
            x = left + band * i + (band - bar) / 2
            centre = _f(left + band * (i + 0.5))
            y = y_of(value)
            parts.append(f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(bar)}" height="{_f(bottom - y)}" '
                         f'fill="{BAR_COLOUR}"/>')
            parts.append(f'<text x="{centre}" y="{_f(y - 4)}" text-anchor="middle" '
                         f'fill="{TEXT_COLOUR}">{_number(value)}</text>')
            if (len(points) - 1 - i) % every == 0:  # always label the latest bar
                half = _text_width(label) / 2  # keep the label inside the chart
                label_x = _f(min(max(left + band * (i + 0.5), half + 2), width - half - 2))
                parts.append(f'<text x="{label_x}" y="{_f(bottom + FONT_SIZE + 6)}" text-anchor="middle" '
                             f'fill="{AXIS_COLOUR}">{escape(label)}</text>')
    parts.append("</g></svg>")
    return "".join(parts)

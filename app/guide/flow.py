"""The steps of the process as a drawing (SVG, made on the server): one box a
step, top to bottom, with its working days. The page lists the same steps as
text, so the drawing is decoration for screen readers."""

from markupsafe import Markup, escape

WIDTH, BOX_HEIGHT, GAP = 320, 56, 26


def flow_svg(steps, days_label):
    """`steps`: [(title, days)]; `days_label(days)` words a duration ("1个工作日", "即时")."""
    height = len(steps) * (BOX_HEIGHT + GAP) - GAP + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="guide-flow" '
             f'aria-hidden="true" focusable="false" font-size="14">']
    for index, (title, days) in enumerate(steps):
        top = 2 + index * (BOX_HEIGHT + GAP)
        parts.append(f'<rect x="2" y="{top}" width="{WIDTH - 4}" height="{BOX_HEIGHT}" rx="8" '
                     f'fill="#eef4fb" stroke="#1f5fa8" stroke-width="1.5"/>')
        parts.append(f'<text x="16" y="{top + 24}" font-weight="bold" fill="#123">{index + 1}. {escape(title)}</text>')
        parts.append(f'<text x="16" y="{top + 44}" fill="#334">{escape(days_label(days))}</text>')
        if index < len(steps) - 1:
            x, y = WIDTH / 2, top + BOX_HEIGHT
            parts.append(f'<path d="M{x} {y + 2} V{y + GAP - 6}" stroke="#1f5fa8" stroke-width="2"/>')
            parts.append(f'<path d="M{x - 6} {y + GAP - 10} L{x} {y + GAP - 2} L{x + 6} {y + GAP - 10} Z" '
                         f'fill="#1f5fa8"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()

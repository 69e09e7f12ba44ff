"""The PDF writer: ReportLab platypus, A4, the embedded CJK TrueType font,
CJK line wrapping, header and "page x of y" footer, repeated table headers."""

import io
import math
from xml.sax.saxutils import escape as xml_escape

import segno
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus import Paragraph as RLParagraph

from app.documents import model
from app.documents.fonts import body_font, coverage, main_font, with_fallback

rl_config.invariant = 1  # no timestamps or random ids: same input, same bytes
rl_config.useA85 = 0  # binary streams: base-85 text encoding only costs time

MARGIN = 20 * mm
WIDTH = A4[0] - 2 * MARGIN
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
SIZES = {"small": 9, "normal": 10.5, "large": 13}
BASE_GRID = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]


LABEL_SHADE = colors.HexColor("#f0f2f5")


def _grid():
    # Tables set their cell font even around flowables; Helvetica would be an unembedded font.
    return [*BASE_GRID, ("FONTNAME", (0, 0), (-1, -1), body_font()[0])]


def _styles():
    sans, song = main_font()[0], body_font()[0]

    def style(name, size, leading=None, align=TA_LEFT, font=song, **extra):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.55, alignment=align,
                              wordWrap="CJK", **extra)

    return {
        "title": style("title", 18, align=TA_CENTER, font=sans, spaceAfter=6 * mm),
        1: style("h1", 15, font=sans, spaceBefore=4 * mm, spaceAfter=2 * mm, keepWithNext=1),
        2: style("h2", 12.5, font=sans, spaceBefore=4 * mm, spaceAfter=2 * mm, keepWithNext=1),
        3: style("h3", 11, font=sans, spaceBefore=3 * mm, spaceAfter=1 * mm, keepWithNext=1),
        "cell": style("cell", 10),
        "label": style("label", 10, font=sans, textColor=colors.HexColor("#222222")),
        "caption": style("caption", 8.5, align=TA_CENTER),
        "header": style("header", 8.5),
    }


def _p(text, style, bold=False):
    """Plain text → a ReportLab paragraph (its markup escaped, line breaks kept)."""
    markup = xml_escape(text or "").replace("\n", "<br/>")
    if bold:
        markup = f"<b>{markup}</b>"
    return RLParagraph(with_fallback(markup, coverage(style.fontName)), style)


def _paragraph(block, styles):
    size = SIZES[block.size]
    style = ParagraphStyle(f"p{size}{block.align}{block.indent}", parent=styles["cell"], fontSize=size,
                           leading=size * 1.7, alignment=ALIGN[block.align], spaceAfter=2 * mm,
                           firstLineIndent=2 * size if block.indent else 0)
    return _p(block.text, style, bold=block.bold)


def _key_values(block, styles):
    data = [[_p(k, styles["label"]), _p(v, styles["cell"])] for k, v in block.rows]
    table = Table(data, colWidths=[WIDTH * 0.32, WIDTH * 0.68])
    table.setStyle(TableStyle([*_grid(), ("BACKGROUND", (0, 0), (0, -1), LABEL_SHADE)]))
    flow = [table]
    if block.title:
        flow.insert(0, _p(block.title, styles[3]))
    return flow


def _table(block, styles):
    data = [[_p(c, styles["label"]) for c in block.columns]]
    data += [[_p(cell, styles["cell"]) for cell in row] for row in block.rows]
    widths = None
    if block.widths:
        total = sum(block.widths)
        widths = [WIDTH * w / total for w in block.widths]
    table = Table(data, colWidths=widths or [WIDTH / len(block.columns)] * len(block.columns), repeatRows=1,
                  spaceAfter=2 * mm)
    table.setStyle(TableStyle([*_grid(), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ebf2"))]))
    return [_p(block.title, styles[3]), table] if block.title else [table]


def _grid_block(block, styles):
    """Label and value cells over the grid's columns; spans as SPAN commands.
    splitInRow lets a row taller than a page split inside its cells, so that a
    long 建设规模及内容 continues in the grid on the next page."""
    total = sum(block.widths)
    commands = _grid()  # top-aligned: ReportLab loses text splitting a middle-aligned row
    data = []
    for r, row in enumerate(block.rows):
        line, column = [], 0
        for cell in row:
            base = styles["label"] if cell.label else styles["cell"]
            style = base if cell.align == "left" else ParagraphStyle(f"{base.name}-{cell.align}", parent=base,
                                                                      alignment=ALIGN[cell.align])
            line += [_p(cell.text, style)] + [""] * (cell.span - 1)
            last = column + cell.span - 1
            if cell.span > 1:
                commands.append(("SPAN", (column, r), (last, r)))
            if cell.label:
                commands.append(("BACKGROUND", (column, r), (last, r), LABEL_SHADE))
            column = last + 1
        data.append(line)
    table = Table(data, colWidths=[WIDTH * w / total for w in block.widths], splitInRow=1, spaceAfter=2 * mm)
    table.setStyle(TableStyle(commands))
    return [_p(block.title, styles[3]), table] if block.title else [table]


def _signatures(block, styles):
    cells = [[_p(label, styles["cell"]) for label in block.labels]]
    table = Table(cells, colWidths=[WIDTH / len(block.labels)] * len(block.labels), rowHeights=[28 * mm])
    table.setStyle(TableStyle(_grid()))
    return [Spacer(1, 6 * mm), table]


def _qr(block, styles):
    png = io.BytesIO()
    segno.make(block.data, error="m").save(png, kind="png", scale=4, border=2)
    png.seek(0)
    flow = [Spacer(1, 4 * mm), Image(png, width=30 * mm, height=30 * mm)]
    if block.caption:
        flow.append(_p(block.caption, styles["caption"]))
    return [KeepTogether(flow)]


SEAL_SIZE = 40 * mm
SEAL_RED = colors.HexColor("#d0021b")


class SealFlowable(Flowable):
    """The office's name and the date, right-aligned, with the office's seal (a
    red ring with the office's name along its top and a star) over them, as a
    stamp over a signature. It reports where the seal was drawn (page, box in
    points) to `boxes`, so that the PAdES signature is placed over it."""

    def __init__(self, office, date, boxes, width):
        super().__init__()
        self.office, self.date, self.boxes = office, date, boxes
        self.width, self.height = width, SEAL_SIZE

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas, font = self.canv, main_font()[0]
        right = self.width - 2 * mm
        canvas.saveState()
        canvas.setFont(font, 10.5)
        canvas.drawRightString(right, self.height / 2 + 2 * mm, self.office)
        canvas.drawRightString(right, self.height / 2 - 5 * mm, self.date)
        x, y = right - SEAL_SIZE - 6 * mm, 0  # the stamp sits over the office's name, as ink does
        self._stamp(canvas, font, x, y)
        canvas.restoreState()
        left, bottom = canvas.absolutePosition(x, y)
        self.boxes.append((canvas.getPageNumber() - 1, (left, bottom, left + SEAL_SIZE, bottom + SEAL_SIZE)))

    def _stamp(self, canvas, font, x, y):
        radius = SEAL_SIZE / 2 - 1
        cx, cy = x + SEAL_SIZE / 2, y + SEAL_SIZE / 2
        canvas.setStrokeColor(SEAL_RED)
        canvas.setFillColor(SEAL_RED)
        canvas.setLineWidth(2.2)
        canvas.circle(cx, cy, radius)
        canvas.setLineWidth(0.6)
        canvas.circle(cx, cy, radius - 3)
        self._star(canvas, cx, cy, radius * 0.3)
        text = self.office[:16]
        span = min(240, 20 * len(text))  # degrees the name spans along the top of the ring
        size = min(11, 2 * math.pi * (radius - 9) * span / 360 / max(len(text), 1))
        canvas.setFont(font, size)
        for i, char in enumerate(text):
            angle = 90 + span / 2 - (span * (i + 0.5) / len(text))
            canvas.saveState()
            canvas.translate(cx, cy)
            canvas.rotate(angle - 90)
            canvas.drawCentredString(0, radius - 4 - size, char)
            canvas.restoreState()
        canvas.setFont(font, 7)
        canvas.drawCentredString(cx, cy - radius * 0.62, "电子印章")

    @staticmethod
    def _star(canvas, cx, cy, size):
        points = []
        for k in range(10):
            r = size if k % 2 == 0 else size * 0.4
            angle = math.pi / 2 + k * math.pi / 5
            points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
        path = canvas.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)


def _seal(block, styles, boxes):
    """QR and caption on the left, the office, date and seal on the right, kept together."""
    left = []
    if block.qr:
        png = io.BytesIO()
        segno.make(block.qr, error="m").save(png, kind="png", scale=4, border=2)
        png.seek(0)
        left.append(Image(png, width=26 * mm, height=26 * mm))
    if block.caption:
        left.append(_p(block.caption, styles["header"]))
    table = Table([[left, SealFlowable(block.office, block.date, boxes, WIDTH * 0.55)]],
                  colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("FONTNAME", (0, 0), (-1, -1), main_font()[0])]))
    return [Spacer(1, 2 * mm), table]


def _kept_with_text_above(flow, flowables):
    """Signature boxes and the seal go on the page of the paragraph before
    them (a declaration, a notice's last lines), never alone on a page."""
    above = []
    while flow and isinstance(flow[-1], RLParagraph) and len(above) < 2:
        above.insert(0, flow.pop())
    flow.append(KeepTogether([*above, *flowables]))


def _flowables(document, styles, boxes):
    flow = [_p(document.title, styles["title"])]
    for block in document.blocks:
        if isinstance(block, model.Heading):
            flow.append(_p(block.text, styles[block.level]))
        elif isinstance(block, model.Paragraph):
            flow.append(_paragraph(block, styles))
        elif isinstance(block, model.KeyValues):
            flow.extend(_key_values(block, styles))
        elif isinstance(block, model.Table):
            flow.extend(_table(block, styles))
        elif isinstance(block, model.Grid):
            flow.extend(_grid_block(block, styles))
        elif isinstance(block, model.Signatures):
            _kept_with_text_above(flow, _signatures(block, styles))
        elif isinstance(block, model.QRCode):
            flow.extend(_qr(block, styles))
        elif isinstance(block, model.Seal):
            _kept_with_text_above(flow, _seal(block, styles, boxes))
        elif isinstance(block, model.PageBreak):
            flow.append(PageBreak())
    return flow


def _canvas_class(document):
    """A canvas that knows the page count when it draws each page's footer."""
    font, _ = main_font()
    left, right = document.header_left, document.header_right

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            # Start every page in the embedded font: the default Helvetica is not embedded.
            kwargs.update(initialFontName=font, initialFontSize=10.5)
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # ReportLab calls it by this name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total):
            self.saveState()
            self.setFont(font, 8.5)
            top = A4[1] - 12 * mm
            self.drawString(MARGIN, top, left)
            self.drawRightString(A4[0] - MARGIN, top, right)
            self.setLineWidth(0.4)
            self.line(MARGIN, top - 2 * mm, A4[0] - MARGIN, top - 2 * mm)
            self.drawCentredString(A4[0] / 2, 10 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def render_pdf_with_seals(document):
    """(PDF bytes, [(page index, (x1, y1, x2, y2))] of the seal boxes drawn, in points)."""
    styles, boxes = _styles(), []
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 4 * mm,
                            bottomMargin=MARGIN, title=document.title, author=document.author,
                            subject=document.subject, creator="OneTrip 最多跑一次")
    doc.build(_flowables(document, styles, boxes), canvasmaker=_canvas_class(document))
    return out.getvalue(), boxes


def render_pdf(document):
    """Document model → PDF bytes."""
    return render_pdf_with_seals(document)[0]
